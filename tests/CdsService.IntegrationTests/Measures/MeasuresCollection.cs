namespace CdsService.IntegrationTests.Measures;

/// <summary>
/// The measurement suites (a thousand hook calls for the alert burden, the published cases) run alone, after the
/// parallel tests: they keep both cores busy for tens of seconds, which would otherwise starve the tests whose FHIR
/// fetch has a deadline (a correct call turned into a 412 by a busy machine).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresCollection
{
    public const string Name = "Clinical measures";
}
