using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CdsService.Fhir.Prefetch;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Bounded resources (OWASP API4, docs/security.md §5), verified through HTTP: request body size (413), JSON depth (400), resources
/// read from prefetch (412), and pages and resources read from a FHIR server (412).
/// </summary>
public sealed class BoundedResourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenChunkedBodyOverTheLimitWithoutContentLength_WhenCalled_Then413()
    {
        // No Content-Length: the limit must be enforced while reading, not by trusting a header.
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:Limits:MaxRequestBodyBytes"] = "8192" });
        using var client = app.CreateCdsClient();
        var request = HookRequests.PatientView();
        request["padding"] = new string('x', 64 * 1024);
        using var content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(request.ToJsonString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync(new Uri($"/cds-services/{HookRequests.PatientViewService}", UriKind.Relative), content, Ct);

        Assert.Null(content.Headers.ContentLength);
        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task GivenJsonExactlyAtTheDepthLimit_WhenCalled_ThenAcceptedAndOneLevelMoreIs400()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();
        const int limit = 64;   // CdsHooks:Limits:MaxJsonDepth default

        using var atLimit = await client.PostHookAsync(HookRequests.PatientViewService, Nested(limit));
        using var overLimit = await client.PostHookAsync(HookRequests.PatientViewService, Nested(limit + 1));

        using var _ = await CdsAssert.CdsResponseAsync(atLimit);
        using var outcome = await CdsAssert.OperationOutcomeAsync(overLimit, HttpStatusCode.BadRequest);
        Assert.Contains("nested deeper than 64", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    /// <summary>
    /// More resources in prefetch than Fhir:MaxResources → 412, not 400: the request is valid CDS Hooks (the spec sets
    /// no size for prefetch), the service just cannot use that much data, and reading only part of it could miss the
    /// lab that decides the advice. 412 is the spec's answer for "cannot obtain the data it needs"; the EHR goes on
    /// without advice and the OperationOutcome says why. The body limit bounds the parsing cost before the count.
    /// </summary>
    [Fact]
    public async Task GivenPrefetchWithMoreResourcesThanTheCap_WhenCalled_Then412NamingTheLimit()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["Fhir:MaxResources"] = "10" });
        using var client = app.CreateCdsClient();

        using var under = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView(PrefetchWithLabs(5)));
        using var over = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView(PrefetchWithLabs(11)));

        using var _ = await CdsAssert.CdsResponseAsync(under);
        using var outcome = await CdsAssert.OperationOutcomeAsync(over, HttpStatusCode.PreconditionFailed);
        Assert.Contains("more than 10 resources", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenFhirServerThatPagesForever_WhenFetched_Then412AfterMaxPagesPerQuery()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        var page = 0;
        server.Handler = context => context.Request.Path.Value!.Contains("/Patient/", StringComparison.Ordinal)
            ? FhirAnswers.Minimal(context)
            : FhirAnswers.Json(context, $$"""
                {"resourceType":"Bundle","type":"searchset",
                 "link":[{"relation":"next","url":"{{server.FhirBase}}{{context.Request.Path.Value![5..]}}?page={{Interlocked.Increment(ref page)}}"}]}
                """);
        await using var app = FetchingApp(server, ("Fhir:MaxPages", "3"));
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(server.FhirBase.AbsoluteUri, HookRequests.NewAccessToken()));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Contains("more than 3 pages", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        var searches = PrefetchCatalog.All.Count(q => q.QueryTemplate.Contains('?', StringComparison.Ordinal));
        var searchRequests = server.Requests.Count(r => !r.PathAndQuery.Contains("/Patient/", StringComparison.Ordinal));
        Assert.InRange(searchRequests, 3, searches * 3);
    }

    [Fact]
    public async Task GivenFhirServerAnsweringMoreResourcesThanTheCap_WhenFetched_Then412()
    {
        await using var server = await LoopbackHttpServer.StartAsync();
        var entries = string.Join(',', Enumerable.Range(0, 11).Select(i => new JsonObject
        {
            ["resource"] = new JsonObject { ["resourceType"] = "Observation", ["id"] = $"o{i}", ["status"] = "final", ["code"] = new JsonObject { ["text"] = "x" } },
        }.ToJsonString()));
        server.Handler = context => context.Request.Path.Value!.Contains("/Patient/", StringComparison.Ordinal)
            ? FhirAnswers.Minimal(context)
            : FhirAnswers.Json(context, $$"""{"resourceType":"Bundle","type":"searchset","entry":[{{entries}}]}""");
        await using var app = FetchingApp(server, ("Fhir:MaxResources", "10"));
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(server.FhirBase.AbsoluteUri, HookRequests.NewAccessToken()));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Contains("more than 10 resources", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    private static CdsApiFactory FetchingApp(LoopbackHttpServer server, params (string Key, string Value)[] settings)
    {
        // A generous deadline: these tests are about the page and resource limits, and on a loaded machine the default
        // 2 s could report "did not answer within" instead of the limit.
        var all = new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:FhirServers:1"] = server.FhirBase.AbsoluteUri,
            ["Fhir:Deadline"] = "00:00:20",
            ["Fhir:AttemptTimeout"] = "00:00:15",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new CdsApiFactory(environment: "Test", settings: all);
    }

    /// <summary>A valid patient-view whose unknown member "x" nests arrays so the whole document is <paramref name="depth"/> deep.</summary>
    private static JsonObject Nested(int depth)
    {
        var request = HookRequests.PatientView();
        JsonNode inner = new JsonArray();
        for (var level = 3; level < depth; level++)
        {
            inner = new JsonArray(inner);
        }

        // Root object = 1, "x" array = 2, ... innermost array = depth.
        request["x"] = new JsonArray(inner);
        return request;
    }

    private static JsonObject PrefetchWithLabs(int count)
    {
        var prefetch = HookRequests.FullPrefetch();
        var entries = new JsonArray();
        for (var i = 0; i < count; i++)
        {
            entries.Add(new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Observation",
                    ["id"] = $"lab-{i}",
                    ["status"] = "final",
                    ["code"] = new JsonObject { ["text"] = "unrelated" },
                    ["subject"] = new JsonObject { ["reference"] = $"Patient/{HookRequests.PatientId}" },
                },
            });
        }

        prefetch[PrefetchCatalog.HormoneLabsKey] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["entry"] = entries };
        return prefetch;
    }

    /// <summary>A read-only stream without length, so HttpClient sends the body chunked.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
