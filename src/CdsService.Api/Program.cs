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
using CdsService.Api.Telemetry;
using CdsService.Fhir.Data;

// Bootstrap logger: a failure before the host's own logging is built (bad configuration) is still reported.
Serilog.Log.Logger = LoggingExtensions.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddCdsLogging();        // Serilog; one event catalogue; no PHI, no tokens
    builder.AddCdsConfiguration();  // CdsHooks:* bound and validated at start
    builder.AddCdsErrors();         // OperationOutcome on /cds-services, ProblemDetails elsewhere
    builder.AddClientTrust();       // client JWT per spec §Trusting CDS Clients; CORS
    builder.AddFeedbackStore();     // PostgreSQL when ConnectionStrings:Feedback is set, else SQLite; readiness check
    builder.AddAdminApi();          // /admin/*: its own admin client and JWT scheme, never a CDS client token
    builder.AddCdsHooks();          // discovery, hook calls, feedback; the hook pipeline
    builder.Services.RecordIssuedCards();   // card uuid → card type for the feedback summary; after AddCdsHooks
    builder.AddCdsAudit();          // one audit event per hook call (category CdsService.Audit); after AddCdsHooks
    builder.AddCdsRateLimiting();   // per-client token bucket and concurrency cap → 429 (CdsHooks:RateLimit)
    builder.AddClinicalEngine();    // thresholds (section Clinical, validated) and the assessor
    builder.Services.AddFhirDataLayer(builder.Configuration);   // prefetch/FHIR → snapshot; allowlisted servers only
    builder.Services.AddHostedService<CdsService.Fhir.Terminology.TerminologyWarmup>();   // issue 8: terminology + FHIR model loaded at start, not in the first call
    // Plain-http FHIR servers only on loopback, and never in Production (issue 6 §No server-side request forgery).
    builder.Services.PostConfigure<FhirDataOptions>(o => o.AllowHttpLoopback = !builder.Environment.IsProduction());
    builder.Services.AddHypogonadismCards(builder.Configuration);
    builder.AddServiceTelemetry();  // OpenTelemetry traces and metrics; no PHI in attributes
    builder.Services.DecoratePatientDataSourceWithTelemetry();
    builder.AddPreview();           // Development (or CdsHooks:Preview:Enabled): preview page with its own dev-only key
    builder.Services.AddOpenApi();

    var app = builder.Build();
    app.UseCdsRequestLogging();     // outermost: one event per request, with the final status
    app.UseCdsErrors();
    app.UseCors();                  // before authentication: preflight is answered without a token
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseCdsAudit();              // after authorization: only identified callers are audited
    app.UseCdsRateLimiting();       // partitioned by the authenticated client; after audit, so a 429 is audited

    app.MapCdsHooks();
    app.MapCdsHealth();
    app.MapAdminApi();
    app.MapRulesDocument();
    app.MapServiceTelemetry();
    app.MapPreview();
    app.MapOpenApi().AllowAnonymous();

    // The feedback store is migrated while the host already listens (issue 8, cold start). If that failed, it stopped
    // the host, and the process must end as a failed start does: the fatal log below and a non-zero exit code.
    var feedbackStoreInitializer = FeedbackStoreInitializer.From(app.Services);
    await app.RunAsync();
    feedbackStoreInitializer.ThrowIfFailed();
}
catch (Exception ex) when (ex is not HostAbortedException)
{
    Serilog.Log.Fatal(ex, "The CDS service failed to start or stopped unexpectedly");
    throw;
}
finally
{
    await Serilog.Log.CloseAndFlushAsync();
}

public partial class Program;
