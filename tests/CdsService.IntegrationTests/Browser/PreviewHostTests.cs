using System.Net;
using CdsService.Api.Preview;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Browser;

/// <summary>When the preview exists at all, and how it renders untrusted card content (docs/integration/preview-and-cli.md; card text is untrusted input, docs/security.md §7).</summary>
public sealed class PreviewHostTests
{
    [Fact]
    public void GivenProduction_WhenThePreviewIsEnabled_ThenTheServiceRefusesToStart()
    {
        using var app = new CdsApiFactory(environment: "Production", settings: new Dictionary<string, string?> { ["CdsHooks:Preview:Enabled"] = "true" });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("CdsHooks:Preview:Enabled", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenProduction_WhenNothingIsConfigured_ThenThereIsNoPreviewAndNoPreviewKey()
    {
        await using var app = new CdsApiFactory(environment: "Production");

        using var response = await app.CreateAnonymousClient().GetAsync(new Uri("/preview", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(app.Services.GetService<PreviewSigningKey>());
    }

    [Fact]
    public async Task GivenDevelopment_WhenThePageIsOpenedWithoutAToken_ThenThePickerIsServedWithAStrictContentSecurityPolicy()
    {
        await using var app = new CdsApiFactory(environment: "Development");

        using var response = await app.CreateAnonymousClient().GetAsync(new Uri("/preview", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("secondary-desired", html, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GivenDevelopment_WhenAnUnknownExampleIsAsked_Then404AndNoFileIsRead()
    {
        await using var app = new CdsApiFactory(environment: "Development");

        using var response = await app.CreateAnonymousClient().GetAsync(new Uri("/preview?example=..%2F..%2Fappsettings", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img")]
    [InlineData("[click](javascript:alert(1))", "href=\"#\"")]
    [InlineData("![x](https://tracker.example/p.png)", "<a href=\"https://tracker.example/p.png\"")]
    [InlineData("text {onclick=alert(1)}", "{onclick=alert(1)}")]
    public void GivenHostileMarkdown_WhenRendered_ThenNoActiveContentSurvives(string markdown, string expected)
    {
        var html = SafeMarkdown.ToHtml(markdown);

        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", html.Replace("{onclick=alert(1)}", string.Empty, StringComparison.Ordinal).Replace("&lt;", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" onclick=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenAGfmTable_WhenRendered_ThenItIsAnHtmlTable()
    {
        var html = SafeMarkdown.ToHtml("| Test | Result |\n|---|---|\n| Total testosterone | 210 |\n");

        Assert.Contains("<table>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Total testosterone</td>", html, StringComparison.Ordinal);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten)) : error.Message + " " + (error.InnerException is null ? string.Empty : Flatten(error.InnerException));
}
