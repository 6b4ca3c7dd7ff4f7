using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace CdsService.IntegrationTests.Smart;

/// <summary>
/// A real SMART App Launch 2.x EHR launch in Debian's Chromium (Playwright): the launch URL with iss and launch →
/// fhirclient's discovery (the sandbox's .well-known/smart-configuration) → authorize at the oidc-provider server
/// (consent auto-approved) → code + PKCE → token → the app reads FHIR from the sandbox, which verifies the JWT access
/// token against the server's JWKS and the patient scope, then posts what it read to the service, which renders the
/// engine's work-up. Negative launches (wrong state, no PKCE verifier, a token for another patient, an expired token)
/// must show no patient data and a clear message. Skipped with the reason where Chromium or Node is missing.
/// </summary>
[Collection(SmartLaunchCollection.Name)]
public sealed class SmartLaunchTests(SmartLaunchFixture fixture)
{
    /// <summary>A man who wants children with secondary hypogonadism (fhir-profiles/examples/scenarios.json).</summary>
    public const string Patient = "secondary-desired";

    /// <summary>Another example patient, for the wrong-patient token.</summary>
    private const string OtherPatient = "eugonadal";

    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task GivenAnEhrLaunch_WhenTheClinicianOpensTheApp_ThenTheChartAndTheCardsClassificationAreShownFromTheEhrsData()
    {
        fixture.Require();
        await using var browser = await LaunchBrowserAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1100 } });
        page.Console += (_, message) => TestContext.Current.TestOutputHelper?.WriteLine($"console {message.Type}: {message.Text}");
        var appContext = """{"hookInstance":"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea","draftOrders":["MedicationRequest/draft-testosterone"]}""";
        var before = await fixture.FhirRequestCountAsync();

        await page.GotoAsync(fixture.LaunchUrl(SmartLaunchFixture.Launch(Patient, appContext)));

        await Assertions.Expect(page.Locator("#status")).ToHaveClassAsync("ok", new() { Timeout = 60_000 });
        Assert.StartsWith(fixture.ServiceUrl + "/smart/app", page.Url, StringComparison.Ordinal);
        var chart = page.Locator("#lab-chart svg");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.True(await chart.Locator(".sample").CountAsync() >= 3, "total T, LH and FSH samples are plotted");
        Assert.True(await chart.Locator("line.threshold").CountAsync() >= 2, "the total T and LH thresholds are drawn");

        // The same classification and recommendation as the card for this patient (its approved golden response).
        var golden = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.Of("fhir-profiles", "examples", "golden", Patient + ".response.json"), TestContext.Current.CancellationToken))!;
        var assessment = golden["extension"]!["org.hypogonadism-cds.assessment"]!;
        Assert.Equal(assessment["classification"]!.GetValue<string>(), await page.Locator("#classification").GetAttributeAsync("data-code"));
        Assert.Equal(assessment["recommendation"]!.GetValue<string>(), await page.Locator("#recommendation").GetAttributeAsync("data-code"));
        await Assertions.Expect(page.Locator("#monitoring-plan li").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#assessment")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#assessment")).ToContainTextAsync("fertility-preserving");
        await Assertions.Expect(page.Locator("#opened-from")).ToContainTextAsync("MedicationRequest/draft-testosterone");
        await Assertions.Expect(page.Locator("#patient-banner")).ToBeVisibleAsync();

        // The data came from the FHIR server with the user's token, and the token stayed in the browser session.
        Assert.True(await fixture.FhirRequestCountAsync() - before >= 6, "the app read the patient's data from the FHIR sandbox");
        var stored = await page.EvaluateAsync<string>("() => JSON.stringify(Object.keys(sessionStorage).map(k => sessionStorage.getItem(k)))");
        Assert.Contains("access_token", stored, StringComparison.Ordinal);

        await SaveScreenshotAsync(page, "smart-workup.png");
    }

    [Fact]
    public async Task GivenARedirectWithAWrongState_WhenTheAppCompletesTheSignIn_ThenNoDataIsShownAndTheMessageSaysToLaunchAgain()
    {
        fixture.Require();
        await using var browser = await LaunchBrowserAsync();
        var page = await browser.NewPageAsync();
        var redirect = await CaptureRedirectAsync(page, fixture.LaunchUrl(SmartLaunchFixture.Launch(Patient)));
        var wrongState = System.Text.RegularExpressions.Regex.Replace(redirect, "state=[^&]+", "state=not-the-state-we-sent");

        await page.GotoAsync(wrongState);

        await AssertRefusedAsync(page, "sign-in could not be completed");
    }

    [Fact]
    public async Task GivenTheStoredPkceVerifierIsGone_WhenTheCodeIsExchanged_ThenTheServerRefusesItAndNoDataIsShown()
    {
        fixture.Require();
        await using var browser = await LaunchBrowserAsync();
        var page = await browser.NewPageAsync();
        var redirect = await CaptureRedirectAsync(page, fixture.LaunchUrl(SmartLaunchFixture.Launch(Patient)));

        // The page is on the app's origin: remove the PKCE verifier from the session's stored state.
        var removed = await page.EvaluateAsync<int>("""
            () => { let n = 0; for (const k of Object.keys(sessionStorage)) { try { const s = JSON.parse(sessionStorage.getItem(k));
              if (s && s.codeVerifier) { delete s.codeVerifier; sessionStorage.setItem(k, JSON.stringify(s)); n++; } } catch {} } return n; }
            """);
        Assert.Equal(1, removed);

        var tokenEndpoint = fixture.AuthServer!.AbsoluteUri.TrimEnd('/') + "/token";
        var tokenResponse = page.WaitForResponseAsync(r => r.Url.StartsWith(tokenEndpoint, StringComparison.Ordinal), new() { Timeout = 60_000 });
        await page.GotoAsync(redirect);

        // The authorization server itself refused the code without its verifier (PKCE, RFC 7636 §4.6).
        var refused = await tokenResponse;
        Assert.Equal(400, refused.Status);
        Assert.Contains("invalid_grant", await refused.TextAsync(), StringComparison.Ordinal);
        await AssertRefusedAsync(page, "sign-in could not be completed");
    }

    [Fact]
    public async Task GivenATokenForAnotherPatient_WhenTheAppReadsThisPatient_ThenTheFhirServerRefusesAndNoDataIsShown()
    {
        fixture.Require();
        await using var browser = await LaunchBrowserAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.LaunchUrl(SmartLaunchFixture.Launch(Patient)));
        await Assertions.Expect(page.Locator("#status")).ToHaveClassAsync("ok", new() { Timeout = 60_000 });

        // The session now says "another patient" while the token was issued for this one.
        await EditTokenResponseAsync(page, $"t.patient = '{OtherPatient}';");
        await page.GotoAsync(fixture.ServiceUrl + "/smart/app");

        await AssertRefusedAsync(page, "does not allow this sign-in to read this patient");
    }

    [Fact]
    public async Task GivenAnExpiredAccessToken_WhenTheAppReadsTheRecord_ThenTheFhirServerRefusesItAndNoDataIsShown()
    {
        fixture.Require();
        await using var browser = await LaunchBrowserAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(fixture.LaunchUrl(SmartLaunchFixture.Launch(Patient)));
        await Assertions.Expect(page.Locator("#status")).ToHaveClassAsync("ok", new() { Timeout = 60_000 });

        // Signed by the authorization server's key, for this patient, but expired an hour ago.
        var now = TimeProvider.System.GetUtcNow(); // the sandbox checks exp against its real clock
        var expired = fixture.MintAccessToken(Patient, now.AddHours(-2), now.AddHours(-1));
        await EditTokenResponseAsync(page, $"t.access_token = '{expired}';");
        await page.GotoAsync(fixture.ServiceUrl + "/smart/app");

        await AssertRefusedAsync(page, "expired or is not valid");
    }

    private static async Task AssertRefusedAsync(IPage page, string message)
    {
        var status = page.Locator("#status");
        await Assertions.Expect(status).ToHaveClassAsync("error", new() { Timeout = 60_000 });
        await Assertions.Expect(status).ToContainTextAsync(message);
        await Assertions.Expect(status).ToContainTextAsync("No patient data is shown.");
        Assert.Equal(string.Empty, (await page.Locator("#workup").InnerHTMLAsync()).Trim());
    }

    /// <summary>
    /// Follows the launch up to the redirect back to the app and returns that URL (code and state) with the code unused:
    /// the app's token request is aborted in the browser (Playwright cannot intercept the redirect itself), so a test
    /// can replay the redirect after changing what it wants to change.
    /// </summary>
    private async Task<string> CaptureRedirectAsync(IPage page, string launchUrl)
    {
        var tokenEndpoint = fixture.AuthServer!.AbsoluteUri.TrimEnd('/') + "/token";
        await page.RouteAsync(url => url.StartsWith(tokenEndpoint, StringComparison.Ordinal), route => route.AbortAsync());
        var captured = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame && frame.Url.StartsWith(fixture.ServiceUrl + "/smart/app?", StringComparison.Ordinal) && frame.Url.Contains("code=", StringComparison.Ordinal))
            {
                captured.TrySetResult(frame.Url);
            }
        };

        await page.GotoAsync(launchUrl);
        var url = await captured.Task.WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        await Assertions.Expect(page.Locator("#status")).ToHaveClassAsync("error", new() { Timeout = 60_000 });
        await page.UnrouteAllAsync();
        return url;
    }

    private static Task<System.Text.Json.JsonElement?> EditTokenResponseAsync(IPage page, string edit) => page.EvaluateAsync(
        "() => { for (const k of Object.keys(sessionStorage)) { try { const s = JSON.parse(sessionStorage.getItem(k)); " +
        "if (s && s.tokenResponse) { const t = s.tokenResponse; " + edit + " sessionStorage.setItem(k, JSON.stringify(s)); } } catch {} } }");

    internal static async Task<IBrowser> LaunchBrowserAsync()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install chromium; .ci/install-deps does it): Playwright cannot download a browser here.");
        }

        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A test artifact; with CDS_UPDATE_DOCS_SCREENSHOT=1 also docs/images/&lt;name&gt;.</summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        if (Environment.GetEnvironmentVariable("CDS_UPDATE_DOCS_SCREENSHOT") == "1")
        {
            File.Copy(path, RepositoryPaths.Of("docs", "images", name), overwrite: true);
        }
    }
}
