using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CdsService.Fhir.Terminology;

/// <summary>
/// Loads the terminology catalog and Firely's R4 model at start, on a background thread, instead of inside the first
/// hook call (issue 8, cold start: they were about half of the first order-sign's work, ~0.4 s on the 2-core machine).
/// Start-up does not wait for it: the host keeps starting on the other core, and a call that arrives first simply waits
/// for the same one-time load (both are lazily initialised once). A failure here is not swallowed: the catalog is loaded
/// again by the first call that needs it, which then fails as loudly as before.
/// </summary>
public sealed partial class TerminologyWarmup(ILogger<TerminologyWarmup> logger, TimeProvider timeProvider) : IHostedService
{
    public System.Threading.Tasks.Task StartAsync(CancellationToken cancellationToken)
    {
        _ = System.Threading.Tasks.Task.Run(Warm, CancellationToken.None);
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public System.Threading.Tasks.Task StopAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;

    private void Warm()
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            _ = TerminologyCatalog.Default;

            // The Firely model and its System.Text.Json converters: used by the FHIR client and the FHIR-server path of
            // the mapper. A throwaway round trip builds them once.
            var options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);
            _ = JsonSerializer.SerializeToElement(new Patient { Id = "warm-up" }, options);
            WarmedUp(logger, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
#pragma warning disable CA1031 // Best effort: the first hook call loads (and reports) the same things itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            WarmUpFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(4101, LogLevel.Debug, "Terminology and FHIR model loaded at start in {ElapsedMs:0} ms", EventName = "TerminologyWarmedUp")]
    private static partial void WarmedUp(ILogger logger, double elapsedMs);

    [LoggerMessage(4102, LogLevel.Warning, "Terminology warm-up at start failed ({ErrorType}); the first hook call will load it", EventName = "TerminologyWarmUpFailed")]
    private static partial void WarmUpFailed(ILogger logger, string errorType);
}
