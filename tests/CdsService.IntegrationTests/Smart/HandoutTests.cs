using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CdsService.IntegrationTests.Smart;

/// <summary>
/// The patient handout as served: English and Spanish pages, no script and no third-party origin, and printed by
/// Chromium to a PDF of one or two pages on Letter and on A4.
/// </summary>
public sealed partial class HandoutTests
{
    [Theory]
    [InlineData("/handout/low-testosterone", "en", "Low testosterone: replacement or a fertility-preserving medicine?")]
    [InlineData("/handout/low-testosterone/es", "es", "Testosterona baja")]
    public async Task GivenALanguage_WhenTheHandoutIsOpened_ThenItIsServedWithoutLoginScriptOrThirdPartyOrigin(string path, string language, string title)
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<html lang=\"{language}\">", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(title), html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenALanguageWithoutAHandout_WhenItIsAsked_ThenTheAnswerIs404()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/handout/low-testosterone/fr", UriKind.Relative), TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("/handout/low-testosterone", "Letter")]
    [InlineData("/handout/low-testosterone", "A4")]
    [InlineData("/handout/low-testosterone/es", "Letter")]
    [InlineData("/handout/low-testosterone/es", "A4")]
    public async Task GivenTheHandout_WhenChromiumPrintsIt_ThenThePdfHasOneOrTwoPages(string path, string format)
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0" });
        app.UseKestrel();
        app.StartServer();
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        await using var browser = await SmartLaunchTests.LaunchBrowserAsync();
        var page = await browser.NewPageAsync();

        await page.GotoAsync(baseUrl + path);
        var pdf = await page.PdfAsync(new PagePdfOptions { Format = format, PrintBackground = false });

        var pages = PdfPage().Count(Encoding.Latin1.GetString(pdf));
        Assert.InRange(pages, 1, 2);
        var folder = Path.Combine(AppContext.BaseDirectory, "browser-artifacts");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, $"handout{path.Replace('/', '-')}-{format}.pdf"), pdf, TestContext.Current.CancellationToken);
    }

    // Any URL to another origin in an attribute or style (the page may only use itself).
    [GeneratedRegex("(src|href)=\"(https?:)?//|url\\(")]
    private static partial Regex ExternalReference();

    // A page object in the PDF (not the /Pages tree node).
    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PdfPage();
}
