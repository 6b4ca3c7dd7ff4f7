using System.Net;
using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.EndToEnd;

/// <summary>The host for <see cref="LimitedFhirServerTests"/>: default limits, the sandbox allowlisted.</summary>
public sealed class LimitedServerApp : SandboxApp;

/// <summary>
/// Real FHIR servers offer less than the sandbox: Oracle Health Millennium R4 has no MedicationStatement or Medication
/// resource, no <c>_include</c> on MedicationRequest, no <c>_sort</c> listed for Observation, and caps <c>_count</c>
/// (docs/integration/oracle-health.md). Against the sandbox told to refuse exactly that, a call that fetches everything
/// still gets the assessment it gets with full prefetch: a refused refinement is asked again without it, and the optional
/// MedicationStatement query's failure is a data issue on the card, not a 412. Only data the rules need makes a 412.
/// </summary>
[Collection(FhirSandboxCollection.Name)]
public sealed class LimitedFhirServerTests(FhirSandboxFixture sandbox, LimitedServerApp app) : IClassFixture<LimitedServerApp>
{
    private const string Scenario = "secondary-not-desired";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenAServerLikeMillennium_WhenEverythingIsFetched_ThenTheSameAssessmentAndTheMissingStatementsAreADataIssue()
    {
        var expected = await FullPrefetchAssessmentAsync();
        await sandbox.SetRefusalsAsync(
            ["MedicationStatement", "Medication"], ["MedicationRequest:_include", "Observation:_sort"], maxCount: 200, Token);
        try
        {
            await sandbox.ResetRequestsAsync(Token);
            app.Factory(sandbox).Logs.Clear();

            var response = await FetchAllAsync();

            Assert.Equal(GoldenJson.Normalised(expected), GoldenJson.Normalised(GoldenScenarios.Assessment(response)!));
            // The card's markdown escapes the brackets of the data-issue line, so its words are looked for, not the line.
            Assert.Contains(response["cards"]!.AsArray(), c => c!["detail"]!.GetValue<string>() is var detail
                && detail.Contains("Medication statements", StringComparison.Ordinal)
                && detail.Contains("could not be read from the FHIR server", StringComparison.Ordinal)
                && detail.Contains("HTTP 404", StringComparison.Ordinal));
            var requests = await sandbox.GetRequestsAsync(Token);
            Assert.Equal(2, requests.Count(r => r.Path.EndsWith("/MedicationRequest", StringComparison.Ordinal)));
            Assert.Contains(requests, r => r.Path.EndsWith("/MedicationRequest", StringComparison.Ordinal) && !r.Parameters.Contains("_include"));
            Assert.All(
                requests.Where(r => r.Path.EndsWith("/Observation", StringComparison.Ordinal) && r.Parameters.Contains("_sort")),
                r => Assert.Contains(requests, retry => retry.Path == r.Path && !retry.Parameters.Contains("_sort")));
            Assert.Single(app.Factory(sandbox).Logs.Named("OptionalQueryUnavailable"));
            Assert.NotEmpty(app.Factory(sandbox).Logs.Named("SearchRefinementRefused"));
        }
        finally
        {
            await sandbox.ClearRefusalsAsync(Token);
        }
    }

    [Fact]
    public async Task GivenAServerThatCapsCountBelowThePageSize_WhenFetched_ThenAskedAgainWithoutCountAndTheSameAssessment()
    {
        // The hormone-lab page asks for 100; a server that allows 50 refuses it, then its _sort-less form, then accepts
        // the query without _count (its own page size, followed by next links).
        var expected = await FullPrefetchAssessmentAsync();
        await sandbox.SetRefusalsAsync([], [], maxCount: 50, Token);
        try
        {
            await sandbox.ResetRequestsAsync(Token);

            var response = await FetchAllAsync();

            Assert.Equal(GoldenJson.Normalised(expected), GoldenJson.Normalised(GoldenScenarios.Assessment(response)!));
            var requests = await sandbox.GetRequestsAsync(Token);
            Assert.Contains(requests, r => r.Path.EndsWith("/Observation", StringComparison.Ordinal) && !r.Parameters.Contains("_count"));
        }
        finally
        {
            await sandbox.ClearRefusalsAsync(Token);
        }
    }

    [Fact]
    public async Task GivenAServerThatRefusesAParameterTheQueryCannotDoWithout_WhenFetched_Then412()
    {
        // code is what selects the hormone labs: nothing to drop makes up for it, so the 400 stands and the call is a 412.
        await sandbox.SetRefusalsAsync([], ["Observation:code"], maxCount: null, Token);
        try
        {
            var (hook, draft) = GoldenScenarios.DefaultCall(Scenario);
            var request = GoldenScenarios.Build(Scenario, hook, draft, sandbox.RequireBaseUrl(), SandboxApp.AccessToken);

            using var response = await app.PostAsync(sandbox, request.ServiceId, request.Body);

            using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
            Assert.Contains("HTTP 400", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.ClearRefusalsAsync(Token);
        }
    }

    private async Task<JsonObject> FullPrefetchAssessmentAsync()
    {
        sandbox.RequireBaseUrl();
        var (hook, draft) = GoldenScenarios.DefaultCall(Scenario);
        var full = GoldenScenarios.Build(Scenario, hook, draft);
        using var response = await app.PostAsync(sandbox, full.ServiceId, full.Body);
        using var _ = await CdsAssert.CdsResponseAsync(response);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!;
        return GoldenScenarios.Assessment(body) ?? throw new InvalidOperationException("The full-prefetch call produced no assessment.");
    }

    private async Task<JsonNode> FetchAllAsync()
    {
        var (hook, draft) = GoldenScenarios.DefaultCall(Scenario);
        var fetched = GoldenScenarios.Build(Scenario, hook, draft, sandbox.RequireBaseUrl(), SandboxApp.AccessToken);
        Assert.Null(fetched.Body["prefetch"]);
        using var response = await app.PostAsync(sandbox, fetched.ServiceId, fetched.Body);
        using var _ = await CdsAssert.CdsResponseAsync(response);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Token))!;
    }
}
