using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace CdsService.Api.Logging;

/// <summary>
/// Escapes control characters in every string a log event carries (request path, issuer, header-derived values,
/// anything a caller wrote), as <c>\n</c>, <c>\r</c>, <c>\t</c> or <c>\uXXXX</c>: a CR/LF in a logged value would
/// otherwise start a forged line in the text logs (OWASP Logging Cheat Sheet, "log injection"; CWE-117). JSON logs
/// escape them anyway; the text sink does not. Runs last, so it sees the properties every other enricher added.
/// </summary>
public sealed class ControlCharacterEscapingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        List<LogEventProperty>? replaced = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var escaped = Escape(value);
            if (!ReferenceEquals(escaped, value))
            {
                (replaced ??= []).Add(new LogEventProperty(name, escaped));
            }
        }

        if (replaced is not null)
        {
            foreach (var property in replaced)
            {
                logEvent.AddOrUpdateProperty(property);
            }
        }
    }

    /// <summary>The value with its strings escaped, or the same instance when nothing needed escaping.</summary>
    private static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when NeedsEscaping(text):
                return new ScalarValue(EscapeText(text));
            case SequenceValue sequence:
            {
                var elements = sequence.Elements.Select(Escape).ToList();
                return elements.Where((e, i) => !ReferenceEquals(e, sequence.Elements[i])).Any() ? new SequenceValue(elements) : value;
            }

            case StructureValue structure:
            {
                var properties = structure.Properties.Select(p => new { p.Name, Value = Escape(p.Value), Original = p.Value }).ToList();
                return properties.Any(p => !ReferenceEquals(p.Value, p.Original))
                    ? new StructureValue(properties.Select(p => new LogEventProperty(p.Name, p.Value)), structure.TypeTag)
                    : value;
            }

            case DictionaryValue dictionary:
            {
                var entries = dictionary.Elements.Select(e => new { e.Key, Value = Escape(e.Value), Original = e.Value }).ToList();
                return entries.Any(e => !ReferenceEquals(e.Value, e.Original))
                    ? new DictionaryValue(entries.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, e.Value)))
                    : value;
            }

            default:
                return value;
        }
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Public for the tests: the escaped form of one string.</summary>
    public static string EscapeText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }
}
