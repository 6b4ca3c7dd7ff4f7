using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Examples;
using CdsService.IntegrationTests.Golden;

namespace CdsService.IntegrationTests.Measures;

/// <summary>One generated man: the record sent to the service and the facts the mix table counts.</summary>
internal sealed record SyntheticMan
{
    public required string PatientId { get; init; }

    public required int Age { get; init; }

    /// <summary>Already on testosterone (an active order): the draft is a renewal. Otherwise a new start.</summary>
    public required bool Renewal { get; init; }

    /// <summary>New start with no testosterone result in the last 12 months.</summary>
    public required bool Untested { get; init; }

    /// <summary>Total testosterone draws in the record (0, 1 or 2).</summary>
    public required int TestosteroneDraws { get; init; }

    /// <summary>New start whose newest testosterone draw is below 300 ng/dL.</summary>
    public required bool LowFirstDraw { get; init; }

    public required bool LhMeasured { get; init; }

    /// <summary>"desired", "not-desired", "unsure", or null when no answer is recorded.</summary>
    public required string? RecordedIntent { get; init; }

    public required bool InfertilityCondition { get; init; }

    public required bool Obese { get; init; }

    public required bool Diabetes { get; init; }

    public required bool SleepApnea { get; init; }

    public required bool Opioid { get; init; }

    public required bool Glucocorticoid { get; init; }

    public required bool SymptomsCoded { get; init; }

    /// <summary>Heart failure, MI within 6 months, thrombophilia, prostate-cancer history: the rare contraindication codes.</summary>
    public required (bool HeartFailure, bool RecentMi, bool Thrombophilia, bool ProstateCancerHistory) Rare { get; init; }

    public required decimal? Hematocrit { get; init; }

    public required decimal? Psa { get; init; }

    public required ExampleDraftOrder Draft { get; init; }

    public required JsonObject Bundle { get; init; }
}

/// <summary>
/// A seeded synthetic population of men for whom a testosterone order is being signed, with the mixes of
/// docs/clinical/alert-burden.md §Population (each share there names its source, or says it is an assumption). The
/// same seed always gives the same men, whatever engine they are sent to, so the burden before and after a rules change
/// is measured on identical records (<see cref="Fingerprint"/> proves it).
/// </summary>
internal static class SyntheticPopulation
{
    /// <summary>The seed of docs/clinical/alert-burden.md (the date the measure was introduced).</summary>
    public const int Seed = 20261203;

    public const int Size = 1000;

    /// <summary>Evaluation time of every call: the golden tests' fixed clock, so lookbacks and ages are stable.</summary>
    public static DateTimeOffset EvaluationTime => GoldenScenarios.EvaluationTime;

    // Shares used by the generator; docs/clinical/alert-burden.md lists each with its source (AlertBurdenReport.Mix).
    public const double RenewalShare = 0.40;
    public const double UntestedNewStartShare = 0.25;
    public const double NormalBaselineShare = 0.15;
    public const double TwoDrawShare = 0.55;
    public const double MorningDrawShare = 0.85;
    public const double AfternoonDrawShare = 0.10;
    public const double SiUnitShare = 0.15;
    public const double LhMeasuredShare = 0.65;
    public const double PrimaryShareOfLow = 0.15;
    public const double CompensatedShareOfNormal = 0.10;
    public const double ProlactinMeasuredShare = 0.35;
    public const double HighProlactinShare = 0.03;
    public const double IntentRecordedShare = 0.15;
    public const double ObesityShare = 0.42;
    public const double SleepApneaShareObese = 0.20;
    public const double SleepApneaShareNotObese = 0.05;
    public const double OpioidShare = 0.04;
    public const double GlucocorticoidShare = 0.01;
    public const double HematocritMeasuredShare = 0.85;
    public const double PsaMeasuredShare = 0.75;
    public const double InjectionDraftShare = 0.60;

    /// <summary>Age bands (lower bound, upper bound inclusive, weight) of men drafted testosterone (assumption).</summary>
    public static readonly (int From, int To, double Weight)[] AgeBands =
    [
        (18, 29, 0.05), (30, 39, 0.12), (40, 49, 0.23), (50, 59, 0.28), (60, 69, 0.21), (70, 84, 0.11),
    ];

    /// <summary>Share of men who would answer "wants a pregnancy in the next year", by age band upper bound (assumption informed by NSFG).</summary>
    public static double WantsChildren(int age) => age switch
    {
        < 30 => 0.40,
        < 40 => 0.35,
        < 50 => 0.12,
        < 60 => 0.04,
        _ => 0.01,
    };

    /// <summary>Diagnosed or undiagnosed diabetes in men by age (NHANES 2017–March 2020, NHSR 158 Table 8).</summary>
    public static double DiabetesShare(int age) => age switch
    {
        < 40 => 0.040,
        < 60 => 0.171,
        _ => 0.363,
    };

    /// <summary>PSA median (ng/mL) and log-normal spread by decade: medians 0.7/0.9/1.2/1.5 (AUA PSA best practice), spread so the 95th percentile meets the MMAS age-specific upper limits (Urology 1999).</summary>
    public static (double Median, double Sigma) PsaDistribution(int age) => age switch
    {
        < 50 => (0.7, 0.65),
        < 60 => (0.9, 0.70),
        < 70 => (1.2, 0.96),
        _ => (1.5, 1.09),
    };

    public static IReadOnlyList<SyntheticMan> Generate(int seed = Seed, int size = Size)
    {
        // System.Random with a seed uses the same algorithm on every runtime and platform (the seeded, legacy-compatible
        // implementation), so the population is reproducible.
        var random = new Random(seed);
        return [.. Enumerable.Range(1, size).Select(i => new Generator(random, i).Man())];
    }

    /// <summary>SHA-256 of every generated record: equal fingerprints mean the same men were measured.</summary>
    public static string Fingerprint(IEnumerable<SyntheticMan> men)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var man in men)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(man.Bundle.ToJsonString()));
            hash.AppendData(Encoding.UTF8.GetBytes(man.Draft.ToCode()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class Generator(Random random, int index)
    {
        private static readonly DateOnly Today = DateOnly.FromDateTime(EvaluationTime.UtcDateTime);

        public SyntheticMan Man()
        {
            var id = $"burden-{index:D4}";
            var age = Age();
            var record = new PatientRecord(id, Today.AddYears(-age).AddDays(-random.Next(0, 365)));
            var renewal = Chance(RenewalShare);
            var draft = Chance(InjectionDraftShare) ? ExampleDraftOrder.TestosteroneCypionate : ExampleDraftOrder.TestosteroneGel;

            var untested = false;
            var draws = 0;
            var low = false;
            var lhMeasured = false;
            decimal? hematocrit = null;
            decimal? psa = null;

            if (renewal)
            {
                // An active testosterone prescription written 2–24 months ago; the drafted order renews it.
                record.MedicationRequest(
                    draft == ExampleDraftOrder.TestosteroneCypionate ? "testosterone cypionate 200 mg/mL injectable solution" : "testosterone 1.62% topical gel",
                    rxNormCode: null,
                    status: "active",
                    authoredOn: Date(random.Next(60, 721)));

                // On-treatment testosterone (trough), a suppressed LH now and then.
                if (Chance(0.80))
                {
                    draws = 1;
                    var days = random.Next(14, 181);
                    record.Lab(LabCode.For("total-testosterone", "ng/dL"), Round(Clamp(Normal(550, 180), 150, 1400), 0), SampleTime(days));
                    if (Chance(0.20))
                    {
                        lhMeasured = true;
                        record.Lab(LabCode.For("lh", "IU/L"), Round(LogNormal(0.4, 0.5), 1), SampleTime(days));
                    }
                }

                // Testosterone raises red-cell mass (ES 2018: monitor hematocrit); the on-treatment mean is an assumption.
                if (Chance(HematocritMeasuredShare))
                {
                    hematocrit = Round(Normal(47.5, 3.2), 1);
                    record.Lab(LabCode.For("hematocrit", "%"), hematocrit.Value, SampleTime(random.Next(14, 181)));
                }

                if (age >= 40 && Chance(0.80))
                {
                    var (median, sigma) = PsaDistribution(age);
                    psa = Round(LogNormal(median * 1.2, sigma), 2);
                    record.Lab(LabCode.For("psa", "ng/mL"), psa.Value, SampleTime(random.Next(14, 181)));
                }
            }
            else
            {
                untested = Chance(UntestedNewStartShare);
                if (!untested)
                {
                    low = !Chance(NormalBaselineShare);
                    draws = Chance(TwoDrawShare) ? 2 : 1;
                    var newest = random.Next(10, 240);
                    var first = low ? Clamp(Normal(200, 60), 40, 299) : Clamp(Normal(420, 90), 300, 1000);
                    var si = Chance(SiUnitShare);
                    var time = DrawTime();
                    Testosterone(record, first, si, Stamp(newest, time));
                    if (draws == 2)
                    {
                        // A repeat on another day; the value varies around the first (test–retest variability).
                        Testosterone(record, Clamp(first + Normal(0, 60), 30, 1100), si, Stamp(newest + random.Next(7, 61), DrawTime()));
                    }

                    if (Chance(LhMeasuredShare))
                    {
                        lhMeasured = true;
                        var primary = low && Chance(PrimaryShareOfLow);
                        var raised = !low && Chance(CompensatedShareOfNormal);
                        var lh = primary ? LogNormal(16, 0.35) : raised ? LogNormal(13, 0.30) : LogNormal(4, 0.45);
                        record.Lab(LabCode.For("lh", "IU/L"), Round(lh, 1), Stamp(newest, time));
                        if (Chance(0.90))
                        {
                            record.Lab(LabCode.For("fsh", "IU/L"), Round(primary ? LogNormal(20, 0.4) : LogNormal(4.5, 0.45), 1), Stamp(newest, time));
                        }
                    }

                    if (Chance(ProlactinMeasuredShare))
                    {
                        record.Lab(LabCode.For("prolactin", "ng/mL"), Round(Chance(HighProlactinShare) ? LogNormal(40, 0.3) : LogNormal(9, 0.35), 1), Stamp(newest, time));
                    }

                    if (Chance(0.25))
                    {
                        record.Lab(LabCode.For("shbg", "nmol/L"), Round(LogNormal(35, 0.4), 0), Stamp(newest, time));
                    }
                }

                if (Chance(HematocritMeasuredShare))
                {
                    hematocrit = Round(Normal(45.5, 2.4), 1);
                    record.Lab(LabCode.For("hematocrit", "%"), hematocrit.Value, SampleTime(random.Next(10, 300)));
                }

                if (age >= 40 && Chance(PsaMeasuredShare))
                {
                    var (median, sigma) = PsaDistribution(age);
                    psa = Round(LogNormal(median, sigma), 2);
                    record.Lab(LabCode.For("psa", "ng/mL"), psa.Value, SampleTime(random.Next(10, 300)));
                }
            }

            var obese = Chance(ObesityShare);
            if (Chance(0.90))
            {
                record.Lab(LabCode.For("bmi", "kg/m2"), Round(obese ? Uniform(30, 42) : Uniform(21, 29.9), 1), SampleTime(random.Next(10, 300)));
            }

            if (obese && Chance(0.5))
            {
                record.Condition(PatientRecord.Icd10, "E66.9", "Obesity, unspecified");
            }

            var diabetes = Chance(DiabetesShare(age));
            if (diabetes)
            {
                record.Condition(PatientRecord.Icd10, "E11.9", "Type 2 diabetes mellitus without complications");
            }

            var sleepApnea = Chance(obese ? SleepApneaShareObese : SleepApneaShareNotObese);
            if (sleepApnea)
            {
                record.Condition(PatientRecord.Icd10, "G47.33", "Obstructive sleep apnea (adult) (pediatric)");
            }

            var opioid = Chance(OpioidShare);
            if (opioid)
            {
                record.MedicationRequest("oxycodone hydrochloride 10 mg oral tablet", "7804", "active", Date(random.Next(30, 365)));
            }

            var glucocorticoid = Chance(GlucocorticoidShare);
            if (glucocorticoid)
            {
                record.MedicationRequest("prednisone 10 mg oral tablet", "8640", "active", Date(random.Next(30, 365)));
            }

            var heartFailure = Chance(0.02);
            if (heartFailure)
            {
                record.Condition(PatientRecord.Snomed, "84114007", "Heart failure (disorder)");
            }

            var recentMi = Chance(0.005);
            if (recentMi)
            {
                record.Condition(PatientRecord.Snomed, "22298006", "Myocardial infarction (disorder)", onset: Date(random.Next(20, 170)));
            }

            var prostateCancerHistory = age >= 60 && Chance(0.01);
            if (prostateCancerHistory)
            {
                record.Condition(PatientRecord.Icd10, "Z85.46", "Personal history of malignant neoplasm of prostate");
            }

            var thrombophilia = Chance(0.005);
            if (thrombophilia)
            {
                record.Condition(PatientRecord.Snomed, "234467004", "Thrombophilia (disorder)");
            }

            var symptoms = Chance(renewal ? 0.60 : 0.80);
            if (symptoms)
            {
                var (code, display) = random.Next(3) switch
                {
                    0 => ("N52.9", "Male erectile dysfunction, unspecified"),
                    1 => ("R68.82", "Decreased libido"),
                    _ => ("R53.83", "Other fatigue"),
                };
                record.Condition(PatientRecord.Icd10, code, display);
            }

            var infertility = age < 45 && Chance(0.03);
            if (infertility)
            {
                record.Condition(PatientRecord.Snomed, "2904007", "Male infertility (disorder)");
            }

            string? intent = null;
            if (Chance(IntentRecordedShare))
            {
                var wants = WantsChildren(age);
                intent = Chance(wants) ? "desired" : age < 50 && Chance(0.10) ? "unsure" : "not-desired";
                var (answer, display) = intent switch
                {
                    "desired" => ("454411000124108", "Wants to become pregnant (finding)"),
                    "unsure" => ("454381000124105", "Unsure of pregnancy intention (finding)"),
                    _ => ("454401000124105", "Does not want to become pregnant (finding)"),
                };
                record.FertilityIntent(answer, display, Stamp(random.Next(5, 300), new TimeOnly(9, 0)));
            }

            return new SyntheticMan
            {
                PatientId = id,
                Age = age,
                Renewal = renewal,
                Untested = untested,
                TestosteroneDraws = draws,
                LowFirstDraw = low,
                LhMeasured = lhMeasured,
                RecordedIntent = intent,
                InfertilityCondition = infertility,
                Obese = obese,
                Diabetes = diabetes,
                SleepApnea = sleepApnea,
                Opioid = opioid,
                Glucocorticoid = glucocorticoid,
                SymptomsCoded = symptoms,
                Rare = (heartFailure, recentMi, thrombophilia, prostateCancerHistory),
                Hematocrit = hematocrit,
                Psa = psa,
                Draft = draft,
                Bundle = record.ToBundle(),
            };
        }

        private static void Testosterone(PatientRecord record, double ngPerDl, bool si, string effective)
        {
            if (si)
            {
                // 1 nmol/L = 28.84 ng/dL (rules document §1).
                record.Lab(LabCode.For("total-testosterone", "nmol/L"), Round(ngPerDl / 28.84, 1), effective);
            }
            else
            {
                record.Lab(LabCode.For("total-testosterone", "ng/dL"), Round(ngPerDl, 0), effective);
            }
        }

        private int Age()
        {
            var pick = random.NextDouble() * AgeBands.Sum(b => b.Weight);
            foreach (var (from, to, weight) in AgeBands)
            {
                if (pick < weight)
                {
                    return random.Next(from, to + 1);
                }

                pick -= weight;
            }

            return AgeBands[^1].To;
        }

        /// <summary>A clock time for a testosterone draw: morning, afternoon, or none recorded (date only).</summary>
        private TimeOnly? DrawTime()
        {
            var pick = random.NextDouble();
            return pick < MorningDrawShare ? new TimeOnly(7, 30).AddMinutes(random.Next(0, 196))
                : pick < MorningDrawShare + AfternoonDrawShare ? new TimeOnly(13, 0).AddMinutes(random.Next(0, 211))
                : null;
        }

        private string SampleTime(int daysBefore) => Stamp(daysBefore, new TimeOnly(8, 0).AddMinutes(random.Next(0, 150)));

        // Sample times carry the New York offset of the test host's site (CdsApiFactory: Clinical:SiteTimeZone).
        private static string Stamp(int daysBefore, TimeOnly? time) => time is { } t
            ? Date(daysBefore) + "T" + t.ToString("HH:mm", CultureInfo.InvariantCulture) + ":00-05:00"
            : Date(daysBefore);

        private static string Date(int daysBefore) => Today.AddDays(-daysBefore).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private bool Chance(double probability) => random.NextDouble() < probability;

        private double Uniform(double from, double to) => from + (random.NextDouble() * (to - from));

        // Box–Muller transform: one standard normal draw from two uniforms.
        private double Normal(double mean, double sd) =>
            mean + (sd * Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble()));

        private double LogNormal(double median, double sigma) => median * Math.Exp(Normal(0, sigma));

        private static double Clamp(double value, double min, double max) => Math.Min(max, Math.Max(min, value));

        private static decimal Round(double value, int decimals) => Math.Round((decimal)value, decimals, MidpointRounding.AwayFromZero);
    }
}
