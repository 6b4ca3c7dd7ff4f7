using System.Text.Json;
using CdsService.Api.Configuration;
using CdsService.Api.Errors;
using CdsService.Api.Hooks;
using CdsService.Api.Logging;
using CdsService.Api.Security;
using CdsService.Protocol;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Feedback;

/// <summary>
/// CDS Hooks 2.0 §Feedback: what the user did with cards (accepted or overridden), stored for governance. Mapped on the
/// CDS Hooks route group, so it needs the same trusted client JWT as discovery and hook calls.
/// </summary>
public static class FeedbackApi
{
    public static RouteGroupBuilder MapCdsFeedback(this RouteGroupBuilder cdsServices)
    {
        ArgumentNullException.ThrowIfNull(cdsServices);
        cdsServices.MapPost($"/{{{CdsRoutes.ServiceIdParameter}}}/feedback", PostFeedbackAsync)
            .WithCdsRoute(CdsRoutes.FeedbackEndpoint)
            .WithName("Feedback")
            .WithSummary("Record what the user did with cards (accepted or overridden).")
            .Accepts<JsonElement>("application/json");
        return cdsServices;
    }

    public static async Task<Results<Ok, OperationOutcomeHttpResult>> PostFeedbackAsync(
        string id,
        HttpContext httpContext,
        IFeedbackStore store,
        IOptions<CdsHooksOptions> options,
        IOptions<LimitOptions> limits,
        IOptions<FeedbackStoreOptions> storeOptions,
        TimeProvider time,
        ILogger<IFeedbackStore> logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(storeOptions);
        if (!CdsServiceCatalog.TryGet(id, out var service))
        {
            Log.UnknownService(logger);
            return CdsHooksApi.UnknownService();
        }

        var body = await JsonBodyReader.ReadAsync(httpContext, limits.Value.MaxRequestBodyBytes, limits.Value.MaxJsonDepth, cancellationToken);
        if (body.Error is { } bodyError)
        {
            Log.FeedbackRejected(logger, service.Id, bodyError.Issues.Count);
            return bodyError;
        }

        var read = FeedbackReader.Read(body.Document!.RootElement);
        if (!read.IsValid)
        {
            Log.FeedbackRejected(logger, service.Id, read.Issues.Count);
            return OperationOutcomeHttpResult.Create(StatusCodes.Status400BadRequest, read.Issues);
        }

        var caller = httpContext.GetCallerTrust();
        var receivedAt = time.GetUtcNow();

        // Per-client quota over a sliding 24 h: a client must not be able to fill the store or outvote the others in
        // the governance summary (docs/security.md §5).
        var quota = storeOptions.Value.MaxFeedbackItemsPerClientPerDay;
        var stored = await store.CountReceivedAsync(caller.Issuer, caller.Tenant, receivedAt.AddDays(-1), cancellationToken);
        if (stored + read.Items.Count > quota)
        {
            Log.FeedbackQuotaExceeded(logger, caller.Issuer, caller.Tenant ?? "(none)", stored, quota);
            httpContext.Response.Headers.RetryAfter = "3600";
            return OperationOutcomeHttpResult.Create(
                StatusCodes.Status429TooManyRequests,
                IssueType.Throttled,
                $"This client has stored {stored} feedback item(s) in the last 24 hours; the limit is {quota} (CdsHooks:Feedback:MaxFeedbackItemsPerClientPerDay).");
        }
        var storeComments = options.Value.Feedback.StoreComments;
        var records = read.Items.Select(item => new FeedbackRecord
        {
            ServiceId = service.Id,
            CardUuid = item.CardUuid,
            Outcome = item.Outcome,
            AcceptedSuggestionIds = item.AcceptedSuggestionIds,
            OverrideReasonSystem = item.ReasonSystem,
            OverrideReasonCode = item.ReasonCode,
            UserComment = storeComments ? item.UserComment : null,
            OutcomeTimestamp = item.OutcomeTimestamp,
            ReceivedAt = receivedAt,
            ClientIssuer = caller.Issuer,
            ClientTenant = caller.Tenant,
        }).ToList();

        await store.SaveAsync(records, cancellationToken);
        Log.FeedbackStored(logger, service.Id, records.Count);
        return TypedResults.Ok();
    }
}
