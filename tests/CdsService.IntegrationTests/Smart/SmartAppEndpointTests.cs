using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;

namespace CdsService.IntegrationTests.Smart;

/// <summary>
/// The SMART work-up view's server side, in process (ADR-0010): the card links it adds (validated by the response
/// schema), the launch URL's iss allowlist and headers, and the work-up endpoint's protections — same-origin JSON only,
/// only the page's prefetch keys, the same engine answer as the card, nothing stored and no patient id logged.
/// </summary>
public sealed partial class SmartAppEndpointTests
{
    private const string Patient = "secondary-desired";
    private const string ConfiguredFhir = "https://fhir.test.example/r4";

    [Fact]
    public async Task GivenTheAppIsEnabled_WhenACardIsReturned_ThenEveryCardLinksTheAppAndTheHandoutAndTheSchemaAcceptsThem()
    {
        await using var app = App(enabled: true);
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(ServiceId(), GoldenRequest());
        using var body = await CdsAssert.CdsResponseAsync(response); // schema-validated, links included

        var cards = JsonNode.Parse(body.RootElement.GetRawText())!["cards"]!.AsArray();
        Assert.NotEmpty(cards);
        foreach (var card in cards)
        {
            var links = card!["links"]!.AsArray();
            var smart = Assert.Single(links, l => l!["type"]!.GetValue<string>() == "smart")!;
            Assert.EndsWith("/smart/launch", smart["url"]!.GetValue<string>(), StringComparison.Ordinal);
            var appContext = JsonNode.Parse(smart["appContext"]!.GetValue<string>())!;
            Assert.Equal(GoldenRequest()["hookInstance"]!.GetValue<string>(), appContext["hookInstance"]!.GetValue<string>());
            Assert.Single(links, l => l!["url"]!.GetValue<string>().EndsWith("/handout/low-testosterone", StringComparison.Ordinal) && l["type"]!.GetValue<string>() == "absolute");
        }
    }

    [Fact]
    public async Task GivenTheAppIsNotEnabled_WhenACardIsReturned_ThenItHasNoSmartLinkButStillTheHandout()
    {
        await using var app = App(enabled: false);
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(ServiceId(), GoldenRequest());
        using var body = await CdsAssert.CdsResponseAsync(response);

        var links = JsonNode.Parse(body.RootElement.GetRawText())!["cards"]!.AsArray().SelectMany(c => c!["links"]!.AsArray()).ToList();
        Assert.DoesNotContain(links, l => l!["type"]!.GetValue<string>() == "smart");
        Assert.Contains(links, l => l!["url"]!.GetValue<string>().EndsWith("/handout/low-testosterone", StringComparison.Ordinal));
        using var plain = app.CreateClient();
        using var launch = await plain.GetAsync(new Uri("/smart/launch?iss=" + ConfiguredFhir, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains(launch.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Unauthorized }); // not mapped: the fallback policy answers
    }

    [Fact]
    public void GivenASmartLinkWithoutAppContextTypeRules_WhenValidated_ThenTheSchemaRejectsAppContextOnAnAbsoluteLink() =>
        CdsAssert.Invalid(CdsAssert.Response, """
            {"cards":[{"uuid":"3b0d4a5e-0000-4000-8000-000000000001","summary":"s","indicator":"info","source":{"label":"l"},
              "links":[{"label":"handout","url":"https://cds.example.org/handout/low-testosterone","type":"absolute","appContext":"{}"}]}]}
            """);

    [Theory]
    [InlineData(null, HttpStatusCode.BadRequest)]
    [InlineData("https://evil.example/fhir", HttpStatusCode.BadRequest)]
    [InlineData(ConfiguredFhir, HttpStatusCode.OK)]
    public async Task GivenALaunch_WhenItsIssIsOrIsNotConfigured_ThenOnlyAConfiguredFhirServerStartsTheSignIn(string? iss, HttpStatusCode expected)
    {
        await using var app = App(enabled: true);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/smart/launch" + (iss is null ? string.Empty : "?iss=" + Uri.EscapeDataString(iss) + "&launch=abc"), UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://fhir.test.example", csp, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(expected == HttpStatusCode.OK, html.Contains("/smart/fhir-client.pure.min.js", StringComparison.Ordinal));
        Assert.DoesNotMatch(InlineScript(), html);
    }

    [Fact]
    public async Task GivenThePagesPost_WhenTheWorkupIsAsked_ThenTheEnginesClassificationForThePatientIsRenderedAndNoIdIsLogged()
    {
        await using var app = App(enabled: true);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(WorkupRequest(PagePost()), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.Of("fhir-profiles", "examples", "golden", Patient + ".response.json"), TestContext.Current.CancellationToken))!;
        var classification = golden["extension"]!["org.hypogonadism-cds.assessment"]!["classification"]!.GetValue<string>();
        Assert.Contains($"id=\"classification\" data-code=\"{classification}\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"lab-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"monitoring-plan\"", html, StringComparison.Ordinal);
        var logged = app.Logs.AllText();
        Assert.Contains("SMART work-up assessed", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(Patient, logged, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://other.example", null, "application/json", HttpStatusCode.Forbidden)]
    [InlineData(null, null, "application/json", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", "cross-site", "application/json", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost", "same-origin", "text/plain", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("http://localhost", "same-origin", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType)]
    public async Task GivenAPostThatIsNotThePagesOwn_WhenItArrives_ThenItIsRefusedBeforeAnythingIsRead(string? origin, string? fetchSite, string mediaType, HttpStatusCode expected)
    {
        await using var app = App(enabled: true);
        using var client = app.CreateClient();

        using var response = await client.SendAsync(WorkupRequest(PagePost(), origin, fetchSite, mediaType), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.DoesNotContain("classification", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAPostWithAKeyThePageNeverSends_WhenItArrives_ThenItIsRefused()
    {
        await using var app = App(enabled: true);
        using var client = app.CreateClient();
        var post = PagePost();
        post["prefetch"]!["medicationStatements"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset" };

        using var response = await client.SendAsync(WorkupRequest(post), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task GivenAPostMissingARequiredQuery_WhenItArrives_ThenTheRecordIsNotAssessedAsIfComplete()
    {
        await using var app = App(enabled: true);
        using var client = app.CreateClient();
        var post = PagePost();
        post["prefetch"]!.AsObject().Remove("hormoneLabs");

        using var response = await client.SendAsync(WorkupRequest(post), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("hormoneLabs", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    private static CdsApiFactory App(bool enabled)
    {
        var settings = new Dictionary<string, string?>(GoldenScenarios.TestHostSettings)
        {
            ["SmartApp:Enabled"] = enabled ? "true" : "false",
            ["SmartApp:FhirServers:0"] = ConfiguredFhir,
        };
        return new CdsApiFactory(environment: "Testing", settings: settings);
    }

    private static JsonObject GoldenRequest() =>
        JsonNode.Parse(File.ReadAllText(RepositoryPaths.Of("fhir-profiles", "examples", "golden", Patient + ".request.json")))!.AsObject();

    private static string ServiceId() => GoldenRequest()["hook"]!.GetValue<string>() switch
    {
        "order-sign" => CdsServiceCatalog.OrderSignId,
        "order-select" => CdsServiceCatalog.OrderSelectId,
        _ => CdsServiceCatalog.PatientViewId,
    };

    /// <summary>What the app page posts: the patient id and the prefetch keys of the types its scopes grant.</summary>
    private static JsonObject PagePost()
    {
        var prefetch = GoldenRequest()["prefetch"]!.AsObject().DeepClone().AsObject();
        prefetch.Remove("medicationStatements");
        prefetch.Remove("familyHistory");
        return new JsonObject { ["patientId"] = Patient, ["appContext"] = null, ["prefetch"] = prefetch };
    }

    private static HttpRequestMessage WorkupRequest(JsonObject body, string? origin = "http://localhost", string? fetchSite = "same-origin", string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/smart/api/workup", UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>")]
    private static partial Regex InlineScript();
}
