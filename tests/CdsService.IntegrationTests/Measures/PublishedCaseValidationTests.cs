using System.Net;
using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.Measures;

/// <summary>
/// One real host for the published cases: each case is sent once, through the real HTTP pipeline, at the golden
/// clock; the verdicts are shared by the per-case tests and the document test.
/// </summary>
public sealed class PublishedCaseRun : IAsyncLifetime
{
    private readonly GoldenApp app = new();
    private readonly Dictionary<string, CaseVerdict> verdicts = new(StringComparer.Ordinal);

    internal IReadOnlyList<CaseVerdict> Verdicts => [.. PublishedCases.All.Select(c => verdicts[c.Id])];

    internal CaseVerdict Verdict(string id) => verdicts[id];

    public async ValueTask InitializeAsync()
    {
        foreach (var item in PublishedCases.All)
        {
            var request = HookRequests.For(item.Bundle(SyntheticPopulation.EvaluationTime))
                .Hook(item.Hook, item.Draft)
                .At(SyntheticPopulation.EvaluationTime, shiftDates: false)
                .WithHookInstance(GoldenScenarios.NameBasedUuid("published-case/" + item.Id))
                .Build();
            using var response = await app.Client.PostHookAsync(request.ServiceId, request.Body);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{item.Id}: {(int)response.StatusCode} {body}");
            }

            // Every answer is checked against the CDS Hooks response schema, as the golden answers are.
            CdsAssert.Valid(CdsAssert.Response, body);
            verdicts[item.Id] = new CaseVerdict(item, HookOutcome.Read(JsonNode.Parse(body)!, HookOutcome.DraftOrderIds(request.Body)));
        }
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

/// <summary>
/// docs/clinical/validation.md: published cases with their published management against the engine's classification,
/// recommendation and cards. Each case's agreement must be explained when it is not "agree", and must not be when it is.
/// </summary>
[Collection(MeasuresCollection.Name)]
public sealed class PublishedCaseValidationTests(PublishedCaseRun run) : IClassFixture<PublishedCaseRun>
{
    public static TheoryData<string> Ids => PublishedCases.Ids;

    [Fact]
    public void GivenTheCaseFile_WhenRead_ThenItHoldsAtLeastThirtyCitedCasesWithAPublishedManagementEach()
    {
        var cases = PublishedCases.All;

        Assert.True(cases.Count >= 30, $"{cases.Count} cases; the validation needs at least 30.");
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(cases, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Citation), c.Id);
            Assert.False(string.IsNullOrWhiteSpace(c.PublishedManagement), c.Id);
            Assert.Contains(c.Source, new[] { "individual", "series" });
            Assert.True(c.Expected.Classification.Count > 0 || c.Expected.Recommendation.Count > 0, $"{c.Id}: nothing to judge.");
            Assert.True(c.Hook == HookKind.PatientView || c.Draft is not null, $"{c.Id}: an order hook needs a draftOrder.");
            Assert.True(c.Expected.DraftOrder is null or "keep" or "cancel", $"{c.Id}: draftOrder is keep or cancel.");
        });
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void GivenPublishedCase_WhenTheEngineAnswers_ThenADisagreementIsExplainedAndAnAgreementIsNot(string caseId)
    {
        var verdict = run.Verdict(caseId);
        var engine = $"engine: {verdict.Outcome.Classification} / {verdict.Outcome.Recommendation} / order {verdict.EngineOrderVerdict}; " +
            $"cards: {string.Join(", ", verdict.Outcome.Cards.Select(c => c.Indicator + " " + c.Kind))}";

        if (verdict.Agreement == "agree")
        {
            Assert.True(verdict.Case.Explanation is null, $"{caseId} now agrees ({engine}); remove its explanation from {RepositoryPaths.Relative(PublishedCases.Path)}.");
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(verdict.Case.Explanation), $"{caseId} is '{verdict.Agreement}' ({engine}); explain why in {RepositoryPaths.Relative(PublishedCases.Path)}.");
        }
    }

    [Fact]
    public void GivenAllCases_WhenRendered_ThenTheValidationDocumentMatches() =>
        ApprovedFiles.Verify(ValidationReport.Path, ValidationReport.Render(run.Verdicts));
}
