using CdsService.Api.Security;
using CdsService.Fhir.Data;

namespace CdsService.Api.Logging;

/// <summary>
/// Every log event the service writes, in one place (style anchor §3.10), so a PHI review is a one-file review.
/// Parameters are opaque values only: service id, hookInstance, issuer/tenant, counts, reason codes, exception types.
/// Never a token, a prefetch resource, a patient or user id, a name or a lab value. Event ids are stable (SIEM rules
/// key on them): 1xxx hooks, 2xxx feedback, 3xxx client trust, 9xxx errors.
/// </summary>
public static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Hook call answered by {ServiceId} ({HookInstance}) with {CardCount} card(s)", EventName = "HookCallAnswered")]
    public static partial void HookCallAnswered(ILogger logger, string serviceId, string hookInstance, int cardCount);

    [LoggerMessage(1002, LogLevel.Information, "Hook request to {ServiceId} refused with {StatusCode}: {IssueCount} issue(s)", EventName = "HookRequestRejected")]
    public static partial void HookRequestRejected(ILogger logger, string serviceId, int statusCode, int issueCount);

    [LoggerMessage(1003, LogLevel.Information, "Call to an unknown CDS service id", EventName = "UnknownService")]
    public static partial void UnknownService(ILogger logger);

    [LoggerMessage(1004, LogLevel.Warning, "Hook call to {ServiceId} ({HookInstance}) answered 412: prefetch {MissingKeys} missing and no fhirServer", EventName = "PrefetchMissingWithoutFhirServer")]
    public static partial void PrefetchMissingWithoutFhirServer(ILogger logger, string serviceId, string hookInstance, string missingKeys);

    [LoggerMessage(1005, LogLevel.Warning, "Hook call to {ServiceId} ({HookInstance}) answered 412: patient data unavailable ({FailureKind})", EventName = "PatientDataUnavailable")]
    public static partial void PatientDataUnavailable(ILogger logger, string serviceId, string hookInstance, PatientDataFailureKind failureKind);

    [LoggerMessage(1006, LogLevel.Information, "Hook call to {ServiceId} ({HookInstance}) needs no assessment: no relevant order or data", EventName = "HookNotApplicable")]
    public static partial void HookNotApplicable(ILogger logger, string serviceId, string hookInstance);

    // Classification and recommendation are codes of the rule outcome, not patient data; no lab value, id or name.
    [LoggerMessage(1007, LogLevel.Information, "Hook call to {ServiceId} ({HookInstance}) assessed: {Classification}, {Recommendation}; cards {Indicators}", EventName = "HookAssessed")]
    public static partial void HookAssessed(ILogger logger, string serviceId, string hookInstance, string classification, string recommendation, string indicators);

    [LoggerMessage(2001, LogLevel.Information, "Stored {Count} feedback item(s) for {ServiceId}", EventName = "FeedbackStored")]
    public static partial void FeedbackStored(ILogger logger, string serviceId, int count);

    [LoggerMessage(2002, LogLevel.Information, "Feedback to {ServiceId} refused: {IssueCount} issue(s)", EventName = "FeedbackRejected")]
    public static partial void FeedbackRejected(ILogger logger, string serviceId, int issueCount);

    [LoggerMessage(2003, LogLevel.Information, "Feedback store ready at {DatabasePath}", EventName = "FeedbackStoreReady")]
    public static partial void FeedbackStoreReady(ILogger logger, string databasePath);

    [LoggerMessage(2004, LogLevel.Error, "Feedback store does not answer (SQLite error {SqliteErrorCode})", EventName = "FeedbackStoreUnhealthy")]
    public static partial void FeedbackStoreUnhealthy(ILogger logger, int sqliteErrorCode);

    [LoggerMessage(3001, LogLevel.Warning, "Client token refused: {Reason} (issuer {Issuer})", EventName = "ClientAuthenticationFailed")]
    public static partial void ClientAuthenticationFailed(ILogger logger, ClientAuthFailure reason, string issuer);

    [LoggerMessage(3002, LogLevel.Debug, "Client authenticated: issuer {Issuer}, tenant {Tenant}", EventName = "ClientAuthenticated")]
    public static partial void ClientAuthenticated(ILogger logger, string issuer, string? tenant);

    [LoggerMessage(3003, LogLevel.Information, "JWK Set of {Issuer} loaded from {SourceKind}: {KeyCount} signing key(s)", EventName = "KeySetLoaded")]
    public static partial void KeySetLoaded(ILogger logger, string issuer, JwksSourceKind sourceKind, int keyCount);

    [LoggerMessage(3004, LogLevel.Warning, "JWK Set of {Issuer} could not be loaded from {SourceKind}: {ErrorType}", EventName = "KeySetLoadFailed")]
    public static partial void KeySetLoadFailed(ILogger logger, string issuer, JwksSourceKind sourceKind, string errorType);

    [LoggerMessage(3005, LogLevel.Warning, "No CDS client is configured (CdsHooks:Clients) in {Environment}: every call will be refused with 401", EventName = "NoClientsConfigured")]
    public static partial void NoClientsConfigured(ILogger logger, string environment);

    [LoggerMessage(3006, LogLevel.Warning, "DEVELOPMENT ONLY: trusting {Issuer}, whose private key is public", EventName = "DevelopmentIssuerTrusted")]
    public static partial void DevelopmentIssuerTrusted(ILogger logger, string issuer);

    [LoggerMessage(3007, LogLevel.Information, "Client trust ready: {ClientCount} configured client(s)", EventName = "ClientTrustReady")]
    public static partial void ClientTrustReady(ILogger logger, int clientCount);

    [LoggerMessage(9001, LogLevel.Error, "Unhandled exception (correlation id {CorrelationId})", EventName = "UnhandledException")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string correlationId);

    [LoggerMessage(9002, LogLevel.Information, "Malformed HTTP request answered {StatusCode}", EventName = "BadHttpRequest")]
    public static partial void BadHttpRequest(ILogger logger, int statusCode);

    [LoggerMessage(9003, LogLevel.Debug, "The client closed the request before it was answered", EventName = "RequestAborted")]
    public static partial void RequestAborted(ILogger logger);
}
