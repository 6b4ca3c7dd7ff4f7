using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CdsService.Protocol;
using CdsService.IntegrationTests.Golden;

namespace CdsService.IntegrationTests.Measures;

/// <summary>Cards of one (indicator, card kind) pair over the whole population.</summary>
internal sealed class KindCount
{
    public int Cards { get; set; }

    /// <summary>Cards of this kind with no suggestion that deletes or updates the drafted order.</summary>
    public int WithoutOrderChange { get; set; }

    public int InNewStarts { get; set; }

    public int InRenewals { get; set; }
}

/// <summary>Raw counts of one measurement (integers only, so a committed baseline never drifts by rounding).</summary>
internal sealed class BurdenCounts
{
    public int Orders { get; set; }

    public int NewStarts { get; set; }

    public int Renewals { get; set; }

    public int OrdersWithoutCard { get; set; }

    /// <summary>Orders that got at least one critical or warning card.</summary>
    public int OrdersInterrupted { get; set; }

    /// <summary>Orders that got a critical or warning card offering no change to the drafted order.</summary>
    public int OrdersInterruptedWithoutOrderChange { get; set; }

    public SortedDictionary<string, int> CardsByIndicator { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Key "indicator/kind", e.g. "warning/trt-contraindication" (a kind may change indicator between versions).</summary>
    public SortedDictionary<string, KindCount> CardsByKind { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> Classifications { get; set; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> Recommendations { get; set; } = new(StringComparer.Ordinal);

    public void Add(SyntheticMan man, HookOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(man);
        ArgumentNullException.ThrowIfNull(outcome);
        Orders++;
        if (man.Renewal)
        {
            Renewals++;
        }
        else
        {
            NewStarts++;
        }

        Increment(Classifications, outcome.Classification);
        Increment(Recommendations, outcome.Recommendation);
        if (outcome.Cards.Count == 0)
        {
            OrdersWithoutCard++;
        }

        var interrupting = outcome.Cards.Where(c => c.Interrupts).ToList();
        if (interrupting.Count > 0)
        {
            OrdersInterrupted++;
        }

        if (interrupting.Any(c => !c.ChangesOrder))
        {
            OrdersInterruptedWithoutOrderChange++;
        }

        foreach (var card in outcome.Cards)
        {
            Increment(CardsByIndicator, card.Indicator);
            var key = card.Indicator + "/" + card.Kind;
            if (!CardsByKind.TryGetValue(key, out var count))
            {
                CardsByKind[key] = count = new KindCount();
            }

            count.Cards++;
            count.WithoutOrderChange += card.ChangesOrder ? 0 : 1;
            count.InNewStarts += man.Renewal ? 0 : 1;
            count.InRenewals += man.Renewal ? 1 : 0;
        }
    }

    /// <summary>Warning and critical cards that offer no change to the drafted order (the goal: none).</summary>
    public int InterruptingWithoutOrderChange =>
        CardsByKind.Where(k => IsInterrupting(k.Key)).Sum(k => k.Value.WithoutOrderChange);

    public static bool IsInterrupting(string indicatorSlashKind) =>
        indicatorSlashKind.StartsWith("critical/", StringComparison.Ordinal) || indicatorSlashKind.StartsWith("warning/", StringComparison.Ordinal);

    private static void Increment(SortedDictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;
}

/// <summary>
/// The committed "before" measurement (docs/clinical/alert-burden-baseline.json): the same population sent to the
/// engine of <see cref="Commit"/>. Written only on request (<see cref="CaptureVariable"/>), never by the approval update.
/// </summary>
internal sealed class BurdenBaseline
{
    /// <summary>Set to the commit id being measured to (re)write the baseline from the engine of that checkout.</summary>
    public const string CaptureVariable = "ALERT_BURDEN_BASELINE_COMMIT";

    /// <summary>Optional words for what that commit is (shown in the document beside the commit id).</summary>
    public const string DescriptionVariable = "ALERT_BURDEN_BASELINE_DESCRIPTION";

    public static string Path => RepositoryPaths.Of("docs", "clinical", "alert-burden-baseline.json");

    public required string Commit { get; init; }

    public required string Description { get; init; }

    public required int Seed { get; init; }

    public required int Size { get; init; }

    public required DateTimeOffset EvaluationTime { get; init; }

    public required string PopulationFingerprint { get; init; }

    public required BurdenCounts Counts { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static BurdenBaseline? Load() =>
        File.Exists(Path) ? JsonSerializer.Deserialize<BurdenBaseline>(File.ReadAllText(Path), Json) : null;

    public void Save() => File.WriteAllText(Path, JsonSerializer.Serialize(this, Json).ReplaceLineEndings("\n") + "\n");
}

/// <summary>Sends every man of the population through order-sign (real HTTP pipeline) and counts the cards.</summary>
internal static class AlertBurden
{
    /// <summary>Calls in flight at once; the aggregation is by man, so the result does not depend on completion order.</summary>
    private const int Concurrency = 4;

    public static async Task<BurdenCounts> MeasureAsync(GoldenApp app, IReadOnlyList<SyntheticMan> men)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(men);
        var outcomes = new HookOutcome[men.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, men.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = TestContext.Current.CancellationToken },
            async (i, cancellation) =>
            {
                var man = men[i];
                var request = HookRequests.For(man.Bundle)
                    .Hook(HookKind.OrderSign, man.Draft)
                    .At(SyntheticPopulation.EvaluationTime, shiftDates: false)
                    .WithHookInstance(GoldenScenarios.NameBasedUuid("alert-burden/" + man.PatientId))
                    .Build();
                // Status checked, schema not: the response schema is proven for every card kind by the golden tests,
                // and validating 1,000 bodies would dominate this test's run time.
                using var response = await app.Client.PostHookAsync(request.ServiceId, request.Body);
                var body = await response.Content.ReadAsStringAsync(cancellation);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{man.PatientId}: {(int)response.StatusCode} {body}");
                outcomes[i] = HookOutcome.Read(JsonNode.Parse(body)!, HookOutcome.DraftOrderIds(request.Body));
            });

        var counts = new BurdenCounts();
        for (var i = 0; i < men.Count; i++)
        {
            counts.Add(men[i], outcomes[i]);
        }

        return counts;
    }
}
