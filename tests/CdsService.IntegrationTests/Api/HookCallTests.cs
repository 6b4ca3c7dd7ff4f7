using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using CdsService.Api.Hooks;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.Fhir.Prefetch;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Api;

public sealed class HookCallTests
{
    [Theory]
    [InlineData(HookRequests.PatientViewService)]
    [InlineData(HookRequests.OrderSelectService)]
    [InlineData(HookRequests.OrderSignService)]
    public async Task GivenCompletePrefetch_WhenServiceCalled_Then200WithSpecShapedCards(string serviceId)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(serviceId, RequestFor(serviceId));

        // The synthetic patient is a man with no birth date and no results: assessed as an adult of unknown age, so a
        // drafted androgen is never answered with silence (it gets the unconfirmed-diagnosis warning); patient-view has
        // nothing to summarise. The body is validated against the response schema either way.
        using var body = await CdsAssert.CdsResponseAsync(response);
        var topics = body.RootElement.GetProperty("cards").EnumerateArray()
            .Select(card => card.GetProperty("source").GetProperty("topic").GetProperty("code").GetString())
            .ToList();
        Assert.Equal(serviceId == HookRequests.PatientViewService ? [] : ["unconfirmed-diagnosis"], topics);
    }

    [Fact]
    public async Task GivenSandboxQuirksAndUnknownMembers_WhenOrderSignCalled_ThenAcceptedNot500()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var request = HookRequests.OrderSign();
        request["someFutureField"] = new JsonObject { ["nested"] = true };
        request["extension"] = new JsonObject { ["com.example.flag"] = 1 };
        request["context"]!["encounterId"] = "enc-1";

        using var response = await client.PostHookAsync(HookRequests.OrderSignService, request);

        using var _ = await CdsAssert.CdsResponseAsync(response);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "malformed JSON", "{\"hook\": \"patient-view\", ", "well-formed" },
        { "array body", "[1,2,3]", "JSON object" },
        { "empty body", "", "empty" },
        { "missing hook", HookRequests.Without(HookRequests.PatientView(), "hook"), "hook" },
        { "missing hookInstance", HookRequests.Without(HookRequests.PatientView(), "hookInstance"), "hookInstance" },
        { "missing context", HookRequests.Without(HookRequests.PatientView(), "context"), "context" },
        { "hook does not match the service", HookRequests.With(HookRequests.PatientView(), r => r["hook"] = "order-sign"), "does not match" },
        { "missing context.patientId", HookRequests.With(HookRequests.PatientView(), r => r["context"]!.AsObject().Remove("patientId")), "context.patientId" },
        { "patientId not a string", HookRequests.With(HookRequests.PatientView(), r => r["context"]!["patientId"] = 42), "context.patientId" },
        { "fhirAuthorization without fhirServer", HookRequests.With(HookRequests.PatientView(), r => r["fhirAuthorization"] = FhirAuthorization()), "fhirServer" },
        { "fhirServer not a URL", HookRequests.With(HookRequests.PatientView(), r => r["fhirServer"] = "not a url"), "fhirServer" },
        { "prefetch not an object", HookRequests.With(HookRequests.PatientView(), r => r["prefetch"] = new JsonArray()), "prefetch" },
        { "prefetch key of the wrong resource type", HookRequests.With(HookRequests.PatientView(), r => r["prefetch"]!["patient"] = new JsonObject { ["resourceType"] = "Observation" }), "prefetch.patient" },
        { "prefetch key a string", HookRequests.With(HookRequests.PatientView(), r => r["prefetch"]!["hormoneLabs"] = "nope"), "prefetch.hormoneLabs" },
        { "too deeply nested", Deep(200), "nested" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task GivenInvalidRequest_WhenServiceCalled_Then400OperationOutcomeSayingWhatIsWrong(string scenario, string body, string mentioned)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostAsync(
            new Uri($"/cds-services/{HookRequests.PatientViewService}", UriKind.Relative), HookRequests.Raw(body), TestContext.Current.CancellationToken);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.True(CdsAssert.IssueText(outcome).Contains(mentioned, StringComparison.Ordinal), $"{scenario}: {CdsAssert.IssueText(outcome)}");
    }

    [Fact]
    public async Task GivenOrderSignWithoutDraftOrders_WhenCalled_Then400NamingDraftOrders()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var request = HookRequests.OrderSign();
        request["context"]!.AsObject().Remove("draftOrders");

        using var response = await client.PostHookAsync(HookRequests.OrderSignService, request);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("context.draftOrders", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenSeveralProblems_WhenCalled_ThenEveryProblemIsReported()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, new JsonObject { ["hook"] = "patient-view" });

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        var text = CdsAssert.IssueText(outcome);
        Assert.Contains("hookInstance", text, StringComparison.Ordinal);
        Assert.Contains("context", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenUnknownServiceId_WhenCalled_Then404OperationOutcome()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync("no-such-service", HookRequests.PatientView());

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("not-found", outcome.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenUnknownRouteUnderCdsServices_WhenCalled_Then404OperationOutcome()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.GetAsync(new Uri("/cds-services/a/b/c", UriKind.Relative), TestContext.Current.CancellationToken);

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GivenNoPrefetchAndNoFhirServer_WhenCalled_Then412NamingEveryMissingKey()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var request = HookRequests.PatientView();
        request.Remove("prefetch");

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, request);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        var text = CdsAssert.IssueText(outcome);
        Assert.All(PrefetchCatalog.All.Where(q => q.RequiredForAssessment), q => Assert.Contains($"prefetch.{q.Key}", text, StringComparison.Ordinal));
        Assert.Equal("processing", outcome.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task GivenPartialPrefetchWithNullAndClientError_WhenNoFhirServer_Then412NamesOnlyTheKeysToFetch()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var prefetch = HookRequests.FullPrefetch();
        prefetch.Remove(PrefetchCatalog.SafetyLabsKey);                                      // absent → must fetch
        prefetch[PrefetchCatalog.ConditionsKey] = HookRequests.ClientErrorOutcome();         // client's query failed → must fetch
        prefetch[PrefetchCatalog.PatientKey] = null;                                         // null → answered: nothing there

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView(prefetch));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        var expressions = outcome.RootElement.GetProperty("issue")[0].GetProperty("expression").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(["prefetch.safetyLabs", "prefetch.conditions"], expressions.Order().Reverse().ToList());
    }

    [Fact]
    public async Task GivenNoPrefetchAndAnUnreachableAllowlistedFhirServer_WhenCalled_Then412NeverEmptyCards()
    {
        // The real data layer: the allowlisted test server does not exist, so the fetch fails. An empty 200 here
        // would read as "nothing to worry about" (no silent fallback).
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        var request = HookRequests.OrderSign();
        request.Remove("prefetch");

        using var response = await client.PostHookAsync(HookRequests.OrderSignService, request);

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task GivenPrefetchTriState_WhenPipelineRuns_ThenEveryCatalogKeyIsRepresentedWithItsState()
    {
        var source = new RecordingDataSource();
        await using var app = new CdsApiFactory(
            settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:Tenant"] = "tenant-a" },
            configureServices: s => s.AddSingleton<IPatientDataSource>(source));
        using var client = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });
        var prefetch = HookRequests.FullPrefetch();
        prefetch.Remove(PrefetchCatalog.SafetyLabsKey);
        prefetch[PrefetchCatalog.ConditionsKey] = HookRequests.ClientErrorOutcome();
        prefetch[PrefetchCatalog.FertilityIntentKey] = null;
        var request = HookRequests.OrderSign(prefetch);
        request["fhirAuthorization"] = FhirAuthorization();

        using var response = await client.PostHookAsync(HookRequests.OrderSignService, request);

        using var _ = await CdsAssert.CdsResponseAsync(response);
        var (hook, caller) = Assert.Single(source.Calls);
        Assert.Equal(PrefetchCatalog.All.Select(q => q.Key).Order(), hook.Prefetch.Keys.Order());
        Assert.Equal(PrefetchState.Absent, hook.Prefetch[PrefetchCatalog.SafetyLabsKey].State);
        Assert.Equal(PrefetchState.OperationOutcome, hook.Prefetch[PrefetchCatalog.ConditionsKey].State);
        Assert.Equal(PrefetchState.Null, hook.Prefetch[PrefetchCatalog.FertilityIntentKey].State);
        Assert.Equal(PrefetchState.Present, hook.Prefetch[PrefetchCatalog.PatientKey].State);
        Assert.Equal(HookKind.OrderSign, hook.Hook);
        Assert.Equal(HookRequests.PatientId, hook.PatientId);
        Assert.Equal(new Uri(CdsApiFactory.AllowedFhirServer), hook.FhirServer);
        Assert.Equal("opaque-access-token", hook.FhirAccessToken);
        Assert.Equal(CdsApiFactory.Issuer, caller.Issuer);
        Assert.Equal("tenant-a", caller.Tenant);
        Assert.Equal([new Uri(CdsApiFactory.AllowedFhirServer)], caller.AllowedFhirServers);
    }

    [Theory]
    [InlineData(PatientDataFailureKind.FhirServerFailed)]
    [InlineData(PatientDataFailureKind.FhirServerNotAllowed)]
    [InlineData(PatientDataFailureKind.MissingPrefetch)]
    public async Task GivenDataSourceFailure_WhenCalled_Then412WithItsMessageNeverEmptyCards(PatientDataFailureKind kind)
    {
        var source = new RecordingDataSource { Failure = PatientDataOutcome.Failure(kind, $"Data unavailable: {kind}.", ["hormoneLabs"]) };
        await using var app = new CdsApiFactory(configureServices: s => s.AddSingleton<IPatientDataSource>(source));
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(HookRequests.OrderSignService, HookRequests.OrderSign());

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        var text = CdsAssert.IssueText(outcome);
        Assert.Contains($"Data unavailable: {kind}.", text, StringComparison.Ordinal);
        Assert.Contains("prefetch.hormoneLabs", text, StringComparison.Ordinal);
        Assert.Single(app.Logs.Named("PatientDataUnavailable"));
    }

    [Fact]
    public async Task GivenBodyOverTheLimit_WhenCalled_Then413OperationOutcome()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Limits:MaxRequestBodyBytes"] = "4096" });
        using var client = app.CreateCdsClient();
        var request = HookRequests.PatientView();
        request["padding"] = new string('x', 8192);

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, request);

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task GivenPipelineThrows_WhenCalled_Then500OperationOutcomeWithoutTheMessageAndOneErrorEvent()
    {
        await using var app = new CdsApiFactory(configureServices: s => s.AddSingleton<IHookPipeline, ThrowingPipeline>());
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain(ThrowingPipeline.Secret, CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        var logged = Assert.Single(app.Logs.Named("UnhandledException"));
        Assert.Equal(outcome.RootElement.GetProperty("id").GetString(), CollectingSink.Property(logged, "CorrelationId"));
        Assert.Single(app.Logs.Events, e => e.Exception is not null);   // logged once, not again by the request log
    }

    [Fact]
    public async Task GivenHookCall_WhenLogged_ThenNoPatientIdAccessTokenOrPrefetchContentInAnyEvent()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient(out var tokens);
        var request = HookRequests.OrderSign();
        request["fhirAuthorization"] = FhirAuthorization();

        using var response = await client.PostHookAsync(HookRequests.OrderSignService, request);
        request.Remove("prefetch");
        using var refused = await client.PostHookAsync(HookRequests.PatientViewService, new JsonObject { ["context"] = new JsonObject { ["patientId"] = HookRequests.PatientId } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = app.Logs.AllText();
        Assert.Contains(request["hookInstance"]!.GetValue<string>(), logs, StringComparison.Ordinal);
        Assert.DoesNotContain(HookRequests.PatientId, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("opaque-access-token", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("Methyltestosterone", logs, StringComparison.Ordinal);
        Assert.All(tokens.IssuedTokens, t => Assert.DoesNotContain(t.Split('.')[2], logs, StringComparison.Ordinal));
    }

    internal static JsonObject RequestFor(string serviceId) => serviceId switch
    {
        HookRequests.OrderSelectService => HookRequests.OrderSelect(),
        HookRequests.OrderSignService => HookRequests.OrderSign(),
        _ => HookRequests.PatientView(),
    };

    private static JsonObject FhirAuthorization() => new()
    {
        ["access_token"] = "opaque-access-token",
        ["token_type"] = "Bearer",
        ["expires_in"] = 300,
        ["scope"] = "patient/*.read",
        ["subject"] = "cds-service",
    };

    private static string Deep(int depth)
    {
        var request = HookRequests.PatientView();
        JsonNode nested = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            nested = new JsonObject { ["n"] = nested };
        }

        request["extension"] = new JsonObject { ["com.example.deep"] = nested };
        return request.ToJsonString(new System.Text.Json.JsonSerializerOptions { MaxDepth = depth + 16 });
    }

    private sealed class RecordingDataSource : IPatientDataSource
    {
        public List<(HookRequest Request, CallerTrust Caller)> Calls { get; } = [];

        public PatientDataOutcome? Failure { get; init; }

        public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken)
        {
            Calls.Add((request, caller));
            return Task.FromResult(Failure ?? PatientDataOutcome.Success(new PatientSnapshot { Sex = AdministrativeSex.Male }));
        }
    }

    private sealed class ThrowingPipeline : IHookPipeline
    {
        public const string Secret = "internal detail that must not leak";

        public Task<HookOutcome> RunAsync(HookRequest request, CallerTrust caller, Uri serviceBaseUrl, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Secret);
    }
}
