namespace CdsService.Api.Errors;

/// <summary>
/// An exception as it may be written to the log: the type and stack trace of the original and of each inner exception,
/// never a message. Parser and model exceptions echo the values they choke on ("integer 245 is not the right type of
/// literal for a code" — a lab value), so a message is request content, which the logs must not hold (security brief
/// B3.4: no "exception messages that echo payloads"; docs/security.md §6.1). Type, stack trace and the correlation id
/// are enough to find the fault; the request itself can be replayed by the client that sent it.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string? stackTrace;

    public RedactedException()
    {
    }

    public RedactedException(string message)
        : base(message)
    {
    }

    public RedactedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private RedactedException(Exception original, int depth)
        : base(
            $"{original.GetType().FullName} (message withheld: it may quote request data)",
            original.InnerException is { } inner && depth < MaxDepth ? new RedactedException(inner, depth + 1) : null)
    {
        OriginalType = original.GetType().FullName;
        stackTrace = original.StackTrace;
        HResult = original.HResult;
    }

    /// <summary>Inner exceptions kept, at most (a cycle or a very deep chain must not make logging expensive).</summary>
    private const int MaxDepth = 8;

    /// <summary>The full type name of the exception this stands for.</summary>
    public string? OriginalType { get; }

    public override string? StackTrace => stackTrace ?? base.StackTrace;

    /// <summary>The loggable form of <paramref name="exception"/>.</summary>
    public static RedactedException From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception as RedactedException ?? new RedactedException(exception, 0);
    }
}
