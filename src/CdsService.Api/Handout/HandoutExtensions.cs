using System.Net.Mime;
using System.Text;

namespace CdsService.Api.Handout;

/// <summary>
/// Serves the patient handout: <c>GET /handout/low-testosterone</c> (English) and <c>/handout/low-testosterone/es</c>
/// (Spanish). No authentication: the page holds no patient data, so an EHR can open it from a card link
/// (CDS Hooks 2.0 §Link, type "absolute") and a patient portal can link it.
/// </summary>
public static class HandoutExtensions
{
    /// <summary>The English handout's path; the card link's default (<c>CardComposerOptions.HandoutPath</c>).</summary>
    public const string Path = "/handout/low-testosterone";

    public static string PathFor(string language) => language == PatientHandout.English ? Path : $"{Path}/{language}";

    public static IEndpointRouteBuilder MapPatientHandout(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, (HttpContext context) => Page(context, PatientHandout.English)).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(Path + "/{language}", (string language, HttpContext context) => Page(context, language)).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Page(HttpContext context, string language)
    {
        if (PatientHandout.For(language) is not { } handout)
        {
            return TypedResults.NotFound();
        }

        var headers = context.Response.Headers;
        // No script, no third-party origin: the page is text and its own inline style.
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentLanguage = handout.Language;
        // The same text for everyone: cacheable (it carries no patient data).
        headers.CacheControl = "public, max-age=3600";
        return TypedResults.Content(HandoutPage.Render(handout), MediaTypeNames.Text.Html + "; charset=utf-8", Encoding.UTF8);
    }
}
