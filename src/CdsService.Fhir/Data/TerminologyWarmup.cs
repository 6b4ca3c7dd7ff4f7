using CdsService.Fhir.Terminology;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CdsService.Fhir.Data;

/// <summary>
/// Loads the terminology catalog, and with it Firely's R4 model (the ValueSets are parsed with Firely), at start, on a
/// background thread, instead of inside the first hook call: cold start, they were about half of the first
/// order-sign's work, ~0.4 s on the 2-core machine (docs/performance.md §What was changed, and why). Start-up does not wait for it: the host keeps
/// starting on the other core, and a call that arrives first simply waits for the same one-time load (it is lazily
/// initialised once). A failure here is not swallowed: the catalog is loaded again by the first call that needs it,
/// which then fails as loudly as before.
/// </summary>
public sealed class TerminologyWarmup(ILogger<TerminologyWarmup> logger, TimeProvider timeProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(Warm, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Warm()
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            // Firely's System.Text.Json converters are no longer warmed: no hook call uses them since FHIR-server
            // answers are read as JSON like prefetch (ADR-0006).
            _ = TerminologyCatalog.Default;
            FhirLog.TerminologyWarmedUp(logger, timeProvider.GetElapsedTime(started).TotalMilliseconds);
        }
#pragma warning disable CA1031 // Best effort: the first hook call loads (and reports) the same things itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FhirLog.TerminologyWarmUpFailed(logger, ex.GetType().Name);
        }
    }
}
