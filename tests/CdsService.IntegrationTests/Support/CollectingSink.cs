using System.Collections.Concurrent;
using System.Globalization;
using Serilog.Core;
using Serilog.Events;

namespace CdsService.IntegrationTests.Support;

/// <summary>
/// Captures every Serilog event of a test host (registered as an ILogEventSink; the host reads sinks from DI), in the
/// manner of serilog/serilog test/Serilog.Tests/Support/CollectingSink.cs.
/// </summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public IReadOnlyList<LogEvent> Events => [.. events];

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

    /// <summary>Events of one catalogue entry (by its [LoggerMessage] EventName).</summary>
    public IReadOnlyList<LogEvent> Named(string eventName) =>
        [.. events.Where(e => EventName(e) == eventName)];

    public static string? EventName(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("EventId", out var id)
        && id is StructureValue structure
        && structure.Properties.FirstOrDefault(p => p.Name == "Name")?.Value is ScalarValue { Value: string name }
            ? name
            : null;

    /// <summary>A scalar property as text (enum values are rendered by name).</summary>
    public static string? Property(LogEvent logEvent, string name) =>
        logEvent.Properties.TryGetValue(name, out var value) && value is ScalarValue scalar
            ? Convert.ToString(scalar.Value, CultureInfo.InvariantCulture)
            : null;

    /// <summary>Everything a log shipper would see: rendered message, all properties, exception text.</summary>
    public string AllText()
    {
        var builder = new System.Text.StringBuilder();
        foreach (var e in events)
        {
            builder.AppendLine(e.RenderMessage(CultureInfo.InvariantCulture));
            foreach (var (key, value) in e.Properties)
            {
                builder.Append(key).Append('=').AppendLine(value.ToString());
            }

            builder.AppendLine(e.Exception?.ToString());
        }

        return builder.ToString();
    }

    public void Clear() => events.Clear();
}
