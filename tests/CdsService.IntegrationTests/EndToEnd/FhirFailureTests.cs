using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Examples;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.EndToEnd;

/// <summary>
/// The host for <see cref="FhirFailureTests"/>: a short FHIR deadline so slow-server cases stay fast, and a second
/// allowlisted server on a port where nothing listens.
/// </summary>
public sealed class FailureApp : SandboxApp
{
    public static readonly TimeSpan Deadline = TimeSpan.FromMilliseconds(500);

    /// <summary>A loopback port that was free a moment ago and is closed now: "FHIR server down".</summary>
    public Uri DeadServer { get; } = new($"http://127.0.0.1:{ClosedPort()}/fhir");

    protected override IReadOnlyDictionary<string, string?> Settings(Uri sandboxBaseUrl) => new Dictionary<string, string?>
    {
        ["Fhir:Deadline"] = Deadline.ToString(),
        // Must not exceed the deadline (validated at start); leaves room for the one retry to start and be cut off.
        ["Fhir:AttemptTimeout"] = TimeSpan.FromMilliseconds(400).ToString(),
        ["CdsHooks:Clients:0:FhirServers:1"] = DeadServer.AbsoluteUri,
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>
/// The no-silent-fallback rule (spec §HTTP Status Codes, 412: no cards would read as "all clear"): when the FHIR server is down, slow past the deadline, answers 500,
/// answers garbage, or has more results than the paging or resource limits allow, the hook call is a 412 with an
/// OperationOutcome, never a 500, never an empty "all clear", and it arrives within the deadline plus a margin
/// (the bound proves the call never hangs; it is generous for a loaded 2-core CI machine, not a performance target).
/// A fhirServer that is not allowlisted for the client is a 412 and the server never sees a request.
/// </summary>
[Collection(FhirSandboxCollection.Name)]
public sealed class FhirFailureTests(FhirSandboxFixture sandbox, FailureApp app) : IClassFixture<FailureApp>
{
    private const string Scenario = "secondary-not-desired";
    private const string HugePatient = "golden-huge-result";

    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1.5);

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

    public static TheoryData<string, int, int?, string?, string> Faults => new()
    {
        // name, delay ms, status, body, what the OperationOutcome must say
        { "slow past the deadline", 2500, null, null, "did not answer within 0.5 s" },
        { "500 Internal Server Error", 0, 500, null, "HTTP 500" },
        { "503 on every attempt", 0, 503, null, "HTTP 503" },
        { "malformed body", 0, 200, "{\"resourceType\": \"Bundle\", \"entry\": [", "unreadable" },
        { "HTML error page with status 200", 0, 200, "<html><body>Gateway error</body></html>", "unreadable" },
        { "valid FHIR but not a search Bundle", 0, 200, "{\"resourceType\": \"OperationOutcome\", \"issue\": [{\"severity\": \"error\", \"code\": \"exception\"}]}", "the answer was not a" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task GivenAFaultySandbox_WhenDataMustBeFetched_Then412OperationOutcomeWithinTheDeadline(
        string fault, int delayMs, int? status, string? faultBody, string mentioned)
    {
        var request = FetchRequest(Scenario, sandbox.RequireBaseUrl());
        _ = app.Client(sandbox); // start the host before the clock runs
        await sandbox.SetFaultsAsync(delayMs, status, faultBody, Token);
        try
        {
            var (outcome, elapsed) = await Expect412Async(request);

            Assert.True(CdsAssert.IssueText(outcome).Contains(mentioned, StringComparison.Ordinal), $"{fault}: {CdsAssert.IssueText(outcome)}");
            Assert.True(elapsed < FailureApp.Deadline + Margin, $"{fault}: the 412 took {elapsed.TotalMilliseconds:0} ms");
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

        var (outcome, elapsed) = await Expect412Async(request);

        Assert.Contains("could not provide", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.True(elapsed < FailureApp.Deadline + Margin, $"the 412 took {elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task GivenMoreResultPagesThanThePageLimit_WhenFetched_Then412NotATruncatedAnswer()
    {
        // 60 fertility-intent answers at 10 per page (the catalogue's page size) are 6 pages; the default limit is 5.
        var baseUrl = sandbox.RequireBaseUrl();
        await SeedHugePatientAsync(baseUrl, answers: 60);
        var request = FetchRequest(HugePatient, baseUrl);
        _ = app.Client(sandbox);

        var (outcome, elapsed) = await Expect412Async(request);

        Assert.Contains("more than 5 pages", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.True(elapsed < FailureApp.Deadline + Margin, $"the 412 took {elapsed.TotalMilliseconds:0} ms");
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

    private async Task<(JsonDocument Outcome, TimeSpan Elapsed)> Expect412Async(ExampleRequest request)
    {
        var clock = Stopwatch.StartNew();
        using var response = await app.PostAsync(sandbox, request.ServiceId, request.Body);
        var elapsed = clock.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"412 after {elapsed.TotalMilliseconds:0} ms (deadline {FailureApp.Deadline.TotalMilliseconds:0} ms)");
        var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        return (outcome, elapsed);
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
