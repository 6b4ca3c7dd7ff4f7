using CdsService.Api.Admin;
using CdsService.Api.Audit;
using CdsService.Api.Clinical;
using CdsService.Api.Configuration;
using CdsService.Api.Errors;
using CdsService.Api.Feedback;
using CdsService.Api.Health;
using CdsService.Api.Hooks;
using CdsService.Api.Logging;
using CdsService.Api.Preview;
using CdsService.Api.RateLimiting;
using CdsService.Api.Security;
using CdsService.Api.Smart;
using CdsService.Api.Telemetry;
using CdsService.Fhir.Data;

/// <summary>
/// The host's composition root: every piece of the service, in one place. Registrations do not depend on their order;
/// the middleware does, and each order-sensitive step says why. It lives on <c>Program</c> (the global namespace) so no
/// feature namespace has to know the others.
/// </summary>
public partial class Program
{
    /// <summary>
    /// The services. A hook call runs through <see cref="HookPipeline"/>, which tells each <see cref="IHookCallObserver"/>
    /// what was asked and what came out: the audit record (<c>AddCdsAudit</c>) and the issued-card map
    /// (<c>AddFeedbackStore</c>). The FHIR layer's data source is wrapped once, for telemetry.
    /// </summary>
    internal static void AddCdsService(WebApplicationBuilder builder)
    {
        builder.AddCdsLogging();        // Serilog; one event catalogue; no PHI, no tokens; one logger per category
        builder.AddCdsConfiguration();  // CdsHooks:* bound and validated at start
        builder.AddCdsErrors();         // OperationOutcome on /cds-services, ProblemDetails elsewhere (ADR-0001)
        builder.AddClientTrust();       // client JWT per spec §Trusting CDS Clients (ADR-0002); CORS
        builder.AddFeedbackStore();     // PostgreSQL when ConnectionStrings:Feedback is set, else SQLite; issued-card map
        builder.AddAdminApi();          // /admin/*: its own admin client and JWT scheme, never a CDS client token
        builder.AddCdsHooks();          // discovery and hook calls; the hook pipeline
        builder.AddCdsAudit();          // one audit event per hook call (category CdsService.Audit)
        builder.AddCdsRateLimiting();   // per-client token bucket and concurrency cap → 429 (CdsHooks:RateLimit)
        builder.AddClinicalEngine();    // thresholds (section Clinical, validated) and the assessor
        builder.Services
            .AddFhirDataLayer(builder.Configuration)        // prefetch/FHIR → snapshot; allowlisted servers only
            .DecoratePatientDataSourceWithTelemetry();      // span and metrics around each patient-data load
        // Terminology and the FHIR model are loaded at start, so the first hook call does not pay for them (cold start,
        // docs/performance.md).
        builder.Services.AddHostedService<TerminologyWarmup>();
        // Plain-http FHIR servers only on loopback, and never in Production (docs/security.md §4, SSRF policy).
        builder.Services.PostConfigure<FhirDataOptions>(o => o.AllowHttpLoopback = !builder.Environment.IsProduction());
        builder.Services.AddHypogonadismCards(builder.Configuration);
        builder.AddServiceTelemetry();  // OpenTelemetry traces and metrics; no PHI in attributes; request metrics outermost
        builder.AddPreview();           // Development (or CdsHooks:Preview:Enabled): preview page with its own dev-only key
        builder.AddSmartApp();          // SmartApp:Enabled: SMART work-up view and its card links (ADR-0010)
        builder.Services.AddOpenApi();
    }

    /// <summary>The middleware, outermost first, then the endpoints.</summary>
    internal static void UseCdsService(WebApplication app)
    {
        // Outermost (after the telemetry middleware, which a startup filter puts first): one event per request, with the
        // status the caller finally got, including the error handler's.
        app.UseCdsRequestLogging();
        // Before everything that can fail: an exception or an empty error status on /cds-services becomes an
        // OperationOutcome (ADR-0001).
        app.UseCdsErrors();
        // Before authentication: a browser's preflight carries no token and must still be answered.
        app.UseCors();
        // Every CDS route needs a trusted client JWT (spec §Trusting CDS Clients, ADR-0002).
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, so only identified callers are audited and an anonymous flood cannot fill the audit
        // trail; before the rate limiter, so a throttled call is audited (docs/security.md §6.2).
        app.UseCdsAudit();
        // After authentication: the partition is the client the token proved (docs/security.md §5).
        app.UseCdsRateLimiting();
        // After the rate limiter: a token id is recorded only for a call let through, so throttled calls cannot fill
        // the replay cache (authentication already refused known ones).
        app.UseReplayProtection();

        app.MapCdsHooks()               // GET /cds-services, POST /cds-services/{id}
            .MapCdsFeedback();          // POST /cds-services/{id}/feedback, on the same authorised group
        app.MapCdsHealth();
        app.MapAdminApi();
        app.MapRulesDocument();
        app.MapServiceTelemetry();
        app.MapPreview();
        app.MapSmartAppAndHandout();    // patient handout always; the SMART work-up view when SmartApp:Enabled
        app.MapOpenApi().AllowAnonymous();
    }
}
