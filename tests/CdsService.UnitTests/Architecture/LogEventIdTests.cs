using System.Reflection;
using System.Text.RegularExpressions;
using CdsService.UnitTests.Deploy;
using Microsoft.Extensions.Logging;

namespace CdsService.UnitTests.Architecture;

/// <summary>
/// SIEM rules and the runbook key on event ids, so an id must name one event only, in whichever assembly it is
/// declared, and lie in the range its area documents at the top of the Api's log catalogue (Logging/Log.cs).
/// </summary>
public sealed partial class LogEventIdTests
{
    private const string CataloguePath = "src/CdsService.Api/Logging/Log.cs";

    [Fact]
    public void GivenEveryLoggerMessageInTheService_WhenEventIdsCompared_ThenEachIsUnique()
    {
        var duplicates = LoggerMessages()
            .GroupBy(m => m.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Name))}")
            .ToList();

        Assert.True(duplicates.Count == 0, "Event ids used more than once:\n" + string.Join('\n', duplicates));
    }

    [Fact]
    public void GivenEveryLoggerMessageInTheService_WhenEventIdInspected_ThenItLiesInItsAssemblysDocumentedRange()
    {
        var ranges = DocumentedRanges();

        var outside = LoggerMessages()
            .Where(m => !ranges.Any(r => r.Assembly == m.Assembly && m.EventId >= r.First && m.EventId <= r.Last))
            .Select(m => $"{m.EventId} {m.Name} ({m.Assembly})")
            .ToList();

        Assert.True(outside.Count == 0, $"Event ids outside the ranges documented in {CataloguePath}:\n" + string.Join('\n', outside));
    }

    [Fact]
    public void GivenTheDocumentedRanges_WhenCompared_ThenNoTwoOverlap()
    {
        var ranges = DocumentedRanges().OrderBy(r => r.First).ToList();

        Assert.NotEmpty(ranges);
        Assert.All(ranges, r => Assert.True(r.First <= r.Last, $"{r.First}-{r.Last} is empty"));
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.True(
            pair.First.Last < pair.Second.First,
            $"{pair.First.First}-{pair.First.Last} overlaps {pair.Second.First}-{pair.Second.Last}"));
    }

    [Fact]
    public void GivenTheServiceAssemblies_WhenSearched_ThenLoggerMessagesAreFoundInTheApiAndTheFhirLayer()
    {
        var assemblies = LoggerMessages().Select(m => m.Assembly).Distinct().ToList();

        Assert.Contains("CdsService.Api", assemblies);
        Assert.Contains("CdsService.Fhir", assemblies);
    }

    private sealed record LoggerMessageInfo(string Assembly, string Name, int EventId);

    private sealed record Range(string Assembly, int First, int Last);

    private static List<LoggerMessageInfo> LoggerMessages() =>
        [.. CdsAssemblies.All
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(method => (Method: method, Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(m => m.Attribute is not null)
            .Select(m => new LoggerMessageInfo(
                m.Method.DeclaringType!.Assembly.GetName().Name!,
                $"{m.Method.DeclaringType!.Name}.{m.Method.Name}",
                m.Attribute!.EventId))];

    private static List<Range> DocumentedRanges() =>
        [.. RangeRow().Matches(RepoFiles.Read(CataloguePath))
            .Select(match => new Range(match.Groups["assembly"].Value, int.Parse(match.Groups["first"].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups["last"].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"<term>(?<first>\d+)-(?<last>\d+)</term><description>(?<assembly>CdsService\.\w+):")]
    private static partial Regex RangeRow();
}
