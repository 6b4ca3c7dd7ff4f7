using CdsService.Api.Logging;
using CdsService.Clinical.Hypogonadism;
using Markdig;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Clinical;

/// <summary>
/// The clinical engine and the document that explains it. Thresholds come from configuration section
/// <c>Clinical</c> (defaults are the thresholds of docs/clinical/hypogonadism-rules.md) and a nonsensical value stops start-up: a silently wrong
/// threshold would misclassify every patient.
/// </summary>
public static class ClinicalExtensions
{
    /// <summary>Where cards link to (CardComposerOptions.RulesDocumentPath).</summary>
    public const string RulesDocumentPath = "/docs/hypogonadism-rules";

    private static readonly MarkdownPipeline SafeMarkdown = new MarkdownPipelineBuilder()
        .UseAdvancedExtensions()
        .DisableHtml()
        .Build();

    public static IHostApplicationBuilder AddClinicalEngine(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClinicalThresholds>()
            .Bind(builder.Configuration.GetSection(ClinicalThresholds.SectionName))
            .Validate(thresholds => thresholds.Validate().Count == 0, "Clinical thresholds are invalid; see the rules document for each threshold's meaning and unit.")
            .ValidateOnStart();
        builder.Services.AddOptions<PlausibilityLimits>()
            .Bind(builder.Configuration.GetSection(PlausibilityLimits.SectionName))
            .Validate(limits => limits.Validate().Count == 0, "Clinical:Plausibility ranges are invalid; see docs/clinical/plausibility-ranges.md.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
        {
            var thresholds = sp.GetRequiredService<IOptions<ClinicalThresholds>>().Value;
            var assessor = new HypogonadismAssessor(thresholds, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<PlausibilityLimits>>().Value);

            // Which zone "morning" is judged in for UTC timestamps is a site decision an operator must be able to see.
            Log.ClinicalSiteTimeZone(sp.GetRequiredService<ILogger<HypogonadismAssessor>>(),
                thresholds.ResolveSiteTimeZone().Id,
                string.IsNullOrWhiteSpace(thresholds.SiteTimeZone) ? "server zone, Clinical:SiteTimeZone not set" : "Clinical:SiteTimeZone",
                thresholds.DateOnlyCountsAsMorning);
            return assessor;
        });
        return builder;
    }

    /// <summary>
    /// Serves the rules document generated from the thresholds in force. Anonymous on purpose: card links are opened
    /// by clinicians in a browser that has no client JWT, and the document holds rules only, never patient data.
    /// </summary>
    public static IEndpointRouteBuilder MapRulesDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet(RulesDocumentPath, GetRulesDocument)
            .AllowAnonymous()
            .WithName("RulesDocument")
            .WithSummary("The hypogonadism decision rules, thresholds and sources in force (HTML; ?format=markdown for Markdown).");
        return app;
    }

    public static IResult GetRulesDocument(HypogonadismAssessor assessor, string? format)
    {
        ArgumentNullException.ThrowIfNull(assessor);
        var markdown = RulesDocument.Render(assessor.Thresholds);
        if (string.Equals(format, "markdown", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Text(markdown, "text/markdown; charset=utf-8");
        }

        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Hypogonadism CDS rules {{System.Net.WebUtility.HtmlEncode(assessor.EffectiveRulesVersion)}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}</style>
            </head><body>
            {{Markdown.ToHtml(markdown, SafeMarkdown)}}
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
