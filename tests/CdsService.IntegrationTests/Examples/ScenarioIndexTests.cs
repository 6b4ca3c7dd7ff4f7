using System.Globalization;
using System.Text.Json.Nodes;

namespace CdsService.IntegrationTests.Examples;

/// <summary>
/// fhir-profiles/examples/scenarios.json agrees with the Bundles beside it, uses only the wire codes of the rules
/// (docs/clinical/hypogonadism-rules.md) and the cards (docs/cards.md), and the examples cover every path the data
/// layer has to handle. The expected assessments are hand-derived; whether the engine agrees
/// is checked by the golden/approval tests, not here.
/// </summary>
public sealed class ScenarioIndexTests
{
    // Test evaluation time shared with the golden tests; hormone labs must fall in the 12-month lookback before it.
    private static readonly DateTimeOffset EvaluationTime = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Classifications =
        ["primary", "secondary", "compensated", "eugonadal", "exogenous-androgen", "insufficient-data", "not-applicable",
            "androgen-deprivation", "on-fertility-therapy"];

    private static readonly string[] Intents = ["desired", "not-desired", "unsure", "unknown"];

    private static readonly string[] Recommendations =
    [
        "testosterone-replacement", "fertility-preserving", "refer-reproductive-urology", "assess-fertility-intent",
        "no-testosterone-therapy", "complete-workup", "fertility-restoration", "continue-with-monitoring", "treat-underlying-cause",

        // Not in the cards' list (docs/cards.md): the rules give classification not-applicable no recommendation, and the extension's
        // recommendation member is required, so the service answers "not-applicable" for it (documented in README).
        "not-applicable",

        // An absolute contraindication to testosterone (active prostate or breast cancer, androgen deprivation).
        "testosterone-contraindicated",
        // A man on testosterone whose on-treatment hematocrit is above the withhold limit (REC-22).
        "withhold-testosterone",
    ];

    private static readonly string[] MonitoringAlerts =
    [
        "hematocrit-above-withhold", "hematocrit-elevated", "psa-rise", "psa-above-limit", "testosterone-below-target",
        "testosterone-above-target", "overdue-hematocrit", "overdue-psa", "overdue-testosterone",
    ];

    // Scenarios about results that are too old: the lookback itself, and monitoring overdue on testosterone.
    private static readonly string[] OldResultScenarios = ["lookback-expired", "renewal-overdue-labs"];

    private static readonly string[] Contraindications =
    [
        "fertility-desired", "hematocrit-above-48", "psa-above-4", "prostate-cancer", "breast-cancer",
        "untreated-severe-sleep-apnea", "uncontrolled-heart-failure", "recent-mi-or-stroke", "vte-or-thrombophilia",
        "prostate-cancer-history", "polycythemia", "androgen-deprivation",
    ];

    private static readonly string[] Hooks = ["order-sign", "order-select", "patient-view"];

    private static readonly string[] DraftOrders =
    [
        "testosterone-cypionate", "testosterone-gel", "clomiphene", "enclomiphene", "hcg", "anastrozole", "nandrolone-decanoate",
        "follitropin-alfa",
    ];

    private static readonly string[] HormoneLoinc =
        ["2986-8", "14913-8", "49041-7", "2991-8", "14914-6", "103227-5", "2990-0", "13967-5", "1751-7", "10501-5", "15067-2", "2842-3", "2243-4", "14715-7"];

    private static JsonArray Index() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "scenarios.json")))!.AsArray();

    private static JsonNode Bundle(string id) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Examples, $"{id}.json")))!;

    private static IEnumerable<JsonNode> Resources(JsonNode bundle) => bundle["entry"]!.AsArray().Select(e => e!["resource"]!);

    [Fact]
    public void GivenIndex_WhenComparedWithTheFolder_ThenEveryScenarioHasExactlyOneBundleAndViceVersa()
    {
        var ids = Index().Select(s => (string)s!["id"]!).ToList();
        var files = RepositoryPaths.ScenarioBundleFiles().Select(Path.GetFileNameWithoutExtension).ToList();

        Assert.True(ids.Count >= 15, $"at least 15 scenarios are needed to cover the data paths, found {ids.Count}");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(files.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GivenEachBundle_WhenRead_ThenItIsATransactionForOnePatientWhoseIdIsTheScenarioId()
    {
        foreach (var scenario in Index())
        {
            var id = (string)scenario!["id"]!;
            var bundle = Bundle(id);
            Assert.Equal("transaction", (string?)bundle["type"]);
            var patients = Resources(bundle).Where(r => (string?)r["resourceType"] == "Patient").ToList();
            Assert.Single(patients);
            Assert.Equal(id, (string?)patients[0]["id"]);
            foreach (var entry in bundle["entry"]!.AsArray())
            {
                var resource = entry!["resource"]!;
                Assert.Equal("PUT", (string?)entry["request"]!["method"]);
                Assert.Equal($"{resource["resourceType"]}/{resource["id"]}", (string?)entry["request"]!["url"]);
                var subject = (string?)(resource["subject"]?["reference"]);
                Assert.True(resource["subject"] is null || subject == $"Patient/{id}", $"{id}: {resource["id"]} points at {subject}");
            }
        }
    }

    [Fact]
    public void GivenIndex_WhenRead_ThenEveryFieldUsesTheContractWireCodes()
    {
        foreach (var scenario in Index())
        {
            var id = (string)scenario!["id"]!;
            Assert.False(string.IsNullOrWhiteSpace((string?)scenario["title"]), id);
            Assert.False(string.IsNullOrWhiteSpace((string?)scenario["description"]), id);
            Assert.Contains((string)scenario["hook"]!, Hooks);
            var draft = (string?)scenario["draftOrder"];
            Assert.True(draft is null || DraftOrders.Contains(draft), $"{id}: draftOrder {draft}");
            Assert.True((draft is null) == ((string?)scenario["hook"] == "patient-view"), $"{id}: only patient-view has no draft order");
            var expected = scenario["expected"]!;
            Assert.Contains((string)expected["classification"]!, Classifications);
            Assert.Contains((string)expected["fertilityIntent"]!, Intents);
            var recommendation = (string?)expected["recommendation"];
            // "not-applicable" is the recommendation of classification not-applicable, and of nothing else.
            Assert.True(
                recommendation is not null && Recommendations.Contains(recommendation)
                    && ((recommendation == "not-applicable") == ((string?)expected["classification"] == "not-applicable")),
                $"{id}: recommendation {recommendation}");
            foreach (var code in expected["trtContraindications"]?.AsArray() ?? [])
            {
                Assert.Contains((string)code!, Contraindications);
            }

            foreach (var code in expected["monitoringAlerts"]?.AsArray() ?? [])
            {
                Assert.Contains((string)code!, MonitoringAlerts);
            }
        }
    }

    [Fact]
    public void GivenIndex_WhenTakenTogether_ThenEveryClassificationIntentRecommendationAndContraindicationIsCovered()
    {
        var expected = Index().Select(s => s!["expected"]!).ToList();

        Assert.Equal(Classifications.Order(), expected.Select(e => (string)e["classification"]!).Distinct().Order());
        Assert.Equal(Intents.Order(), expected.Select(e => (string)e["fertilityIntent"]!).Distinct().Order());
        Assert.Equal(Recommendations.Order(), expected.Select(e => (string?)e["recommendation"]).OfType<string>().Distinct().Order());
        Assert.Equal(
            Contraindications.Order(),
            expected.SelectMany(e => e["trtContraindications"]?.AsArray() ?? []).Select(c => (string)c!).Distinct().Order());
    }

    [Fact]
    public void GivenExamples_WhenScanned_ThenTheyContainTheDataShapesIssue4AsksFor()
    {
        var all = Index().Select(s => (string)s!["id"]!).SelectMany(id => Resources(Bundle(id))).ToList();
        var observations = all.Where(r => (string?)r["resourceType"] == "Observation").ToList();

        Assert.Contains(observations, o => (string?)o["valueQuantity"]?["code"] == "nmol/L" && Loinc(o) == "14913-8");
        Assert.Contains(observations, o => (string?)o["valueQuantity"]?["code"] == "ng/dL" && Loinc(o) == "2986-8");
        Assert.Contains(observations, o => ((string?)o["effectiveDateTime"])?.Length == 10);
        Assert.Contains(observations, o => o["effectivePeriod"] is not null);
        Assert.Contains(observations, o => LocalHour(o) is >= 12);
        foreach (var status in new[] { "amended", "corrected", "entered-in-error", "preliminary", "cancelled" })
        {
            Assert.Contains(observations, o => (string?)o["status"] == status);
        }

        Assert.Contains(observations, o => o["dataAbsentReason"] is not null);
        Assert.Contains(all, r => (string?)r["resourceType"] == "MedicationRequest" && (string?)r["status"] == "active");
        Assert.Contains(all, r => (string?)r["resourceType"] == "Condition" && r["code"]!["coding"]!.AsArray().Any(c => ((string?)c!["code"])!.StartsWith("N46", StringComparison.Ordinal)));
        foreach (var answer in new[] { "454411000124108", "454401000124105", "454381000124105", "LA26438-4", "LA26440-0" })
        {
            Assert.Contains(observations, o => Loinc(o) == "86645-9" && (string?)o["valueCodeableConcept"]!["coding"]![0]!["code"] == answer);
        }
    }

    [Fact]
    public void GivenHormoneLabs_WhenDated_ThenAllFallInThe12MonthLookbackExceptInTheLookbackScenario()
    {
        foreach (var scenario in Index())
        {
            var id = (string)scenario!["id"]!;
            var hormoneDates = Resources(Bundle(id))
                .Where(r => (string?)r["resourceType"] == "Observation" && HormoneLoinc.Contains(Loinc(r)))
                .Select(Effective)
                .ToList();
            var inLookback = hormoneDates.All(d => d > EvaluationTime.AddMonths(-12) && d <= EvaluationTime);
            Assert.True(OldResultScenarios.Contains(id) ? !hormoneDates.Any(d => d > EvaluationTime.AddMonths(-12)) : inLookback, id);
        }
    }

    private static string? Loinc(JsonNode observation) =>
        observation["code"]?["coding"]?.AsArray().Where(c => (string?)c!["system"] == "http://loinc.org").Select(c => (string?)c!["code"]).FirstOrDefault();

    private static DateTimeOffset Effective(JsonNode observation)
    {
        var text = (string?)observation["effectiveDateTime"] ?? (string?)observation["effectivePeriod"]?["start"]
            ?? throw new InvalidOperationException($"{observation["id"]} has no effective time");
        return text.Length == 10
            ? new DateTimeOffset(DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }

    private static int? LocalHour(JsonNode observation)
    {
        var text = (string?)observation["effectiveDateTime"];
        return text is { Length: > 10 } ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).Hour : null;
    }
}
