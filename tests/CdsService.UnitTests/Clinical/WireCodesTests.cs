using CdsService.Clinical.Model;

namespace CdsService.UnitTests.Clinical;

/// <summary>
/// The public assessment codes must be exactly those of the published contract (the "org.hypogonadism-cds.assessment"
/// extension, docs/cards.md): clients parse them, so renaming an enum member must not change a code.
/// </summary>
public sealed class WireCodesTests
{
    [Fact]
    public void GivenClassifications_WhenEncoded_ThenContractCodes()
    {
        Assert.Equal(
            ["not-applicable", "exogenous-androgen", "insufficient-data", "primary", "secondary", "compensated", "eugonadal",
                "androgen-deprivation", "on-fertility-therapy"],
            Enum.GetValues<Classification>().Select(c => c.ToCode()));
    }

    [Fact]
    public void GivenRecommendations_WhenEncoded_ThenContractCodesPlusNotApplicable()
    {
        Assert.Equal(
            ["testosterone-replacement", "fertility-preserving", "refer-reproductive-urology", "assess-fertility-intent",
                "no-testosterone-therapy", "complete-workup", "fertility-restoration", "continue-with-monitoring", "treat-underlying-cause",
                "not-applicable", "testosterone-contraindicated", "withhold-testosterone"],
            Enum.GetValues<Recommendation>().Select(r => r.ToCode()));
    }

    [Fact]
    public void GivenFertilityIntents_WhenEncoded_ThenContractCodes()
    {
        Assert.Equal(["unknown", "desired", "not-desired", "unsure"], Enum.GetValues<FertilityIntent>().Select(i => i.ToCode()));
    }

    [Fact]
    public void GivenListCodes_WhenEncoded_ThenContractCodes()
    {
        Assert.Equal(["morning-total-testosterone", "second-morning-total-testosterone", "lh", "fsh", "shbg", "prolactin", "symptoms"],
            Enum.GetValues<MissingData>().Select(m => m.ToCode()));
        Assert.Equal(["prolactin", "pituitary-mri", "iron-studies", "semen-analysis", "estradiol", "karyotype", "hfe-genotype",
                "endocrinology-referral"],
            Enum.GetValues<AdditionalWorkup>().Select(w => w.ToCode()));
        Assert.Equal(
            ["fertility-desired", "hematocrit-above-48", "psa-above-4", "prostate-cancer", "breast-cancer", "untreated-severe-sleep-apnea",
                "uncontrolled-heart-failure", "recent-mi-or-stroke", "vte-or-thrombophilia", "prostate-cancer-history", "polycythemia",
                "androgen-deprivation"],
            Enum.GetValues<TrtContraindication>().Select(c => c.ToCode()));
        Assert.Equal(
            ["hyperprolactinemia", "pituitary-disease", "klinefelter", "testicular-cause", "opioid", "glucocorticoid", "iron-overload",
                "obesity", "type-2-diabetes", "sleep-apnea"],
            Enum.GetValues<Cause>().Select(c => c.ToCode()));
    }

    [Fact]
    public void GivenEveryCode_WhenParsed_ThenRoundTrips()
    {
        foreach (var value in Enum.GetValues<TrtContraindication>())
        {
            Assert.True(WireCodes.TryParse<TrtContraindication>(value.ToCode(), out var parsed));
            Assert.Equal(value, parsed);
        }
    }
}
