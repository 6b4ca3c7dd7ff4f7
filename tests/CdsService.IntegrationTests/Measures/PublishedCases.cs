using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.Measures;

/// <summary>One published case of fhir-profiles/validation/published-cases.json (format: the file's "about").</summary>
internal sealed record PublishedCase
{
    public required string Id { get; init; }

    /// <summary>"individual" (one published patient) or "series" (a published series' defining profile).</summary>
    public required string Source { get; init; }

    public required string Citation { get; init; }

    public string? Url { get; init; }

    /// <summary>Null when the age was not published (the Patient then has no birth date).</summary>
    public int? Age { get; init; }

    public required string KeyData { get; init; }

    public required string PublishedManagement { get; init; }

    public IReadOnlyList<string> Assumptions { get; init; } = [];

    public required CaseCall Call { get; init; }

    public CaseRecord Record { get; init; } = new();

    public required CaseExpectation Expected { get; init; }

    /// <summary>Why the engine does not fully agree; present exactly when it does not.</summary>
    public string? Explanation { get; init; }

    public HookKind Hook => WireCodes.TryParse<HookKind>(Call.Hook, out var hook)
        ? hook
        : throw new InvalidDataException($"{Id}: unknown hook '{Call.Hook}'.");

    public ExampleDraftOrder? Draft => Call.DraftOrder is null ? null
        : ExampleDraftOrders.TryParse(Call.DraftOrder, out var draft) ? draft
        : throw new InvalidDataException($"{Id}: unknown draftOrder '{Call.DraftOrder}'.");

    /// <summary>The case as FHIR R4 resources, dated relative to <paramref name="evaluationTime"/>.</summary>
    public JsonObject Bundle(DateTimeOffset evaluationTime)
    {
        var today = DateOnly.FromDateTime(evaluationTime.UtcDateTime);
        string Date(int daysBefore) => today.AddDays(-daysBefore).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // Born half a year before the birthday that gives the published age, so the age holds whatever the day.
        var record = new PatientRecord(Id, Age is { } age ? today.AddYears(-age).AddDays(-182) : null);
        foreach (var lab in Record.Labs)
        {
            var effective = lab.Time is { } time ? $"{Date(lab.DaysBefore)}T{time}:00-05:00" : Date(lab.DaysBefore);
            record.Lab(LabCode.For(lab.Analyte, lab.Unit), lab.Value, effective, lab.Comparator);
        }

        foreach (var condition in Record.Conditions)
        {
            var system = condition.System switch
            {
                "icd-10-cm" => PatientRecord.Icd10,
                "snomed" => PatientRecord.Snomed,
                _ => throw new InvalidDataException($"{Id}: unknown code system '{condition.System}'."),
            };
            record.Condition(system, condition.Code, condition.Display, condition.OnsetDaysBefore is { } onset ? Date(onset) : null);
        }

        foreach (var medication in Record.MedicationRequests)
        {
            record.MedicationRequest(medication.Text, medication.RxNorm, medication.Status, Date(medication.AuthoredDaysBefore),
                medication.EndedDaysBefore is { } ended ? Date(ended) : null);
        }

        foreach (var statement in Record.MedicationStatements)
        {
            record.MedicationStatement(statement.Text, statement.Status,
                statement.StartDaysBefore is { } start ? Date(start) : null,
                statement.EndDaysBefore is { } end ? Date(end) : null);
        }

        if (Record.FertilityIntent is { } intent)
        {
            var (code, display) = intent.Answer switch
            {
                "desired" => ("454411000124108", "Wants to become pregnant (finding)"),
                "not-desired" => ("454401000124105", "Does not want to become pregnant (finding)"),
                "unsure" => ("454381000124105", "Unsure of pregnancy intention (finding)"),
                _ => throw new InvalidDataException($"{Id}: unknown fertility intent answer '{intent.Answer}'."),
            };
            record.FertilityIntent(code, display, $"{Date(intent.DaysBefore)}T09:00:00-05:00");
        }

        return record.ToBundle();
    }
}

internal sealed record CaseCall
{
    public required string Hook { get; init; }

    public string? DraftOrder { get; init; }
}

internal sealed record CaseRecord
{
    public IReadOnlyList<CaseLab> Labs { get; init; } = [];

    public IReadOnlyList<CaseCondition> Conditions { get; init; } = [];

    public IReadOnlyList<CaseMedicationRequest> MedicationRequests { get; init; } = [];

    public IReadOnlyList<CaseMedicationStatement> MedicationStatements { get; init; } = [];

    public CaseIntent? FertilityIntent { get; init; }
}

internal sealed record CaseLab(string Analyte, decimal Value, string Unit, int DaysBefore, string? Time = null, string? Comparator = null);

internal sealed record CaseCondition(string System, string Code, string Display, int? OnsetDaysBefore = null);

internal sealed record CaseMedicationRequest(string Text, string Status, int AuthoredDaysBefore, string? RxNorm = null, int? EndedDaysBefore = null);

internal sealed record CaseMedicationStatement(string Text, string Status, int? StartDaysBefore = null, int? EndDaysBefore = null);

internal sealed record CaseIntent(string Answer, int DaysBefore);

/// <summary>
/// What the published management means in the engine's codes. A criterion with no accepted value (an empty list, or no
/// draftOrder) is not judged: the source does not say.
/// </summary>
internal sealed record CaseExpectation
{
    public IReadOnlyList<string> Classification { get; init; } = [];

    public IReadOnlyList<string> Recommendation { get; init; } = [];

    /// <summary>"keep" (the published management would sign the drafted order) or "cancel" (it would not).</summary>
    public string? DraftOrder { get; init; }

    public required string Basis { get; init; }
}

/// <summary>A case's engine answer judged against the published management.</summary>
internal sealed record CaseVerdict(PublishedCase Case, HookOutcome Outcome)
{
    /// <summary>"cancel" when a warning or critical card offers to delete or change the drafted order, else "keep".</summary>
    public string EngineOrderVerdict => Outcome.Cards.Any(c => c.Interrupts && c.ChangesOrder) ? "cancel" : "keep";

    public bool? ClassificationAgrees => Case.Expected.Classification.Count == 0 ? null : Case.Expected.Classification.Contains(Outcome.Classification);

    public bool? RecommendationAgrees => Case.Expected.Recommendation.Count == 0 ? null : Case.Expected.Recommendation.Contains(Outcome.Recommendation);

    public bool? OrderAgrees => Case.Expected.DraftOrder is null || Case.Hook == HookKind.PatientView ? null : Case.Expected.DraftOrder == EngineOrderVerdict;

    /// <summary>agree: every judged criterion matches; disagree: none does; partial: some do.</summary>
    public string Agreement
    {
        get
        {
            var judged = new[] { ClassificationAgrees, RecommendationAgrees, OrderAgrees }.OfType<bool>().ToList();
            return judged.All(x => x) ? "agree" : judged.Any(x => x) ? "partial" : "disagree";
        }
    }
}

internal static class PublishedCases
{
    public static string Path => RepositoryPaths.Of("fhir-profiles", "validation", "published-cases.json");

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, AllowTrailingCommas = false };

    private static readonly Lazy<IReadOnlyList<PublishedCase>> Cases = new(() =>
        JsonNode.Parse(File.ReadAllText(Path))?["cases"]?.Deserialize<List<PublishedCase>>(Json)
        ?? throw new InvalidDataException($"{RepositoryPaths.Relative(Path)} has no cases."));

    public static IReadOnlyList<PublishedCase> All => Cases.Value;

    public static PublishedCase Find(string id) => All.Single(c => c.Id == id);

    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var item in All)
            {
                data.Add(item.Id);
            }

            return data;
        }
    }
}
