using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CdsService.Api.Preview;

/// <summary>
/// Card <c>detail</c> (GitHub-flavoured Markdown, CDS Hooks 2.0 §Card) to HTML the way a careful EHR renders it.
/// Raw HTML is never passed through (<see cref="MarkdownExtensions.DisableHtml"/>: it is shown as text), only the GFM
/// extensions the cards use are on (pipe tables, strikethrough, autolinks, task lists; not generic attributes,
/// which would let Markdown set arbitrary HTML attributes), link targets other than http(s), mailto and in-page
/// anchors are dropped, and images become links so the page never fetches anything (it works offline). The page's
/// Content-Security-Policy forbids scripts as a second line of defence.
/// </summary>
public static class SafeMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseTaskLists()
        .DisableHtml()
        .Build();

    public static string ToHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return string.Empty;
        }

        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.IsImage = false;
            if (!IsSafeUrl(link.Url))
            {
                link.Url = "#";
            }
        }

        foreach (var autolink in document.Descendants<AutolinkInline>())
        {
            if (!autolink.IsEmail && !IsSafeUrl(autolink.Url))
            {
                autolink.Url = "#";
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>http(s) and mailto absolute URLs, and in-page anchors; nothing else (no javascript:, data:, file:).</summary>
    public static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return false;
        }

        if (url.StartsWith('#'))
        {
            return true;
        }

        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);
    }
}
