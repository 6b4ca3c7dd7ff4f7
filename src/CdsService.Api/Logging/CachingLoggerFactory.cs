using System.Collections.Concurrent;

namespace CdsService.Api.Logging;

/// <summary>
/// Hands out one logger per category, as Microsoft's LoggerFactory does. Serilog's factory builds a new logger (with a
/// fresh event-id property cache) on every CreateLogger call, and ASP.NET Core calls it per request: the JwtBearer
/// handler is created for every authenticated call and asks for its logger in its constructor, and typed results ask
/// for one when they execute. Under load that was a logger, a concurrent dictionary and its buckets per call
/// (docs/performance.md, allocation profile of the order-select short-circuit).
/// </summary>
internal sealed class CachingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        loggers.TryGetValue(categoryName, out var logger) ? logger : loggers.GetOrAdd(categoryName, inner.CreateLogger(categoryName));

    /// <summary>Loggers already handed out keep the providers they were built with, as with Microsoft's factory.</summary>
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>
    /// Nothing to release: the wrapped factory stays a registration of its own (<see cref="ServiceDecoration.Decorate"/>),
    /// which the container disposes as it would have without this wrapper.
    /// </summary>
    public void Dispose()
    {
    }
}
