using System.Net;
using System.Text.Json;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace CdsService.IntegrationTests.Browser;

/// <summary>
/// The local FHIR sandbox answers CORS (deploy/fhir-sandbox/README.md, "CORS"), so a browser app on another origin (the
/// CDS Hooks sandbox UI run locally, a SMART app) can read it directly: a page served from a different loopback port
/// reads <c>metadata</c> and runs a search with an Authorization header (which makes Chromium send a preflight). Debian's
/// Chromium through Playwright, as <see cref="PreviewBrowserTests"/>; skipped with the reason where /usr/bin/chromium is
/// absent. Origins off loopback are refused by default (checked over plain HTTP, no browser needed).
/// </summary>
[Collection(FhirSandboxCollection.Name)]
public sealed class FhirSandboxCorsTests(FhirSandboxFixture sandbox)
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task GivenAPageOnAnotherLoopbackOrigin_WhenItFetchesMetadataAndSearches_ThenTheBrowserLetsItReadBoth(string pageHost)
    {
        var fhirBase = sandbox.RequireBaseUrl().AbsoluteUri.TrimEnd('/');
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install chromium; .ci/install-deps does it): Playwright cannot download a browser here.");
        }

        await using var pageServer = await LoopbackHttpServer.StartAsync();
        pageServer.Handler = context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync("<!doctype html><title>other origin</title><p>page on another origin</p>", context.RequestAborted);
        };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"http://{pageHost}:{pageServer.Port}/");

        // Both fetches run in the page: the browser, not the test, decides whether the answer may be read.
        var result = await page.EvaluateAsync<JsonElement>(
            """
            async (base) => {
              const read = async (url, init) => {
                try {
                  const r = await fetch(url, init);
                  return { status: r.status, body: await r.json() };
                } catch (e) {
                  return { status: 0, error: String(e) };
                }
              };
              const headers = { Accept: 'application/fhir+json', Authorization: 'Bearer browser-test-token' };
              return {
                origin: location.origin,
                metadata: await read(base + '/metadata', { headers: { Accept: 'application/fhir+json' } }),
                search: await read(base + '/Patient?gender=male&_count=2', { headers }),
              };
            }
            """,
            fhirBase);

        Assert.NotEqual(new Uri(fhirBase).GetLeftPart(UriPartial.Authority), result.GetProperty("origin").GetString());
        var metadata = result.GetProperty("metadata");
        Assert.True(metadata.GetProperty("status").GetInt32() == 200, metadata.ToString());
        Assert.Equal("CapabilityStatement", metadata.GetProperty("body").GetProperty("resourceType").GetString());
        var search = result.GetProperty("search");
        Assert.True(search.GetProperty("status").GetInt32() == 200, search.ToString());
        Assert.Equal("searchset", search.GetProperty("body").GetProperty("type").GetString());
        Assert.True(search.GetProperty("body").GetProperty("total").GetInt32() > 0, "the seeded examples include men");
    }

    [Fact]
    public async Task GivenALoopbackOrigin_WhenItPreflights_ThenTheSandboxGrantsItAndEchoesTheHeaders()
    {
        var fhirBase = sandbox.RequireBaseUrl();
        using var request = new HttpRequestMessage(HttpMethod.Options, fhirBase.AbsoluteUri.TrimEnd('/') + "/Patient");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");

        using var response = await sandbox.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("http://localhost:3000", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("GET", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        Assert.Equal("authorization", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Headers")));
    }

    [Fact]
    public async Task GivenAnOriginOffLoopback_WhenItCalls_ThenNoCorsGrantAndItsPreflightIsRefused()
    {
        var fhirBase = sandbox.RequireBaseUrl().AbsoluteUri.TrimEnd('/');
        using var get = new HttpRequestMessage(HttpMethod.Get, fhirBase + "/metadata");
        get.Headers.Add("Origin", "https://evil.example");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, fhirBase + "/metadata");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        using var answer = await sandbox.Http.SendAsync(get, Ct);
        using var refused = await sandbox.Http.SendAsync(preflight, Ct);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
