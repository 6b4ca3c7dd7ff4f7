using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CdsService.IntegrationTests.Browser;

/// <summary>
/// The preview page in a real browser (docs/integration/preview-and-cli.md): Debian's Chromium driven by Playwright against the app on a real
/// loopback port, so the page's server-side call to <c>POST /cds-services/{id}</c> goes through Kestrel, the JWT
/// pipeline and the hook pipeline exactly as an EHR's does. Playwright cannot download browsers here; the test is
/// skipped (with the reason) where <c>/usr/bin/chromium</c> is absent (.ci/install-deps installs it).
/// </summary>
public sealed class PreviewBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>A man who wants children, with testosterone drafted (fhir-profiles/examples/scenarios.json).</summary>
    private const string WantsChildrenScenario = "secondary-desired";

    [Fact]
    public async Task GivenAManWhoWantsChildren_WhenTestosteroneIsDraftedInThePreview_ThenTheCriticalCardItsSuggestionAndTheChartAreShown()
    {
        await using var app = StartOnLoopback();
        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

        await page.GotoAsync(BaseUrl(app) + "/");
        await page.SelectOptionAsync("#example", WantsChildrenScenario);
        await page.SelectOptionAsync("#hook", "order-sign");
        await page.SelectOptionAsync("#order", "testosterone-cypionate");
        await page.ClickAsync("#run");

        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("200");
        var critical = page.Locator("article.card-critical");
        await Assertions.Expect(critical.First).ToBeVisibleAsync();
        await Assertions.Expect(critical.First.Locator(".summary")).ToContainTextAsync("sperm", new() { IgnoreCase = true });
        var suggestion = critical.First.Locator("button.suggestion-button");
        await Assertions.Expect(suggestion.First).ToBeVisibleAsync();
        await Assertions.Expect(suggestion.First).ToContainTextAsync("clomiphene", new() { IgnoreCase = true });

        var chart = page.Locator("#lab-chart svg");
        await Assertions.Expect(chart).ToBeVisibleAsync();
        Assert.True(await chart.Locator(".sample").CountAsync() >= 3, "total T, LH and FSH samples are plotted");
        Assert.True(await chart.Locator("line.threshold").CountAsync() >= 2, "the total T and LH thresholds are drawn");
        await Assertions.Expect(page.Locator("#assessment")).ToContainTextAsync("fertility-preserving");

        await SaveScreenshotAsync(page, "preview-" + WantsChildrenScenario + ".png");
    }

    [Fact]
    public async Task GivenTheRealPipeline_WhenAPatientViewExampleIsPreviewed_ThenThePageRendersWhateverTheServiceAnswered()
    {
        await using var app = StartOnLoopback();
        await using var browser = await LaunchAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(BaseUrl(app) + "/preview?example=eugonadal");

        // 200 with cards (or an empty list, rendered as such), never an error page: the call went through.
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("200");
        Assert.True(await page.Locator("article.card").CountAsync() > 0 || await page.Locator("#no-cards").CountAsync() == 1);
        await Assertions.Expect(page.Locator("#lab-chart svg")).ToBeVisibleAsync();
        Assert.Empty(await page.Locator("script").AllAsync());
    }

    private static CdsApiFactory StartOnLoopback()
    {
        var app = new CdsApiFactory(
            environment: "Development",
            settings: new Dictionary<string, string?>
            {
                // A free loopback port, not appsettings.Development.json's 5080 (another run may hold it).
                ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
            });
        app.UseKestrel();
        app.StartServer();
        return app;
    }

    private static string BaseUrl(CdsApiFactory app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    private static async Task<IBrowser> LaunchAsync()
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

    /// <summary>
    /// Saves the page as a test artifact (browser-artifacts/ under the test output). With CDS_UPDATE_DOCS_SCREENSHOT=1
    /// it also refreshes docs/images/preview.png, the README's screenshot.
    /// </summary>
    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        TestContext.Current.AddAttachment(name, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), "image/png");
        if (Environment.GetEnvironmentVariable("CDS_UPDATE_DOCS_SCREENSHOT") == "1")
        {
            File.Copy(path, RepositoryPaths.Of("docs", "images", "preview.png"), overwrite: true);
        }
    }
}
