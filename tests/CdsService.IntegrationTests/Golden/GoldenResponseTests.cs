namespace CdsService.IntegrationTests.Golden;

/// <summary>
/// Golden examples (docs/cards.md): for each scenario the full hook call (context with the scenario's draft order, full
/// prefetch) and the service's answer are committed in fhir-profiles/examples/golden/, and any change to either shows up
/// here as a failing diff (or, with UPDATE_APPROVED=1, as a git diff to review). The call goes through the real HTTP
/// pipeline with a real client JWT; every answer validates against the CDS Hooks response schema.
/// </summary>
public sealed class GoldenResponseTests(GoldenApp app) : IClassFixture<GoldenApp>
{
    [Theory]
    [MemberData(nameof(GoldenScenarios.Ids), MemberType = typeof(GoldenScenarios))]
    public async Task GivenScenario_WhenCalledWithFullPrefetch_ThenRequestAndResponseMatchTheApprovedFiles(string scenarioId)
    {
        var (hook, draft) = GoldenScenarios.DefaultCall(scenarioId);
        var request = GoldenScenarios.Build(scenarioId, hook, draft);
        GoldenFiles.Approve(GoldenFiles.RequestPath(scenarioId), GoldenJson.Canonical(request.Body));

        var body = await app.CallAsync(request.ServiceId, request.Body);

        GoldenFiles.Approve(GoldenFiles.ResponsePath(scenarioId), GoldenJson.Normalised(body));
    }

    [Fact]
    public void GivenGoldenFolder_WhenListed_ThenItHoldsExactlyOneRequestAndOneResponsePerScenario()
    {
        var expected = GoldenScenarios.Library.Scenarios
            .SelectMany(s => new[] { s.Id + ".request.json", s.Id + ".response.json" })
            .Order(StringComparer.Ordinal);
        var actual = Directory.Exists(GoldenFiles.Directory)
            ? Directory.GetFiles(GoldenFiles.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()
            : [];

        // A golden file of a removed or renamed scenario would otherwise linger unreviewed.
        Assert.Equal(expected, actual);
    }
}
