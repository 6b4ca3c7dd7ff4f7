using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CdsService.Api.Handout;
using CdsService.Api.Logging;
using CdsService.Cards;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;
using Microsoft.AspNetCore.Cors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Smart;

/// <summary>
/// The SMART on FHIR work-up view (ADR-0010) and the patient handout. <c>builder.AddSmartApp()</c> binds section
/// <c>SmartApp</c> and, when enabled, makes the cards link to the app; <c>app.MapSmartAppAndHandout()</c> maps the
/// handout always and the app's routes only when enabled:
/// <list type="bullet">
/// <item><c>GET /smart/launch</c>: the launch URL the EHR opens with <c>iss</c> and <c>launch</c>; fhirclient starts
/// the authorization code flow with PKCE (SMART App Launch 2.x).</item>
/// <item><c>GET /smart/app</c>: the redirect URI; fhirclient completes the flow and reads FHIR with the user's token.</item>
/// <item><c>POST /smart/api/workup</c>: what the page read, in; the engine's work-up as HTML, out. Same-origin only,
/// JSON only, bounded, nothing stored or logged but codes and counts; it never calls anything (not a proxy).</item>
/// </list>
/// </summary>
public static partial class SmartAppExtensions
{
    public const string LaunchPath = "/smart/launch";
    public const string AppPath = "/smart/app";
    public const string WorkupApiPath = "/smart/api/workup";
    public const string FhirClientScriptPath = "/smart/fhir-client.pure.min.js";
    public const string WorkupScriptPath = "/smart/workup.js";

    /// <summary>The resource types the app's scopes grant: the prefetch queries of other types are not read.</summary>
    private static readonly string[] ReadableTypes = ["Patient", "Observation", "Condition", "MedicationRequest"];

    private static readonly CallerTrust AppCaller = new("smart-workup-app", null, []);

    public static IHostApplicationBuilder AddSmartApp(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<SmartAppOptions>()
            .BindConfiguration(SmartAppOptions.SectionName)
            .Validate(o => !o.Enabled || o.FhirServers.Count > 0, "SmartApp:FhirServers must name at least one FHIR base URL when SmartApp:Enabled is true.")
            .Validate(o => !o.Enabled || o.FhirServers.Concat(o.ConnectOrigins).All(u => IsAllowedOrigin(u, production)),
                "SmartApp:FhirServers and SmartApp:ConnectOrigins must be absolute https URLs (http only on loopback outside Production).")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.ClientId), "SmartApp:ClientId is required when SmartApp:Enabled is true.")
            .ValidateOnStart();
        // CDS Hooks 2.0 §Link: cards link to the app (type "smart") only when it is served. Read from the bound options,
        // not the builder's configuration, so sources a host adds later (a test host) count too.
        builder.Services.AddOptions<CardComposerOptions>().PostConfigure<IOptions<SmartAppOptions>>((cards, smart) =>
        {
            if (smart.Value.Enabled)
            {
                cards.SmartLaunchPath = LaunchPath;
            }
        });

        return builder;
    }

    public static IEndpointRouteBuilder MapSmartAppAndHandout(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPatientHandout();
        var options = app.ServiceProvider.GetRequiredService<IOptions<SmartAppOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        Log.SmartAppEnabled(app.ServiceProvider.GetRequiredService<ILogger<SmartAppOptions>>(), options.ClientId, options.FhirServers.Count);
        app.MapGet(LaunchPath, Launch).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(AppPath, AppPage).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(FhirClientScriptPath, () => Script("fhir-client.pure.min.js")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(WorkupScriptPath, () => Script("workup.js")).AllowAnonymous().ExcludeFromDescription();
        // No CORS: a cross-origin page can neither send this JSON POST (preflight refused) nor read the answer.
        app.MapPost(WorkupApiPath, PostWorkupAsync).AllowAnonymous().WithMetadata(new DisableCorsAttribute()).ExcludeFromDescription();
        return app;
    }

    private static ContentHttpResultWithStatus Launch(string? iss, HttpContext context, IOptions<SmartAppOptions> options, ILogger<SmartAppOptions> logger)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(iss))
        {
            Log.SmartLaunchRefused(logger, "no iss");
            return Page(context, o, "launch", null, "Open this app from the EHR (the launch URL needs iss and launch), or for a standalone test open /smart/launch?iss=<FHIR base URL>.", StatusCodes.Status400BadRequest);
        }

        if (!o.FhirServers.Any(s => SameBase(s, iss)))
        {
            // Only configured FHIR servers: the app never starts a sign-in with (or sends a token to) another server.
            Log.SmartLaunchRefused(logger, "iss not configured");
            return Page(context, o, "launch", null, "This FHIR server is not configured for the app (SmartApp:FhirServers).", StatusCodes.Status400BadRequest);
        }

        return Page(context, o, "launch", null, null);
    }

    private static ContentHttpResultWithStatus AppPage(HttpContext context, IOptions<SmartAppOptions> options)
    {
        var queries = new JsonArray([.. PrefetchCatalog.All
            .Where(q => ReadableTypes.Contains(q.ResourceType))
            .Select(q => (JsonNode)new JsonObject { ["key"] = q.Key, ["resourceType"] = q.ResourceType, ["query"] = q.QueryTemplate })]);
        return Page(context, options.Value, "app", queries.ToJsonString(), null);
    }

    private static ContentHttpResultWithStatus Page(HttpContext context, SmartAppOptions options, string page, string? queries, string? notice, int status = StatusCodes.Status200OK)
    {
        var headers = context.Response.Headers;
        var connect = string.Join(' ', options.FhirServers.Concat(options.ConnectOrigins).Select(Origin).Distinct(StringComparer.Ordinal));
        // Scripts from this origin only (no inline script, no third party); the browser may talk to this service and the
        // configured FHIR and authorization servers only. No frame-ancestors: EHRs embed SMART apps in their own frames.
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self' {connect}; form-action 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        // The redirect URI carries the authorization code and state: never send it to another site as a Referer.
        headers["Referrer-Policy"] = "no-referrer";
        return new ContentHttpResultWithStatus(WorkupView.Shell(page, options, queries, notice), status);
    }

    private static FileStreamHttpResult Script(string name)
    {
        var stream = typeof(SmartAppExtensions).Assembly.GetManifestResourceStream("CdsService.Api.Smart.Assets." + name)
            ?? throw new InvalidOperationException($"Embedded asset {name} is missing.");
        return TypedResults.Stream(stream, "text/javascript; charset=utf-8");
    }

    /// <summary>
    /// The work-up: the posted resources are read as a patient-view prefetch by the CDS request reader and the FHIR
    /// layer (<see cref="IPatientDataSource"/>, which maps them with the cards' mapper), assessed by the cards' engine,
    /// and rendered. No fhirServer is given and the caller allowlists none, so nothing is ever fetched from here.
    /// </summary>
    internal static async Task<IResult> PostWorkupAsync(
        HttpContext context,
        IOptions<SmartAppOptions> options,
        IPatientDataSource dataSource,
        HypogonadismAssessor assessor,
        CardComposer composer,
        ILogger<SmartAppOptions> logger,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        if (!IsSameOrigin(request))
        {
            return Refuse(logger, StatusCodes.Status403Forbidden, "not same-origin");
        }

        if (request.ContentType is null || !request.ContentType.StartsWith(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase))
        {
            return Refuse(logger, StatusCodes.Status415UnsupportedMediaType, "not JSON");
        }

        var max = options.Value.MaxBodyBytes;
        if (request.ContentLength > max)
        {
            return Refuse(logger, StatusCodes.Status413PayloadTooLarge, "body too large");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        JsonDocument posted;
        try
        {
            posted = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException)
        {
            return Refuse(logger, ex is BadHttpRequestException { StatusCode: 413 } ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest, "unreadable body");
        }

        using (posted)
        {
            var root = posted.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("patientId", out var patientIdElement) || patientIdElement.ValueKind != JsonValueKind.String
                || !FhirId().IsMatch(patientIdElement.GetString()!)
                || !root.TryGetProperty("prefetch", out var prefetch) || prefetch.ValueKind != JsonValueKind.Object
                || prefetch.EnumerateObject().Any(p => !ReadableKeys.Contains(p.Name)))
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, "not the page's work-up request");
            }

            string? appContext = root.TryGetProperty("appContext", out var ac) && ac.ValueKind == JsonValueKind.String && ac.GetString()!.Length <= 4096 ? ac.GetString() : null;
            var patientId = patientIdElement.GetString()!;
            using var hookRequest = HookRequestJson(patientId, prefetch);
            var read = HookRequestReader.Read(hookRequest.RootElement, PatientViewService, PrefetchCatalog.All);
            if (!read.IsValid)
            {
                return Refuse(logger, StatusCodes.Status400BadRequest, "not a readable prefetch");
            }

            var data = await dataSource.LoadAsync(read.Request!, AppCaller, [], cancellationToken);
            if (data.Snapshot is not { } snapshot)
            {
                Log.SmartWorkupRefused(logger, StatusCodes.Status422UnprocessableEntity, data.FailureKind?.ToString() ?? "no snapshot");
                return Html($"<p class=\"notice\" role=\"alert\">The record could not be assessed: {System.Net.WebUtility.HtmlEncode(data.FailureMessage ?? "incomplete data")}</p>", StatusCodes.Status422UnprocessableEntity);
            }

            var assessment = assessor.Assess(snapshot);
            var cards = composer.Compose(new CardRequest
            {
                Hook = HookKind.PatientView,
                HookInstance = read.Request!.HookInstance,
                PatientId = patientId,
                Assessment = assessment,
                Snapshot = snapshot,
                RequestBaseUrl = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}"),
            });
            var patient = prefetch.TryGetProperty(PrefetchCatalog.PatientKey, out var p) ? p : (JsonElement?)null;
            var hormoneLabs = prefetch.TryGetProperty(PrefetchCatalog.HormoneLabsKey, out var labs) ? JsonNode.Parse(labs.GetRawText()) : null;
            Log.SmartWorkupAssessed(logger, CountResources(prefetch), assessment.Classification.ToCode(), assessment.Recommendation.ToCode());
            return Html(WorkupView.Fragment(assessment, snapshot, cards, patient, hormoneLabs, appContext, assessor.Thresholds), StatusCodes.Status200OK);
        }
    }

    private static readonly HashSet<string> ReadableKeys =
        [.. PrefetchCatalog.All.Where(q => ReadableTypes.Contains(q.ResourceType)).Select(q => q.Key)];

    private static readonly CdsServiceDefinition PatientViewService =
        CdsServiceCatalog.TryGet(CdsServiceCatalog.PatientViewId, out var service) ? service : throw new InvalidOperationException("No patient-view service.");

    /// <summary>A CDS Hooks patient-view request around the posted prefetch: the same reader and mapper as a hook call.</summary>
    private static JsonDocument HookRequestJson(string patientId, JsonElement prefetch)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("hook", HookKind.PatientView.ToCode());
            writer.WriteString("hookInstance", Guid.NewGuid().ToString());
            writer.WriteStartObject("context");
            writer.WriteString("patientId", patientId);
            writer.WriteEndObject();
            writer.WritePropertyName("prefetch");
            prefetch.WriteTo(writer);
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.ToArray());
    }

    private static int CountResources(JsonElement prefetch) => prefetch.EnumerateObject().Sum(p =>
        p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("entry", out var e) && e.ValueKind == JsonValueKind.Array ? e.GetArrayLength() : 1);

    /// <summary>
    /// Only the app's own page may post: the browser's Origin must be this service's, and Fetch Metadata (where sent)
    /// must say same-origin. A form on another site cannot send JSON, and a script there gets no CORS grant.
    /// </summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return origin.Length > 0
            && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            && (site.Length == 0 || site == "same-origin");
    }

    private static ContentHttpResultWithStatus Refuse(ILogger logger, int status, string reason)
    {
        Log.SmartWorkupRefused(logger, status, reason);
        return Html($"<p class=\"notice\" role=\"alert\">Request refused ({reason}).</p>", status);
    }

    private static ContentHttpResultWithStatus Html(string html, int status) => new(html, status, noStore: true);

    private static bool SameBase(string configured, string iss) =>
        string.Equals(configured.TrimEnd('/'), iss.TrimEnd('/'), StringComparison.Ordinal);

    private static string Origin(string url) => new Uri(url, UriKind.Absolute).GetLeftPart(UriPartial.Authority);

    private static bool IsAllowedOrigin(string url, bool production) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (!production && uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    [GeneratedRegex("^[A-Za-z0-9\\-.]{1,64}$")]
    private static partial Regex FhirId();

    /// <summary>HTML with a status code (and no-store for PHI-bearing answers).</summary>
    private sealed class ContentHttpResultWithStatus(string html, int status, bool noStore = false) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = MediaTypeNames.Text.Html + "; charset=utf-8";
            if (noStore)
            {
                httpContext.Response.Headers.CacheControl = "no-store";
                httpContext.Response.Headers.XContentTypeOptions = "nosniff";
            }

            await httpContext.Response.WriteAsync(html, Encoding.UTF8, httpContext.RequestAborted);
        }
    }
}
