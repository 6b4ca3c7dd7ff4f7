using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;

namespace CdsService.UnitTests.Cards;

/// <summary>
/// The cards take analyte and unit names from the engine's vocabulary (ClinicalWords), in the strict form: the same words
/// for every defined value, and an exception instead of an enum identifier for a value nobody has named.
/// </summary>
public sealed class CardVocabularyTests
{
    [Fact]
    public void GivenEveryAnalyte_WhenNamedForCards_ThenSameNameAsTheEngineUses()
    {
        foreach (var analyte in Enum.GetValues<Analyte>())
        {
            Assert.Equal(ClinicalWords.Describe(analyte), ClinicalWords.DescribeOrThrow(analyte));
        }
    }

    [Fact]
    public void GivenEveryUnit_WhenNamedForCards_ThenSameSymbolAsTheEvidenceTablesOfTheEngine()
    {
        foreach (var unit in Enum.GetValues<LabUnit>())
        {
            Assert.Equal(LabUnits.Symbol(unit), ClinicalWords.DescribeOrThrow(unit));
            Assert.Equal(LabUnits.Symbol(unit), ClinicalWords.Describe(unit));
            Assert.NotEqual(unit.ToString(), ClinicalWords.DescribeOrThrow(unit));
        }
    }

    [Fact]
    public void GivenUndefinedValue_WhenNamed_ThenTheEngineFallsBackAndTheCardsThrow()
    {
        const Analyte unknownAnalyte = (Analyte)999;
        const LabUnit unknownUnit = (LabUnit)999;

        Assert.Equal("999", ClinicalWords.Describe(unknownAnalyte));
        Assert.Equal("999", ClinicalWords.Describe(unknownUnit));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClinicalWords.DescribeOrThrow(unknownAnalyte));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClinicalWords.DescribeOrThrow(unknownUnit));
    }
}
