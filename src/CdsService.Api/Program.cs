using CdsService.Api.Clinical;
using CdsService.Api.Configuration;
using CdsService.Api.Errors;
using CdsService.Api.Feedback;
using CdsService.Api.Health;
using CdsService.Api.Hooks;
using CdsService.Api.Logging;
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
    builder.AddFeedbackStore();     // SQLite by default; readiness check
    builder.AddCdsHooks();          // discovery, hook calls, feedback; the hook pipeline
    builder.AddClinicalEngine();    // thresholds (section Clinical, validated) and the assessor
    builder.Services.AddFhirDataLayer(builder.Configuration);   // prefetch/FHIR → snapshot; allowlisted servers only
    // Plain-http FHIR servers only on loopback, and never in Production (issue 6 §No server-side request forgery).
    builder.Services.PostConfigure<FhirDataOptions>(o => o.AllowHttpLoopback = !builder.Environment.IsProduction());
    builder.Services.AddHypogonadismCards(builder.Configuration);
    builder.AddServiceTelemetry();  // OpenTelemetry traces and metrics; no PHI in attributes
    builder.Services.DecoratePatientDataSourceWithTelemetry();
    builder.Services.AddOpenApi();

    var app = builder.Build();
    app.UseCdsRequestLogging();     // outermost: one event per request, with the final status
    app.UseCdsErrors();
    app.UseCors();                  // before authentication: preflight is answered without a token
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapCdsHooks();
    app.MapCdsHealth();
    app.MapRulesDocument();
    app.MapServiceTelemetry();
    app.MapOpenApi().AllowAnonymous();

    await app.RunAsync();
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
