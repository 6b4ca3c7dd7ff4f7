using CdsService.Api.Handout;

namespace CdsService.UnitTests.Handout;

/// <summary>
/// The patient handout is plain language: English at Flesch–Kincaid grade 8 or below, Spanish at Fernández-Huerta 70
/// or above (<see cref="Readability"/> cites both formulas). The counters are checked on words whose syllables are
/// known, so a broken counter cannot make the handout pass.
/// </summary>
public sealed class HandoutReadabilityTests
{
    private readonly ITestOutputHelper _output;

    public HandoutReadabilityTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void GivenTheEnglishHandout_WhenItsGradeIsMeasured_ThenItIsFleschKincaidGrade8OrBelow()
    {
        var counts = Readability.Count(PatientHandout.InEnglish.ReadableText(), PatientHandout.English);
        _output.WriteLine($"English: {Readability.Describe(counts)}, Flesch–Kincaid grade {counts.FleschKincaidGrade:0.0}");

        Assert.True(counts.Words > 400, "the whole handout is measured, not a sample");
        Assert.True(counts.FleschKincaidGrade <= 8.0, $"Flesch–Kincaid grade {counts.FleschKincaidGrade:0.0} ({Readability.Describe(counts)})");
    }

    [Fact]
    public void GivenTheSpanishHandout_WhenItsEaseIsMeasured_ThenItIsFernandezHuerta70OrAbove()
    {
        var counts = Readability.Count(PatientHandout.InSpanish.ReadableText(), PatientHandout.Spanish);
        _output.WriteLine($"Spanish: {Readability.Describe(counts)}, Fernández-Huerta {counts.FernandezHuerta:0.0}");

        Assert.True(counts.Words > 400, "the whole handout is measured, not a sample");
        Assert.True(counts.FernandezHuerta >= 70.0, $"Fernández-Huerta {counts.FernandezHuerta:0.0} ({Readability.Describe(counts)})");
    }

    [Theory]
    [InlineData("cat", 1)]
    [InlineData("table", 2)]
    [InlineData("testosterone", 4)]
    [InlineData("pituitary", 4)]
    [InlineData("stopped", 1)]
    [InlineData("started", 2)]
    [InlineData("medicines", 3)]
    [InlineData("clomiphene", 3)]
    [InlineData("fertility-preserving", 7)]
    [InlineData("FSH", 3)]
    [InlineData("hCG", 3)]
    public void GivenAnEnglishWord_WhenItsSyllablesAreCounted_ThenTheCountIsTheSpokenOne(string word, int expected) =>
        Assert.Equal(expected, Readability.Syllables(word, PatientHandout.English));

    [Theory]
    [InlineData("testosterona", 5)]
    [InlineData("hipófisis", 4)]
    [InlineData("médico", 3)]
    [InlineData("cuidan", 2)]
    [InlineData("día", 2)]
    [InlineData("ciudad", 2)]
    [InlineData("leer", 2)]
    [InlineData("espermatozoides", 6)]
    [InlineData("LH", 2)]
    public void GivenASpanishWord_WhenItsSyllablesAreCounted_ThenTheCountIsTheSpokenOne(string word, int expected) =>
        Assert.Equal(expected, Readability.Syllables(word, PatientHandout.Spanish));

    [Fact]
    public void GivenAKnownSentence_WhenTheFormulasAreApplied_ThenTheyGiveThePublishedArithmetic()
    {
        // "The cat sat on the mat." 1 sentence, 6 words, 6 syllables.
        var counts = Readability.Count(["The cat sat on the mat."], PatientHandout.English);

        Assert.Equal(new TextCounts(1, 6, 6), counts);
        Assert.Equal((0.39 * 6) + 11.8 - 15.59, counts.FleschKincaidGrade, 6);
        Assert.Equal(206.84 - 60.0 - (1.02 * 6), counts.FernandezHuerta, 6);
    }

    [Fact]
    public void GivenAHardText_WhenItIsMeasured_ThenItFailsTheLimitsTheHandoutMeets()
    {
        // A guideline-style sentence: the limits are not so loose that any text passes.
        var hard = Readability.Count(
            ["Exogenous testosterone administration suppresses gonadotropin secretion, consequently impairing spermatogenesis in hypogonadal men considering paternity."],
            PatientHandout.English);
        var duro = Readability.Count(
            ["La administración exógena de testosterona suprime la secreción de gonadotropinas, comprometiendo consecuentemente la espermatogénesis en varones hipogonádicos."],
            PatientHandout.Spanish);

        Assert.True(hard.FleschKincaidGrade > 8.0);
        Assert.True(duro.FernandezHuerta < 70.0);
    }
}
