using CdsService.Api.Configuration;
using CdsService.Api.Errors;
using CdsService.Api.Feedback;
using CdsService.Api.Health;
using CdsService.Api.Hooks;
using CdsService.Api.Logging;
using CdsService.Api.Security;

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
    builder.AddCdsHooks();          // discovery, hook calls, feedback; the hook pipeline seam
    builder.Services.AddOpenApi();

    var app = builder.Build();
    app.UseCdsRequestLogging();     // outermost: one event per request, with the final status
    app.UseCdsErrors();
    app.UseCors();                  // before authentication: preflight is answered without a token
    app.UseAuthentication();
    app.UseAuthorization();

    app.MapCdsHooks();
    app.MapCdsHealth();
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
