using CdsService.Api.Feedback;
using CdsService.Api.Logging;

// Bootstrap logger: a failure before the host's own logging is built (bad configuration) is still reported.
Serilog.Log.Logger = LoggingExtensions.CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    AddCdsService(builder);     // every service, in Program.Composition.cs
    var app = builder.Build();
    UseCdsService(app);         // middleware in its order, then the endpoints

    // The feedback store is migrated while the host already listens (cold start, docs/performance.md). If that failed,
    // it stopped the host, and the process must end as a failed start does: the fatal log below and a non-zero exit code.
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
