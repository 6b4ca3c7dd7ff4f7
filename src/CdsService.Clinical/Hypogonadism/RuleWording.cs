using CdsService.Clinical.Model;

namespace CdsService.Clinical.Hypogonadism;

/// <summary>
/// The words of every rule row with one assessor's thresholds filled in: the reason given when a row fires, and each
/// monitoring step without its due date. Filling replaces every threshold placeholder in turn
/// (<see cref="RuleText.Fill"/>) and the thresholds never change for an assessor, so it is done once, not per call.
/// </summary>
internal sealed class RuleWording
{
    private static readonly Dictionary<TherapyKind, string> MonitoringPlanIds =
        Enum.GetValues<TherapyKind>().ToDictionary(therapy => therapy, therapy => "MON-" + therapy.ToCode());

    private readonly Dictionary<string, string> reasons = new(StringComparer.Ordinal);
    private readonly Dictionary<MonitoringRule, MonitoringItem> monitoringSteps = [];

    public RuleWording(ClinicalThresholds thresholds)
    {
        string Fill(string template) => RuleText.Fill(template, thresholds);

        foreach (var rule in HypogonadismRules.AndrogenStatusRules)
        {
            Add(rule.Id, $"Androgen status {ClinicalWords.Describe(rule.Outcome)}", Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.ClassificationRules)
        {
            Add(rule.Id, ClinicalWords.Describe(rule.Outcome), Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.CauseRules)
        {
            Add(rule.Id, $"Cause: {ClinicalWords.Describe(rule.Code)}", Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.FertilityIntentRules)
        {
            Add(rule.Id, $"Fertility intent {ClinicalWords.Describe(rule.Intent)}", Fill(rule.Basis), rule.Source);
        }

        // A recommendation's reason says what to do; the condition is already in the classification's reason.
        foreach (var rule in HypogonadismRules.RecommendationRules)
        {
            Add(rule.Id, ClinicalWords.Describe(rule.Outcome), Fill(rule.Advice ?? rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.MissingDataRules)
        {
            Add(rule.Id, $"Missing: {ClinicalWords.Describe(rule.Outcome)}", Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.WorkupRules)
        {
            Add(rule.Id, $"Further work-up: {ClinicalWords.Describe(rule.Outcome)}", Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.ContraindicationRules)
        {
            Add(rule.Id, $"Testosterone contraindicated: {ClinicalWords.Describe(rule.Code)}", Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.OrderContraindicationRules)
        {
            Add(rule.Id, $"Against {DrugList(rule.DrugClasses)} ({ClinicalWords.Describe(rule.Severity)}): {ClinicalWords.Describe(rule.Code)}",
                Fill(rule.Condition), rule.Source);
        }

        foreach (var rule in HypogonadismRules.MonitoringAlertRules)
        {
            Add(rule.Id, $"On testosterone: {OnTherapyWords.Describe(rule.Code)}", Fill(rule.Condition), rule.Source);
        }

        // A plan has several steps, each with its own source, so its reason points to them instead of naming one.
        foreach (var therapy in Enum.GetValues<TherapyKind>())
        {
            reasons.Add(MonitoringPlanId(therapy),
                $"Monitoring plan: {ClinicalWords.Describe(therapy)} (see the monitoring steps and their sources).");
        }

        foreach (var step in MonitoringPlans.Rules)
        {
            monitoringSteps.Add(step, new MonitoringItem
            {
                Test = step.Test,
                Loinc = step.Loinc,
                Due = DateOnly.MinValue,
                When = Fill(step.When),
                Reason = Fill(step.Reason),
                Source = step.Source,
            });
        }
    }

    /// <summary>"clomiphene or enclomiphene", "hCG, FSH or anabolic steroid" for the words of a drafted-drug screen row.</summary>
    public static string DrugList(IReadOnlyList<MedicationClass> drugs)
    {
        var names = drugs.Select(static d => d is MedicationClass.Hcg or MedicationClass.Fsh
            ? ClinicalWords.Describe(d)
            : ClinicalWords.Describe(d).ToLowerInvariant()).ToList();
        return names.Count == 1 ? names[0] : string.Join(", ", names.Take(names.Count - 1)) + " or " + names[^1];
    }

    /// <summary>The id reported when a therapy's monitoring plan is given, e.g. <c>MON-serm</c>.</summary>
    public static string MonitoringPlanId(TherapyKind therapy) => MonitoringPlanIds[therapy];

    /// <summary>"{id} {outcome}: {condition or advice} ({source})." for a row that fired.</summary>
    public string Reason(string ruleId) => reasons[ruleId];

    /// <summary>The step's words, filled; the caller sets the due date.</summary>
    public MonitoringItem MonitoringStep(MonitoringRule step) => monitoringSteps[step];

    private void Add(string id, string outcome, string because, string source) =>
        reasons.Add(id, $"{id} {outcome}: {because} ({source}).");
}
