using System.Net;
using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Http;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// One host for the SSRF cases: a loopback FHIR server the client may use (A), another the service must never reach
/// (B), the FHIR client's outbound-request counter, and a service in a non-Production environment (plain http is then
/// allowed to loopback only, as for the local sandbox). A link-local allowlist entry is refused at start
/// (<see cref="OutboundGuardTests"/>), so the metadata cases here are refused as not allowlisted.
/// </summary>
public sealed class SsrfFixture : IAsyncLifetime
{
    public LoopbackHttpServer Allowed { get; private set; } = null!;

    public LoopbackHttpServer Other { get; private set; } = null!;

    public OutboundRequestCounter Outbound { get; } = new();

    public CdsApiFactory App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Allowed = await LoopbackHttpServer.StartAsync();
        Other = await LoopbackHttpServer.StartAsync();
        App = new CdsApiFactory(
            environment: "Test",
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:FhirServers:1"] = Allowed.FhirBase.AbsoluteUri,
                // Generous: no test here waits for the deadline, and a loaded machine must not turn the positive
                // control or a specific refusal into "did not answer within" (the deadline has its own tests).
                ["Fhir:Deadline"] = "00:00:20",
                ["Fhir:AttemptTimeout"] = "00:00:15",
            },
            configureServices: Outbound.Install);
        Client = App.CreateCdsClient();
    }

    /// <summary>Forgets every connection and request seen so far.</summary>
    public void Reset()
    {
        Allowed.Reset();
        Other.Reset();
        Outbound.Reset();
        Allowed.Handler = FhirAnswers.Minimal;
        Other.Handler = FhirAnswers.Minimal;
    }

    /// <summary>{A} and {B} in a case become the two listeners' host:port.</summary>
    public string Expand(string template) => template
        .Replace("{A}", $"127.0.0.1:{Allowed.Port}", StringComparison.Ordinal)
        .Replace("{B}", $"127.0.0.1:{Other.Port}", StringComparison.Ordinal)
        .Replace("{portA}", Allowed.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Allowed.DisposeAsync();
        await Other.DisposeAsync();
    }
}

/// <summary>
/// No server-side request forgery (docs/security.md §4), proven through HTTP: a forbidden <c>fhirServer</c> gets a 412
/// OperationOutcome and causes no outbound request (counted in the FHIR client's handler chain) and no TCP connection
/// (counted by the listeners); the <c>fhirAuthorization</c> token reaches only the allowlisted server, never another
/// host (not even through a redirect or a paging link), and is in no log event.
/// </summary>
public sealed class SsrfTests(SsrfFixture fixture) : IClassFixture<SsrfFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>fhirServer values refused by the allowlist (→ 412, no request). {A} is allowlisted as http://{A}/fhir.</summary>
    public static TheoryData<string, string> Forbidden => new()
    {
        { "another host name for the allowed listener", "http://localhost:{portA}/fhir" },
        { "another port on the same host", "http://{B}/fhir" },
        { "https instead of the allowlisted http", "https://{A}/fhir" },
        { "userinfo", "http://user:secret@{A}/fhir" },
        { "userinfo that looks like the allowed host", "http://{A}@{B}/fhir" },
        { "path prefix without a segment boundary", "http://{A}/fhir-admin" },
        { "dot segments out of the base path", "http://{A}/fhir/../admin" },
        { "encoded slash", "http://{A}/fhir%2F..%2Fadmin" },
        { "encoded dot segments", "http://{A}/fhir/%2e%2e/admin" },
        { "backslash", "http://{A}/fhir\\..\\admin" },
        { "query smuggling another URL", "http://{A}/fhir?next=http://{B}/fhir" },
        { "fragment", "http://{A}/fhir#x" },
        { "cloud metadata endpoint", "http://169.254.169.254/latest/meta-data" },
        { "cloud metadata, allowlisted by mistake", "https://169.254.169.254/fhir" },
        { "cloud metadata as a decimal host", "http://2852039166/fhir" },
        { "cloud metadata as IPv4-mapped IPv6", "http://[::ffff:169.254.169.254]/fhir" },
        { "IPv6 link-local, allowlisted by mistake", "https://[fe80::1]/fhir" },
        { "plain http to an allowlisted https server", "http://fhir.test.example/r4" },
        { "another host entirely", "https://intranet.hospital.example/fhir" },
    };

    [TestedAttack("fhirServer naming a host the client may not use (other host, metadata address, look-alike spellings)", "412 OperationOutcome; no outbound request")]
    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task GivenForbiddenFhirServer_WhenDataMustBeFetched_Then412AndNoOutboundRequest(string name, string fhirServer)
    {
        fixture.Reset();
        fixture.App.Logs.Clear();
        var token = HookRequests.NewAccessToken();

        using var response = await fixture.Client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(fixture.Expand(fhirServer), token));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        AssertNothingLeftTheService(name);
        Assert.Single(fixture.App.Logs.Named("FhirServerRefused"));
        Assert.DoesNotContain(token, fixture.App.Logs.AllText(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Paths under the allowlisted base that a FHIR server or proxy decodes into something else (a parent directory, a
    /// path parameter, a trimmed segment): the prefix check passes, so only the segment rule keeps them out.
    /// </summary>
    public static TheoryData<string, string> AmbiguousPaths => new()
    {
        { "Tomcat/Jetty path parameter dot-dot", "http://{A}/fhir/..;/admin" },
        { "double-encoded dot segment", "http://{A}/fhir/%252e%252e/admin" },
        { "overlong UTF-8 dots", "http://{A}/fhir/%C0%AE%C0%AE/admin" },
        { "two-dot leader (U+2025)", "http://{A}/fhir/\u2025/admin" },
        { "path parameter", "http://{A}/fhir;x" },
        { "encoded tab", "http://{A}/fhir/%09" },
        { "encoded percent", "http://{A}/fhir/%25" },
        { "non-ASCII letter", "http://{A}/fhir/\u00e9" },
    };

    [TestedAttack("fhirServer under the allowlisted base with a path a FHIR server decodes differently (..;, %252e, %C0%AE, U+2025, ;x, %09)", "412 OperationOutcome; no outbound request, the token goes nowhere")]
    [Theory]
    [MemberData(nameof(AmbiguousPaths))]
    public async Task GivenFhirServerPathWithAmbiguousSegments_WhenDataMustBeFetched_Then412AndNoOutboundRequest(string name, string fhirServer)
    {
        fixture.Reset();
        fixture.App.Logs.Clear();
        var token = HookRequests.NewAccessToken();

        using var response = await fixture.Client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(fixture.Expand(fhirServer), token));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        AssertNothingLeftTheService(name);
        Assert.Equal("DisallowedPathSegment", CollectingSink.Property(Assert.Single(fixture.App.Logs.Named("FhirServerRefused")), "Verdict"));
    }

    [TestedAttack("context.patientId of '.' or '..' (the Patient read would become GET {base}/Patient/, an unscoped search, with the clinician's token)", "400 OperationOutcome naming context.patientId; no request reaches the FHIR server")]
    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    [InlineData("a b")]
    [InlineData("65-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    public async Task GivenPatientIdOutsideTheFhirIdGrammar_WhenDataMustBeFetched_Then400AndNoOutboundRequest(string patientId)
    {
        fixture.Reset();
        var request = HookRequests.FetchFrom(fixture.Allowed.FhirBase.AbsoluteUri, HookRequests.NewAccessToken());
        request["context"]!["patientId"] = patientId;

        using var response = await fixture.Client.PostHookAsync(HookRequests.PatientViewService, request);

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("context.patientId", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        AssertNothingLeftTheService(patientId);
    }

    /// <summary>Not a FHIR server URL at all: the request itself is invalid (400), and still nothing is contacted.</summary>
    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:70/_")]
    [InlineData("ftp://{A}/fhir")]
    [InlineData("/fhir")]
    public async Task GivenFhirServerThatIsNotAnHttpUrl_WhenCalled_Then400AndNoOutboundRequest(string fhirServer)
    {
        fixture.Reset();

        using var response = await fixture.Client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(fixture.Expand(fhirServer), HookRequests.NewAccessToken()));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("fhirServer", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        AssertNothingLeftTheService(fhirServer);
    }

    [Fact]
    public async Task GivenAllowlistedFhirServer_WhenDataIsFetched_Then200AndTheTokenWentOnlyThere()
    {
        // Positive control: the same counters do see traffic when it is allowed.
        fixture.Reset();
        fixture.App.Logs.Clear();
        var token = HookRequests.NewAccessToken();

        // A patient of this call's own: a query that an earlier test's call had already sent when that call was cancelled
        // can still reach the shared server after Reset (seen once in CI), so this call's requests are told apart by it.
        var patientId = "pat-" + Guid.NewGuid().ToString("N")[..8];
        var request = HookRequests.FetchFrom(fixture.Allowed.FhirBase.AbsoluteUri, token);
        request["context"]!["patientId"] = patientId;

        using var response = await fixture.Client.PostHookAsync(HookRequests.PatientViewService, request);

        using var _ = await CdsAssert.CdsResponseAsync(response);
        var thisCall = fixture.Allowed.Requests.Where(r => r.PathAndQuery.Contains(patientId, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(thisCall);
        Assert.All(thisCall, r => Assert.Equal($"Bearer {token}", r.Authorization));
        Assert.All(
            fixture.Allowed.Requests.Where(r => r.Authorization == $"Bearer {token}"),
            r => Assert.Contains(patientId, r.PathAndQuery, StringComparison.Ordinal));
        Assert.All(fixture.Outbound.Sent, uri => Assert.Equal(fixture.Allowed.Port, uri.Port));
        Assert.Equal(0, fixture.Other.Connections);
        Assert.DoesNotContain(token, fixture.App.Logs.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [TestedAttack("Allowlisted FHIR server redirects to another host", "412; the other host is never contacted")]
    [Theory]
    [InlineData(StatusCodes.Status301MovedPermanently)]
    [InlineData(StatusCodes.Status302Found)]
    [InlineData(StatusCodes.Status307TemporaryRedirect)]
    [InlineData(StatusCodes.Status308PermanentRedirect)]
    public async Task GivenAllowlistedServerRedirectsElsewhere_WhenFetched_Then412AndTheOtherHostNeverContacted(int status)
    {
        fixture.Reset();
        var token = HookRequests.NewAccessToken();
        var elsewhere = fixture.Other.FhirBase;
        fixture.Allowed.Handler = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = elsewhere + (context.Request.Path.Value ?? string.Empty) + context.Request.QueryString;
            return Task.CompletedTask;
        };

        using var response = await fixture.Client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(fixture.Allowed.FhirBase.AbsoluteUri, token));

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.NotEmpty(fixture.Allowed.Requests);
        Assert.Equal(0, fixture.Other.Connections);
        Assert.Empty(fixture.Other.Requests);
        Assert.All(fixture.Outbound.Sent, uri => Assert.Equal(fixture.Allowed.Port, uri.Port));
        Assert.DoesNotContain(token, fixture.App.Logs.AllText(), StringComparison.Ordinal);
    }

    /// <summary>A search Bundle's next link comes from the server's answer: it is held to the same allowlist.</summary>
    [TestedAttack("Paging link (Bundle.link next) pointing outside the FHIR server", "412; the link is not followed")]
    [Theory]
    [InlineData("http://{B}/fhir/Observation?page=2")]
    [InlineData("//{B}/fhir/Observation?page=2")]
    [InlineData("http://{A}@{B}/fhir/Observation?page=2")]
    [InlineData("http://localhost:{portA}/fhir/Observation?page=2")]
    [InlineData("http://{A}/other/Observation?page=2")]
    public async Task GivenPagingLinkOutsideTheFhirServer_WhenFetched_Then412AndItIsNotFollowed(string next)
    {
        fixture.Reset();
        var nextUrl = fixture.Expand(next);
        fixture.Allowed.Handler = context => context.Request.Path.Value!.Contains("/Patient/", StringComparison.Ordinal)
            ? FhirAnswers.Minimal(context)
            : FhirAnswers.Json(context, $$"""{"resourceType":"Bundle","type":"searchset","link":[{"relation":"next","url":"{{nextUrl}}"}]}""");

        using var response = await fixture.Client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(fixture.Allowed.FhirBase.AbsoluteUri, HookRequests.NewAccessToken()));

        using var outcome = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Contains("paging link", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.Equal(0, fixture.Other.Connections);
        Assert.All(fixture.Allowed.Requests, r => Assert.StartsWith("/fhir/", r.PathAndQuery, StringComparison.Ordinal));
        Assert.All(fixture.Outbound.Sent, uri => Assert.Equal(fixture.Allowed.FhirBase.Authority, uri.Authority));
    }

    private void AssertNothingLeftTheService(string name)
    {
        Assert.True(fixture.Outbound.Sent.Count == 0, $"{name}: the FHIR client sent {string.Join(", ", fixture.Outbound.Sent)}");
        Assert.True(fixture.Allowed.Connections == 0 && fixture.Allowed.Requests.Count == 0, $"{name}: the allowed listener was contacted");
        Assert.True(fixture.Other.Connections == 0 && fixture.Other.Requests.Count == 0, $"{name}: the other listener was contacted");
    }
}

/// <summary>In Production plain http is refused even to loopback, and even when the https form of the URL is allowlisted.</summary>
public sealed class ProductionSsrfTests
{
    [TestedAttack("Plain-http fhirServer in Production", "412; no connection made")]
    [Fact]
    public async Task GivenProductionAndPlainHttpFhirServer_WhenDataMustBeFetched_Then412AndNoConnection()
    {
        await using var listener = await LoopbackHttpServer.StartAsync();
        listener.Handler = FhirAnswers.Minimal;
        var outbound = new OutboundRequestCounter();
        await using var app = new CdsApiFactory(
            environment: "Production",
            settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:FhirServers:1"] = $"https://127.0.0.1:{listener.Port}/fhir" },
            configureServices: outbound.Install);
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(
            HookRequests.PatientViewService, HookRequests.FetchFrom(listener.FhirBase.AbsoluteUri, HookRequests.NewAccessToken()));

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Empty(outbound.Sent);
        Assert.Equal(0, listener.Connections);
        var refused = Assert.Single(app.Logs.Named("FhirServerRefused"));
        Assert.Equal("PlainHttpNotAllowed", CollectingSink.Property(refused, "Verdict"));
    }
}
