using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Examples;
using CdsService.Fhir.Prefetch;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.EndToEnd;

/// <summary>
/// The host for <see cref="FhirFailureTests"/>: a FHIR deadline far longer than any fault takes to arrive, so each fault is
/// reported as itself (a 500 as "HTTP 500") however slowly a busy machine delivers it, and a second allowlisted server on
/// a port where nothing listens. The deadline itself is tested by <see cref="ShortDeadlineApp"/>.
/// </summary>
public sealed class FailureApp : SandboxApp
{
    private static readonly TimeSpan GenerousDeadline = TimeSpan.FromSeconds(20);

    /// <summary>A loopback port bound and never listened on (connections refused, and no server started meanwhile can take it).</summary>
    public Uri DeadServer { get; } = new($"http://127.0.0.1:{CdsService.IntegrationTests.ScaleOut.LocalServers.ClosedPort()}/fhir");

    protected override IReadOnlyDictionary<string, string?> Settings(Uri sandboxBaseUrl) => new Dictionary<string, string?>
    {
        ["Fhir:Deadline"] = GenerousDeadline.ToString(),
        ["Fhir:AttemptTimeout"] = TimeSpan.FromSeconds(15).ToString(),
        ["CdsHooks:Clients:0:FhirServers:1"] = DeadServer.AbsoluteUri,
    };
}

/// <summary>
/// A host whose FHIR deadline (0.5 s) is far shorter than the sandbox's injected delay (60 s): only the deadline can end
/// such a call. The attempt timeout equals the deadline, so a retry cannot start before the deadline has fired.
/// </summary>
public sealed class ShortDeadlineApp : SandboxApp
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(500);

    protected override IReadOnlyDictionary<string, string?> Settings(Uri sandboxBaseUrl) => new Dictionary<string, string?>
    {
        ["Fhir:Deadline"] = Deadline.ToString(),
        ["Fhir:AttemptTimeout"] = Deadline.ToString(),
    };
}

/// <summary>
/// The no-silent-fallback rule (spec §HTTP Status Codes, 412: no cards would read as "all clear"): when the FHIR server is down, slow past the deadline, answers 500,
/// answers garbage, or has more results than the paging or resource limits allow, the hook call is a 412 with an
/// OperationOutcome, never a 500, never an empty "all clear". No assertion reads a clock: that the deadline ends a call is
/// shown by a sandbox that holds every request for 60 s while the 412 names the 0.5 s deadline, so the outcome is the
/// same on an idle laptop and on a loaded 2-core CI machine.
/// A fhirServer that is not allowlisted for the client is a 412 and the server never sees a request.
/// </summary>
[Collection(FhirSandboxCollection.Name)]
public sealed class FhirFailureTests(FhirSandboxFixture sandbox, FailureApp app, ShortDeadlineApp shortDeadline)
    : IClassFixture<FailureApp>, IClassFixture<ShortDeadlineApp>
{
    private const string Scenario = "secondary-not-desired";
    private const string HugePatient = "golden-huge-result";

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenAHealthySandbox_WhenEverythingIsFetched_Then200WithCards()
    {
        // The control for every 412 below: the same call against the same host succeeds when nothing is broken.
        var request = FetchRequest(Scenario, sandbox.RequireBaseUrl());

        using var response = await app.PostAsync(sandbox, request.ServiceId, request.Body);

        using var body = await CdsAssert.CdsResponseAsync(response);
        Assert.NotEqual(0, body.RootElement.GetProperty("cards").GetArrayLength());
    }

    public static TheoryData<string, int?, string?, string> Faults => new()
    {
        // name, status, body, what the OperationOutcome must say
        { "500 Internal Server Error", 500, null, "HTTP 500" },
        { "503 on every attempt", 503, null, "HTTP 503" },
        { "malformed body", 200, "{\"resourceType\": \"Bundle\", \"entry\": [", "unreadable" },
        { "HTML error page with status 200", 200, "<html><body>Gateway error</body></html>", "unreadable" },
        { "valid FHIR but not a search Bundle", 200, "{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": \"error\", \"code\": \"exception\"}]}", "the answer was not a" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task GivenAFaultySandbox_WhenDataMustBeFetched_Then412OperationOutcomeNamingTheFault(
        string fault, int? status, string? faultBody, string mentioned)
    {
        var request = FetchRequest(Scenario, sandbox.RequireBaseUrl());
        _ = app.Client(sandbox);
        await sandbox.SetFaultsAsync(0, status, faultBody, Token);
        try
        {
            using var outcome = await Expect412Async(app, request);

            Assert.True(CdsAssert.IssueText(outcome).Contains(mentioned, StringComparison.Ordinal), $"{fault}: {CdsAssert.IssueText(outcome)}");
        }
        finally
        {
            await sandbox.ClearFaultsAsync(Token);
        }
    }

    [Fact]
    public async Task GivenASandboxSlowerThanTheDeadline_WhenDataMustBeFetched_Then412NamingTheDeadline()
    {
        // The sandbox holds every request for 60 s; the 412 that names the 0.5 s deadline can only come from the deadline.
        var request = FetchRequest(Scenario, sandbox.RequireBaseUrl());
        _ = shortDeadline.Client(sandbox);
        await sandbox.SetFaultsAsync(60_000, null, null, Token);
        try
        {
            using var outcome = await Expect412Async(shortDeadline, request);

            Assert.Contains("did not answer within 0.5 s", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        }
        finally
        {
            await sandbox.ClearFaultsAsync(Token);
        }
    }

    [Fact]
    public async Task GivenNothingListeningAtTheFhirServer_WhenDataMustBeFetched_Then412WithinTheDeadline()
    {
        sandbox.RequireBaseUrl();
        var request = FetchRequest(Scenario, app.DeadServer);
        _ = app.Client(sandbox);

        using var outcome = await Expect412Async(app, request);

        Assert.Contains("could not provide", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenMoreResultPagesThanThePageLimit_WhenFetched_Then412NotATruncatedAnswer()
    {
        // 60 fertility-intent answers at 10 per page (the catalogue's page size) are 6 pages; the default limit is 5.
        var baseUrl = sandbox.RequireBaseUrl();
        await SeedHugePatientAsync(baseUrl, answers: 60);
        var request = FetchRequest(HugePatient, baseUrl);
        _ = app.Client(sandbox);

        using var outcome = await Expect412Async(app, request);

        Assert.Contains("more than 5 pages", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenMoreResourcesThanTheResourceLimit_WhenFetched_Then412NotATruncatedAnswer()
    {
        var baseUrl = sandbox.RequireBaseUrl();
        await SeedHugePatientAsync(baseUrl, answers: 60);
        await using var limited = new CdsApiFactory(
            environment: "Testing",
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:FhirServers:0"] = baseUrl.AbsoluteUri.TrimEnd('/'),
                ["Fhir:MaxResources"] = "25",
                ["Fhir:MaxPages"] = "50",
            });
        using var client = limited.CreateCdsClient();
        var request = FetchRequest(HugePatient, baseUrl);

        using var response = await client.PostHookAsync(request.ServiceId, request.Body);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        // Which query crosses the shared budget first depends on timing; every such message names the resource cap.
        Assert.Contains("resources", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAFhirServerNotAllowlistedForTheClient_WhenCalled_Then412AndTheServerSeesNoRequest()
    {
        // A host whose client may use only https://fhir.test.example/r4; the sandbox is reachable but not allowed.
        var baseUrl = sandbox.RequireBaseUrl();
        await using var other = new CdsApiFactory(environment: "Testing");
        using var client = other.CreateCdsClient();
        var request = FetchRequest(Scenario, baseUrl);
        await ResetRequestLogAsync();

        using var response = await client.PostHookAsync(request.ServiceId, request.Body);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Contains("not allowed", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.Equal(0, await sandbox.GetRequestCountAsync(Token));

        // Which keys were missing and why nothing was fetched: in the answer (text and expressions) and in the log.
        var required = PrefetchCatalog.All.Where(q => q.RequiredForAssessment).Select(q => q.Key).ToList();
        var issue = outcome.RootElement.GetProperty("issue")[0];
        Assert.Equal(required.Select(k => "prefetch." + k), issue.GetProperty("expression").EnumerateArray().Select(e => e.GetString()));
        Assert.All(required, key => Assert.Contains(key, CdsAssert.IssueText(outcome), StringComparison.Ordinal));
        Assert.Contains("no request was made", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        var logged = Assert.Single(other.Logs.Named("PrefetchMissingFhirServerNotAllowed"));
        Assert.Equal(string.Join(',', required), CollectingSink.Property(logged, "MissingKeys"));
    }

    [Fact]
    public async Task GivenTheAllowlistedSandboxUnderAnotherHostName_WhenCalled_Then412AndTheServerSeesNoRequest()
    {
        // Same server, same port, named "localhost" instead of the allowlisted 127.0.0.1: the allowlist compares
        // scheme, host and port as written, so this is refused before any connection (docs/security.md §4, SSRF policy).
        var baseUrl = sandbox.RequireBaseUrl();
        var alias = new UriBuilder(baseUrl) { Host = "localhost" }.Uri;
        var request = FetchRequest(Scenario, alias);
        _ = app.Client(sandbox);
        await ResetRequestLogAsync();

        using var response = await app.PostAsync(sandbox, request.ServiceId, request.Body);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Contains("not allowed", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.Equal(0, await sandbox.GetRequestCountAsync(Token));
    }

    /// <summary>order-sign with testosterone drafted, no prefetch: everything must come from <paramref name="fhirServer"/>.</summary>
    private static ExampleRequest FetchRequest(string patientId, Uri fhirServer)
    {
        var bundle = GoldenScenarios.Library.Find(patientId) is null ? HugePatientBundle(0) : GoldenScenarios.Library.LoadBundle(patientId);
        var request = HookRequests.For(bundle)
            .Hook(HookKind.OrderSign, ExampleDraftOrder.TestosteroneCypionate)
            .At(GoldenScenarios.EvaluationTime, shiftDates: false)
            .FetchFrom(fhirServer, SandboxApp.AccessToken)
            .WithHookInstance(Guid.NewGuid().ToString())
            .Build();
        Assert.Null(request.Body["prefetch"]);
        return request;
    }

    private async Task<JsonDocument> Expect412Async(SandboxApp host, ExampleRequest request)
    {
        using var response = await host.PostAsync(sandbox, request.ServiceId, request.Body);
        return await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
    }

    private async Task ResetRequestLogAsync()
    {
        using var reset = await sandbox.Http.DeleteAsync(new Uri(sandbox.AdminUrl, "/__sandbox/requests"), Token);
        reset.EnsureSuccessStatusCode();
        Assert.Equal(0, await sandbox.GetRequestCountAsync(Token));
    }

    /// <summary>
    /// Puts a synthetic patient with <paramref name="answers"/> pregnancy-intent answers into the sandbox. PUTs with
    /// fixed ids, so seeding twice leaves the same data; no example scenario is touched.
    /// </summary>
    private async Task SeedHugePatientAsync(Uri baseUrl, int answers)
    {
        using var content = new StringContent(HugePatientBundle(answers).ToJsonString(), Encoding.UTF8, "application/fhir+json");
        using var response = await sandbox.Http.PostAsync(baseUrl, content, Token);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Token));
    }

    private static JsonObject HugePatientBundle(int answers)
    {
        var entries = new JsonArray(Entry(new JsonObject
        {
            ["resourceType"] = "Patient",
            ["id"] = HugePatient,
            ["gender"] = "male",
            ["birthDate"] = "1980-04-02",
        }));
        for (var i = 0; i < answers; i++)
        {
            entries.Add(Entry(new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = $"{HugePatient}-intent-{i}",
                ["status"] = "final",
                ["code"] = new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "86645-9" }),
                },
                ["subject"] = new JsonObject { ["reference"] = $"Patient/{HugePatient}" },
                ["effectiveDateTime"] = GoldenScenarios.EvaluationTime.AddDays(-i - 1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["valueCodeableConcept"] = new JsonObject
                {
                    // SNOMED CT 454401000124105 "Does not want to become pregnant" (terminology/ValueSet-fertility-intent-not-desired.json).
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "454401000124105" }),
                },
            }));
        }

        return new JsonObject { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = entries };
    }

    private static JsonObject Entry(JsonObject resource) => new()
    {
        ["resource"] = resource,
        ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"{resource["resourceType"]}/{resource["id"]}" },
    };
}
