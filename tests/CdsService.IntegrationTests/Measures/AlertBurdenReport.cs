using System.Globalization;
using System.Text;

namespace CdsService.IntegrationTests.Measures;

/// <summary>Writes docs/clinical/alert-burden.md from the baseline and the current measurement.</summary>
internal static class AlertBurdenReport
{
    public static string Path => RepositoryPaths.Of("docs", "clinical", "alert-burden.md");

    /// <summary>One line of the population table: what, how often here, and where the share comes from.</summary>
    private sealed record MixRow(string Characteristic, Func<IReadOnlyList<SyntheticMan>, string> Realised, string Basis);

    private static readonly MixRow[] Mix =
    [
        new("Age 18–39 / 40–59 / 60–84", m => $"{Share(m, x => x.Age < 40)} / {Share(m, x => x.Age is >= 40 and < 60)} / {Share(m, x => x.Age >= 60)}",
            "Assumption (bands 18–29 5 %, 30–39 12 %, 40–49 23 %, 50–59 28 %, 60–69 21 %, 70–84 11 %): testosterone use rose in every age group of men ≥ 40 [Baillargeon 2013]; younger men are a minority of users [Malik]."),
        new("Renewal (already on testosterone, active order)", m => Share(m, x => x.Renewal),
            "Assumption (40 %). Renewals carry one on-treatment testosterone (80 %), hematocrit (85 %, mean 47.5 %, SD 3.2 — assumption: testosterone raises red-cell mass, ES 2018) and PSA (80 % of men ≥ 40, age median × 1.2 — assumption)."),
        new("New start with no testosterone result in 12 months", m => Share(m, x => x.Untested, x => !x.Renewal) + " of new starts",
            "25 % of new starts: 25–40 % of men starting testosterone had no test before [Baillargeon, UTMB 2014]; the generator uses the lower bound."),
        new("Tested new start with a normal newest value", m => Share(m, x => !x.LowFirstDraw, x => !x.Renewal && !x.Untested) + " of tested new starts",
            "15 %: testosterone is prescribed with a normal or high baseline in 4–9 % up to 20 % of prescriptions [Screening review]. Low values ~ N(200, 60) ng/dL (hypogonadal men: mean 194.3 ± 64.9 ng/dL [Malik]); normal ~ N(420, 90)."),
        new("Tested new start with two draws on different days", m => Share(m, x => x.TestosteroneDraws == 2, x => !x.Renewal && !x.Untested) + " of tested new starts",
            "Assumption (55 %); the repeat varies around the first by N(0, 60) ng/dL (assumption). Draw times: 85 % 07:30–10:45, 10 % 13:00–16:30, 5 % date only (assumption; HIM sampled 8 am–noon [HIM]). 15 % of labs report nmol/L (assumption)."),
        new("Tested new start with LH (and FSH in 90 % of those)", m => Share(m, x => x.LhMeasured, x => !x.Renewal && !x.Untested) + " of tested new starts",
            "Assumption (65 %). Among low values 15 % have a high LH (primary): EMAS found 2.0 % primary vs 11.8 % secondary [EMAS]; among normal values 10 % have a high LH (EMAS compensated 9.5 %)."),
        new("Fertility intent recorded (US Core pregnancy intent)", m => Share(m, x => x.RecordedIntent is not null),
            "15 %: the issue's 10–20 % of records."),
        new("… of which 'wants children'", m => Share(m, x => x.RecordedIntent == "desired", x => x.RecordedIntent is not null) + " of answers",
            "Assumption by age: < 30 40 %, 30–39 35 %, 40–49 12 %, 50–59 4 %, ≥ 60 1 %; men 25–34 still intend 1.32 more children on average, men 35–44 0.42 [NSFG]. 10 % of other answers under 50 are 'unsure'."),
        new("Male-infertility diagnosis (men < 45)", m => Share(m, x => x.InfertilityCondition, x => x.Age < 45) + " of men < 45", "Assumption (3 %)."),
        new("Obesity (BMI ≥ 30; BMI recorded in 90 %, E66.9 coded in half)", m => Share(m, x => x.Obese),
            "42 %: adult obesity 41.9 % in NHANES 2017–March 2020 [NHSR 158]; low testosterone is more likely with obesity (OR 2.38) [HIM] (not modelled)."),
        new("Type 2 diabetes (E11.9)", m => Share(m, x => x.Diabetes),
            "By age, men: 20–39 4.0 %, 40–59 17.1 %, ≥ 60 36.3 % [NHSR 158]."),
        new("Obstructive sleep apnoea coded (G47.33)", m => Share(m, x => x.SleepApnea),
            "Assumption: 20 % of obese and 5 % of other men have it coded; OSA (AHI ≥ 5) is found in 22 % of men in population studies [Franklin 2015]."),
        new("Long-term opioid (oxycodone)", m => Share(m, x => x.Opioid), "Assumption (4 %)."),
        new("Systemic glucocorticoid (prednisone)", m => Share(m, x => x.Glucocorticoid), "Assumption (1 %)."),
        new("Heart failure / MI within 6 months / thrombophilia / prostate-cancer history (Z85.46, men ≥ 60)",
            m => $"{Share(m, x => x.Rare.HeartFailure)} / {Share(m, x => x.Rare.RecentMi)} / {Share(m, x => x.Rare.Thrombophilia)} / {Share(m, x => x.Rare.ProstateCancerHistory, x => x.Age >= 60)} of men ≥ 60",
            "Assumption (2 % / 0.5 % / 0.5 % / 1 %)."),
        new("Symptom coded (ED, low libido or fatigue)", m => Share(m, x => x.SymptomsCoded), "Assumption: 80 % of new starts, 60 % of renewals."),
        new("Hematocrit above 48 % / above 54 %", m => $"{Share(m, x => x.Hematocrit > 48m, x => x.Hematocrit is not null)} / {Share(m, x => x.Hematocrit > 54m, x => x.Hematocrit is not null)} of measured",
            "New starts ~ N(45.5, 2.4) %: the adult male reference interval 40.7–50.3 % [MedlinePlus]; measured in 85 %."),
        new("PSA above 4 ng/mL", m => $"{Share(m, x => x.Psa > 4m, x => x.Psa is not null)} of measured",
            "Log-normal with age medians 0.7 / 0.9 / 1.2 / 1.5 ng/mL [AUA PSA] and spread so the 95th centile meets the age-specific upper limits 2.84 / 5.87 / 9.03 ng/mL [MMAS]; measured in 75 % of new starts ≥ 40."),
        new("Drafted testosterone: cypionate injection / gel", m => $"{Share(m, x => x.Draft == CdsService.Examples.ExampleDraftOrder.TestosteroneCypionate)} / {Share(m, x => x.Draft == CdsService.Examples.ExampleDraftOrder.TestosteroneGel)}",
            "Assumption (60 / 40)."),
    ];

    private static readonly (string Key, string Citation)[] Sources =
    [
        ("Baillargeon 2013", "Baillargeon J, Urban RJ, Ottenbacher KJ, Pierson KS, Goodwin JS. Trends in androgen prescribing in the United States, 2001 to 2011. JAMA Intern Med 2013;173(15):1465–1466. https://jamanetwork.com/journals/jamainternalmedicine/fullarticle/1691925"),
        ("UTMB 2014", "University of Texas Medical Branch newsroom, quoting Scientific American (16 Sep 2014): 25–40 % of men receiving testosterone never had a blood test first (Baillargeon). https://chairsearches.utmb.edu/newsroom/article9890.aspx"),
        ("Screening review", "Citation statement on screening and monitoring of men on testosterone: prescriptions with normal or high baseline testosterone range from 4–9 % up to 20 %. https://staging.scite.ai/reports/screening-and-monitoring-in-men-wrxmVL"),
        ("Malik", "Malik RD, Wang CE, Lapin B, Lakeman JC, Helfand BT. Characteristics of men undergoing testosterone replacement therapy and adherence to follow-up recommendations in metropolitan multicenter health care system. Urology. (9,176 men tested 2009–2012; 36 % hypogonadal, mean 194.3 ± 64.9 ng/dL; 4.8 % of men 18–35 treated.) https://coek.info/pdf-characteristics-of-men-undergoing-testosterone-replacement-therapy-andadherence-4d893a887153dae2559f63b9994d55d11153.html"),
        ("HIM", "Mulligan T, Frick MF, Zuraw QC, Stemhagen A, McWhirter C. Prevalence of hypogonadism in males aged at least 45 years: the HIM study. Int J Clin Pract 2006;60(7):762–769 (38.7 % below 300 ng/dL in primary care; OR obesity 2.38, diabetes 2.09). https://pmc.ncbi.nlm.nih.gov/articles/PMC1569444"),
        ("EMAS", "Tajar A, Forti G, O'Neill TW, et al. Characteristics of secondary, primary, and compensated hypogonadism in aging men: evidence from the European Male Ageing Study. J Clin Endocrinol Metab 2010;95(4):1810–1818 (11.8 % secondary, 2.0 % primary, 9.5 % compensated)."),
        ("NSFG", "Guzzo KB. Variation in men's actual + intended number of children. NCFMR Family Profile FP-21-15, 2021 (NSFG 2015–19). https://www.bgsu.edu/ncfmr/resources/data/family-profiles/guzzo-variation-mens-intended-number-children-fp-21-15.html"),
        ("NHSR 158", "Stierman B, et al. National Health and Nutrition Examination Survey 2017–March 2020 prepandemic data files: development of files and prevalence estimates for selected health outcomes. National Health Statistics Reports no. 158, 2021 (Table 8: diabetes by age and sex). https://www.ncbi.nlm.nih.gov/books/NBK606854/"),
        ("Franklin 2015", "Franklin KA, Lindberg E. Obstructive sleep apnea is a common disorder in the population — a review on the epidemiology of sleep apnea. J Thorac Dis 2015;7(8):1311–1322. https://jtd.amegroups.org/article/view/4797/5202"),
        ("MedlinePlus", "MedlinePlus, Hematocrit test: normal 40.7–50.3 % in men (as quoted at https://de.411answers.com/a/was-ist-ein-normaler-haematokritwert.html)."),
        ("AUA PSA", "American Urological Association, PSA testing best practice statement: median PSA 0.7 (40s), 0.9 (50s), 1.2 (60s), 1.5 ng/mL (70s), as summarised at https://www.droracle.ai/articles/875174/what-are-the-ageadjusted-normal-prostatespecific-antigen-psa-levels"),
        ("MMAS", "Serum prostate-specific antigen levels in men without clinical evidence of prostate cancer: age-specific reference ranges (Massachusetts Male Aging Study). Urology 1999. doi:10.1016/S0090-4295(99)00349-0"),
    ];

    public static string Render(IReadOnlyList<SyntheticMan> men, BurdenBaseline baseline, BurdenCounts current)
    {
        ArgumentNullException.ThrowIfNull(men);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(current);
        var before = baseline.Counts;
        var text = new StringBuilder();
        text.Append("# Alert burden: cards per 100 testosterone orders\n\n");
        text.Append("<!-- Generated by tests/CdsService.IntegrationTests/Measures/AlertBurdenTests.cs. Do not edit by hand. -->\n\n");
        text.Append(Invariant($"A seeded synthetic population of {current.Orders:N0} men, each with a testosterone order drafted, is sent through "))
            .Append("`order-sign` of the running service in-process: the real HTTP pipeline with a signed client JWT, full prefetch ")
            .Append("built by the same request builder as the preview page and the CLI, the engine and the card composer. ")
            .Append("Every card is counted by its indicator and by its kind (the card's `source.topic` code, one per card type; see ")
            .Append("[cards.md](../cards.md)).\n\n")
            .Append("**Goal:** a warning or critical card only where its suggested action changes the order. A card \"changes the ")
            .Append("order\" when one of its suggestions deletes or updates the drafted `MedicationRequest` (CDS Hooks 2.0 §Action); ")
            .Append("a suggestion that only adds a lab order or a referral does not.\n\n");
        text.Append(Invariant($"- Seed **{SyntheticPopulation.Seed}**, {current.Orders:N0} orders ({current.NewStarts:N0} new starts, {current.Renewals:N0} renewals), "))
            .Append(Invariant($"evaluation time **{SyntheticPopulation.EvaluationTime:yyyy-MM-ddTHH:mm:ssZ}** (fixed clock), site time zone America/New_York.\n"))
            .Append($"- Before: the engine of commit `{baseline.Commit}` ({baseline.Description}), stored in ")
            .Append("[alert-burden-baseline.json](alert-burden-baseline.json). Current: the engine of this checkout.\n")
            .Append($"- Population fingerprint (SHA-256 of every record): `{baseline.PopulationFingerprint}` — the same men were measured before and now.\n\n");

        text.Append("## Per 100 orders\n\n");
        text.Append("| Measure | Before | Current | Change |\n|---|---:|---:|---:|\n");
        Row(text, "All cards", before.CardsByIndicator.Values.Sum(), before.Orders, current.CardsByIndicator.Values.Sum(), current.Orders);
        foreach (var indicator in new[] { "critical", "warning", "info" }.Union(before.CardsByIndicator.Keys).Union(current.CardsByIndicator.Keys))
        {
            Row(text, $"{indicator} cards", before.CardsByIndicator.GetValueOrDefault(indicator), before.Orders, current.CardsByIndicator.GetValueOrDefault(indicator), current.Orders);
        }

        Row(text, "**Warning or critical cards with no suggestion that changes the order** (goal: 0)", before.InterruptingWithoutOrderChange, before.Orders, current.InterruptingWithoutOrderChange, current.Orders);
        Row(text, "Orders with at least one warning or critical card", before.OrdersInterrupted, before.Orders, current.OrdersInterrupted, current.Orders);
        Row(text, "Orders with a warning or critical card that offers no change to the order", before.OrdersInterruptedWithoutOrderChange, before.Orders, current.OrdersInterruptedWithoutOrderChange, current.Orders);
        Row(text, "Orders with no card at all", before.OrdersWithoutCard, before.Orders, current.OrdersWithoutCard, current.Orders);
        text.Append('\n');

        text.Append("## Per 100 orders, by card kind\n\n");
        text.Append("New starts and renewals are per 100 orders of that group. \"No order change\" counts the cards of the kind with no suggestion that deletes or updates the drafted order.\n\n");
        text.Append("| Indicator | Card kind (`source.topic`) | Before | Current | No order change, before | No order change, current | New starts, before | New starts, current | Renewals, before | Renewals, current |\n");
        text.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        var keys = before.CardsByKind.Keys.Union(current.CardsByKind.Keys)
            .OrderBy(k => IndicatorRank(k.Split('/')[0]))
            .ThenBy(k => k, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var b = before.CardsByKind.GetValueOrDefault(key) ?? new KindCount();
            var c = current.CardsByKind.GetValueOrDefault(key) ?? new KindCount();
            var parts = key.Split('/', 2);
            text.Append($"| {parts[0]} | `{parts[1]}` | {Per100(b.Cards, before.Orders)} | {Per100(c.Cards, current.Orders)} | ")
                .Append($"{Per100(b.WithoutOrderChange, before.Orders)} | {Per100(c.WithoutOrderChange, current.Orders)} | ")
                .Append($"{Per100(b.InNewStarts, before.NewStarts)} | {Per100(c.InNewStarts, current.NewStarts)} | ")
                .Append($"{Per100(b.InRenewals, before.Renewals)} | {Per100(c.InRenewals, current.Renewals)} |\n");
        }

        text.Append('\n');
        text.Append("## What the engine concluded (per 100 orders)\n\n");
        Distribution(text, "Classification", before.Classifications, before.Orders, current.Classifications, current.Orders);
        Distribution(text, "Recommendation", before.Recommendations, before.Orders, current.Recommendations, current.Orders);

        text.Append("## Population\n\n");
        text.Append("Generated by `tests/CdsService.IntegrationTests/Measures/SyntheticPopulation.cs` with `System.Random(seed)`. ")
            .Append("Shares are of all men unless the cell says otherwise; the basis column names the source in brackets (see Sources) ")
            .Append("or says the share is an assumption. The population is men for whom testosterone is being ordered, not the general ")
            .Append("population, so published general-population shares are a starting point, not a measurement of this group.\n\n");
        text.Append("| Characteristic | In this population | Basis |\n|---|---|---|\n");
        foreach (var row in Mix)
        {
            text.Append($"| {row.Characteristic} | {row.Realised(men)} | {row.Basis} |\n");
        }

        text.Append("\n## Sources\n\n");
        foreach (var (key, citation) in Sources)
        {
            text.Append($"- **[{key}]** {citation}\n");
        }

        text.Append("\n## Re-measuring\n\n")
            .Append("- Current numbers: `UPDATE_APPROVED=1 dotnet test tests/CdsService.IntegrationTests --filter \"FullyQualifiedName~AlertBurden\"` ")
            .Append("rewrites this file; review its diff.\n")
            .Append("- Before numbers: only when the population generator changes (the test fails when the fingerprint no longer ")
            .Append("matches the baseline). In a worktree of the commit to compare against, with `tests/CdsService.IntegrationTests/Measures` ")
            .Append("copied in, run the same command with ")
            .Append($"`{BurdenBaseline.CaptureVariable}=<commit id>` (and optionally `{BurdenBaseline.DescriptionVariable}=<what it is>`); ")
            .Append("it writes alert-burden-baseline.json from that engine; copy that file back.\n");
        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, int before, int beforeOrders, int current, int currentOrders)
    {
        var b = Rate(before, beforeOrders);
        var c = Rate(current, currentOrders);
        text.Append($"| {label} | {Format(b)} | {Format(c)} | {Signed(c - b)} |\n");
    }

    private static void Distribution(StringBuilder text, string title, SortedDictionary<string, int> before, int beforeOrders, SortedDictionary<string, int> current, int currentOrders)
    {
        text.Append($"| {title} | Before | Current |\n|---|---:|---:|\n");
        foreach (var key in before.Keys.Union(current.Keys).Order(StringComparer.Ordinal))
        {
            text.Append($"| `{key}` | {Per100(before.GetValueOrDefault(key), beforeOrders)} | {Per100(current.GetValueOrDefault(key), currentOrders)} |\n");
        }

        text.Append('\n');
    }

    private static int IndicatorRank(string indicator) => indicator switch
    {
        "critical" => 0,
        "warning" => 1,
        "info" => 2,
        _ => 3,
    };

    private static double Rate(int count, int orders) => orders == 0 ? 0 : count * 100.0 / orders;

    private static string Per100(int count, int orders) => Format(Rate(count, orders));

    private static string Format(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Signed(double value) =>
        Math.Abs(value) < 0.05 ? "0.0" : value.ToString("+0.0;−0.0", CultureInfo.InvariantCulture);

    private static string Share(IReadOnlyList<SyntheticMan> men, Func<SyntheticMan, bool> which, Func<SyntheticMan, bool>? among = null)
    {
        var pool = among is null ? men : [.. men.Where(among)];
        return pool.Count == 0 ? "–" : (pool.Count(which) * 100.0 / pool.Count).ToString("0.0", CultureInfo.InvariantCulture) + " %";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
