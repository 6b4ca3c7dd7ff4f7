using System.Globalization;
using System.Text.RegularExpressions;
using Serilog.Events;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Finds protected values from a test's inputs in captured log events. Built to fail on a real leak and not on a
/// coincidence:
/// <list type="bullet">
/// <item>Text (names, identifiers, birth dates, patient ids, tokens) is searched in everything a log shipper sees: the
/// rendered message, every property (nested ones too) and each exception's message — as a whole word, so "Emil" is not
/// found in "Emily".</item>
/// <item>Lab values are numbers, and numbers are everywhere in logs (status codes, timings, counts, years, ports). A
/// value is matched as a whole numeric token, compared as a number (245 = 245.0; 2450 and 24.5 are not 245), and only
/// where input data could appear: string and number properties, except the properties whose value the service computes
/// itself (timings, counts, status codes: <see cref="ServiceNumbers"/>) and opaque correlation values (ids, hashes:
/// <see cref="OpaqueValues"/>); plus exception messages (not stack traces, whose ":line 245" is code, not data). The
/// message template's own text is code, not input, so only its properties are searched for numbers.</item>
/// </list>
/// </summary>
public sealed partial class PhiLeakDetector
{
    /// <summary>Properties that hold numbers the service computes, never input data (durations, counts, codes, limits).</summary>
    public static readonly IReadOnlySet<string> ServiceNumbers = new HashSet<string>(StringComparer.Ordinal)
    {
        "Elapsed", "ElapsedMs", "ElapsedMilliseconds", "LatencyMs", "DeadlineMs", "StatusCode", "AuditOutcome", "CardCount",
        "IssueCount", "Count", "KeyCount", "ClientCount", "Queries", "Pages", "Resources", "ContentLength", "TokenLimit",
        "TokensPerPeriod", "ConcurrencyLimit", "RetryAfterSeconds", "SqliteErrorCode", "ThreadId", "EventId",
        // "HTTP/1.1": the protocol version. "application/json; charset=utf-8": the media type the client sent.
        "Protocol", "ContentType",
        // ASP.NET Core routing (Debug): how many endpoints matched the path.
        "CandidateCount",
        // Polly resilience telemetry: attempt number, duration, and the outcome (an HTTP status code, or an HttpClient
        // exception message, which names no request content).
        "Attempt", "ExecutionTimeMs", "Result",
        // EF Core (feedback store, Debug): the SQL it generated and its parameter list ("@p1='?' (Size = 14)"): values
        // are logged as '?' unless sensitive-data logging is switched on, and names and ids in them stay searched.
        "commandText", "parameters",
    };

    /// <summary>
    /// Name endings of computed numbers in any source (the framework's too): counts, durations, sizes, ids, limits —
    /// e.g. EF Core's savedCount and elapsed, routing's CandidateCount, Polly's ExecutionTimeMs.
    /// </summary>
    public static readonly IReadOnlyList<string> ServiceNumberSuffixes =
        ["Count", "Ms", "Milliseconds", "Elapsed", "Id", "Limit", "Size", "Length", "Attempt", "Seconds"];

    /// <summary>Opaque correlation values (UUIDs, trace ids, hashes): random digits in them are not data.</summary>
    public static readonly IReadOnlySet<string> OpaqueValues = new HashSet<string>(StringComparer.Ordinal)
    {
        "HookInstance", "TraceId", "SpanId", "ParentId", "CorrelationId", "RequestId", "ConnectionId", "ClientJti", "PatientRef", "KeyId",
    };

    private readonly List<(string Label, string Value, bool WholeWord)> texts = [];
    private readonly List<(string Label, decimal Value)> numbers = [];

    public int TextCount => texts.Count;

    public int NumberCount => numbers.Count;

    /// <summary>
    /// A protected text value, matched ordinally: as a whole word (names, ids), or anywhere (<paramref name="wholeWord"/>
    /// false: dates, which may be logged with a time glued on, and tokens). Blank values are ignored.
    /// </summary>
    public void AddText(string label, string? value, bool wholeWord = true)
    {
        if (!string.IsNullOrWhiteSpace(value) && !texts.Exists(t => t.Value == value))
        {
            texts.Add((label, value, wholeWord));
        }
    }

    /// <summary>A protected number (a lab value as written in the input, e.g. "245" or "18.2").</summary>
    public void AddNumber(string label, string? value)
    {
        if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !numbers.Exists(n => n.Value == number))
        {
            numbers.Add((label, number));
        }
    }

    /// <summary>Every hit, as "label 'value' in event …: where", empty when the events are clean.</summary>
    public IReadOnlyList<string> Scan(IEnumerable<LogEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var findings = new List<string>();
        foreach (var logEvent in events)
        {
            var name = logEvent.MessageTemplate.Text.Length > 80 ? logEvent.MessageTemplate.Text[..80] + "…" : logEvent.MessageTemplate.Text;
            foreach (var (where, text, searchNumbers) in Surfaces(logEvent))
            {
                foreach (var (label, value, wholeWord) in texts)
                {
                    if (wholeWord ? ContainsWord(text, value) : text.Contains(value, StringComparison.Ordinal))
                    {
                        findings.Add($"{label} '{value}' in event \"{name}\": {where}");
                    }
                }

                if (searchNumbers)
                {
                    foreach (var token in NumericToken().Matches(text).Select(m => m.Value))
                    {
                        if (decimal.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var found)
                            && numbers.FirstOrDefault(n => n.Value == found) is { Label: { } label })
                        {
                            findings.Add($"{label} {token} in event \"{name}\": {where}");
                        }
                    }
                }
            }
        }

        return findings;
    }

    /// <summary>What a log shipper would store, each with whether numbers in it may be input data.</summary>
    private static IEnumerable<(string Where, string Text, bool SearchNumbers)> Surfaces(LogEvent logEvent)
    {
        yield return ("rendered message", logEvent.RenderMessage(CultureInfo.InvariantCulture), false);
        foreach (var (property, value) in logEvent.Properties)
        {
            var searchNumbers = !ServiceNumbers.Contains(property) && !OpaqueValues.Contains(property)
                && !ServiceNumberSuffixes.Any(suffix => property.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));
            foreach (var scalar in Scalars(value))
            {
                if (scalar.Value is DateTime or DateTimeOffset or TimeSpan or Guid)
                {
                    // Clock values and generated ids the service or framework produced; input dates arrive as text.
                    yield return ($"property {property}", Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? string.Empty, false);
                    continue;
                }

                yield return ($"property {property}", Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? string.Empty, searchNumbers);
            }
        }

        for (var exception = logEvent.Exception; exception is not null; exception = exception.InnerException)
        {
            yield return ($"exception {exception.GetType().Name}", exception.Message, true);
            foreach (var data in exception.Data.Values)
            {
                yield return ($"exception {exception.GetType().Name} data", Convert.ToString(data, CultureInfo.InvariantCulture) ?? string.Empty, true);
            }
        }
    }

    private static IEnumerable<ScalarValue> Scalars(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue scalar:
                yield return scalar;
                break;
            case SequenceValue sequence:
                foreach (var element in sequence.Elements.SelectMany(Scalars))
                {
                    yield return element;
                }

                break;
            case StructureValue structure:
                foreach (var element in structure.Properties.SelectMany(p => Scalars(p.Value)))
                {
                    yield return element;
                }

                break;
            case DictionaryValue dictionary:
                foreach (var (key, element) in dictionary.Elements)
                {
                    yield return key;
                    foreach (var inner in Scalars(element))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    private static bool ContainsWord(string text, string value)
    {
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 ? ' ' : text[at - 1];
            var after = at + value.Length >= text.Length ? ' ' : text[at + value.Length];
            if (!char.IsLetterOrDigit(before) && !char.IsLetterOrDigit(after))
            {
                return true;
            }
        }

        return false;
    }

    // A number not glued to letters, digits or a decimal point: "245" in "245 ng/dL" or "=245.0", not in "a245", "2450", "1.245".
    [GeneratedRegex(@"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?![A-Za-z0-9]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumericToken();
}
