using CdsService.Api.Hooks;
using CdsService.Protocol;

namespace CdsService.Api.Audit;

/// <summary>
/// Feeds <see cref="HookAuditRecord"/> from the pipeline seam, the one place that sees the validated request (hook
/// instance, patient) and the outcome (cards or the 412 reason) without the endpoint knowing about auditing.
/// </summary>
public sealed class AuditingHookPipeline(IHookPipeline inner, HookAuditRecord record) : IHookPipeline
{
    public async Task<HookOutcome> RunAsync(HookRequest request, CallerTrust caller, Uri serviceBaseUrl, CancellationToken cancellationToken)
    {
        record.RecordRequest(request);
        var outcome = await inner.RunAsync(request, caller, serviceBaseUrl, cancellationToken);
        record.RecordOutcome(outcome);
        return outcome;
    }
}
