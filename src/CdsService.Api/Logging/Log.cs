using CdsService.Fhir.Data;

namespace CdsService.Api.Logging;

/// <summary>
/// Every log event the service writes, in one place (style anchor §3.10), so a PHI review is a one-file review.
/// Parameters are opaque values only: service id, hookInstance, issuer/tenant, counts, reason codes, exception types.
/// Never a token, a prefetch resource, a patient or user id, a name or a lab value.
/// </summary>
/// <remarks>
/// Event ids are stable (SIEM rules key on them) and never reused; each is unique across every CdsService assembly and
/// lies in its area's range below. The FHIR layer's events are in its own catalogue (CdsService.Fhir's FhirLog) but in
/// these ranges; a unit test (LogEventIdTests) reads this table and checks every [LoggerMessage] against it.
/// <list type="table">
/// <item><term>1001-1099</term><description>CdsService.Api: hook calls</description></item>
/// <item><term>1101-1199</term><description>CdsService.Api: clinical engine settings</description></item>
/// <item><term>2001-2099</term><description>CdsService.Api: feedback and the feedback store</description></item>
/// <item><term>2101-2199</term><description>CdsService.Api: admin API</description></item>
/// <item><term>3001-3099</term><description>CdsService.Api: client trust</description></item>
/// <item><term>3201-3299</term><description>CdsService.Api: replay cache</description></item>
/// <item><term>4001-4099</term><description>CdsService.Fhir: FHIR data layer (prefetch, FHIR queries)</description></item>
/// <item><term>4101-4199</term><description>CdsService.Fhir: terminology and FHIR model warm-up</description></item>
/// <item><term>5001-5099</term><description>CdsService.Api: audit trail</description></item>
/// <item><term>5101-5199</term><description>CdsService.Api: rate limiting</description></item>
/// <item><term>6001-6099</term><description>CdsService.Api: preview page (Development only)</description></item>
/// <item><term>7001-7099</term><description>CdsService.Api: SMART app and handout</description></item>
/// <item><term>9001-9099</term><description>CdsService.Api: errors</description></item>
/// </list>
/// </remarks>
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

    // The keys are prefetch key names from discovery, the reason is fixed text: neither the URL nor any patient data.
    [LoggerMessage(1060, LogLevel.Warning, "Hook call to {ServiceId} ({HookInstance}) answered 412: prefetch {MissingKeys} missing and the request's fhirServer is not allowed for this client, so nothing was fetched", EventName = "PrefetchMissingFhirServerNotAllowed")]
    public static partial void PrefetchMissingFhirServerNotAllowed(ILogger logger, string serviceId, string hookInstance, string missingKeys);

    // The origin is a browser's Origin header (scheme, host, port): no patient data. Once per origin (CorsRefusalLog).
    [LoggerMessage(1061, LogLevel.Information, "CORS: browser origin {Origin} is not allowed (CdsHooks:AllowedOrigins: {AllowedOrigins}); the browser gets no CORS headers and blocks the call", EventName = "CorsOriginRefused")]
    public static partial void CorsOriginRefused(ILogger logger, string origin, string allowedOrigins);

    [LoggerMessage(1005, LogLevel.Warning, "Hook call to {ServiceId} ({HookInstance}) answered 412: patient data unavailable ({FailureKind})", EventName = "PatientDataUnavailable")]
    public static partial void PatientDataUnavailable(ILogger logger, string serviceId, string hookInstance, PatientDataFailureKind failureKind);

    [LoggerMessage(1006, LogLevel.Information, "Hook call to {ServiceId} ({HookInstance}) needs no assessment: no relevant order or data", EventName = "HookNotApplicable")]
    public static partial void HookNotApplicable(ILogger logger, string serviceId, string hookInstance);

    // Classification and recommendation are codes of the rule outcome, not patient data; no lab value, id or name.
    [LoggerMessage(1007, LogLevel.Information, "Hook call to {ServiceId} ({HookInstance}) assessed: {Classification}, {Recommendation}; cards {Indicators}", EventName = "HookAssessed")]
    public static partial void HookAssessed(ILogger logger, string serviceId, string hookInstance, string classification, string recommendation, string indicators);

    // A drafted drug in scope caused a data fetch but no card: the reason is a code (rules scope), never patient data.
    [LoggerMessage(1070, LogLevel.Information, "Hook call to {ServiceId} ({HookInstance}) with a relevant draft answered without a card: {Reason}", EventName = "DraftedOrderWithoutCard")]
    public static partial void DraftedOrderWithoutCard(ILogger logger, string serviceId, string hookInstance, string reason);

    [LoggerMessage(2001, LogLevel.Information, "Stored {Count} feedback item(s) for {ServiceId}", EventName = "FeedbackStored")]
    public static partial void FeedbackStored(ILogger logger, string serviceId, int count);

    [LoggerMessage(2002, LogLevel.Information, "Feedback to {ServiceId} refused: {IssueCount} issue(s)", EventName = "FeedbackRejected")]
    public static partial void FeedbackRejected(ILogger logger, string serviceId, int issueCount);

    [LoggerMessage(2003, LogLevel.Information, "Feedback store ready at {DatabasePath}", EventName = "FeedbackStoreReady")]
    public static partial void FeedbackStoreReady(ILogger logger, string databasePath);

    // 2004 (FeedbackStoreUnhealthy, SQLite-only) was replaced by 2006 FeedbackStoreUnavailable; ids are never reused.

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

    // 3050-3069: client trust (token refusal log volume, key-set lists).

    // One ClientAuthenticationFailed per issuer and reason a minute; the refusals in between are counted, and the count is
    // reported when that issuer and reason are next logged (a flood of bad tokens must not flood the log).
    [LoggerMessage(3050, LogLevel.Warning, "{SuppressedCount} further client token refusal(s) {Reason} (issuer {Issuer}) were not logged in the previous {Window}", EventName = "ClientAuthenticationFailuresSuppressed")]
    public static partial void ClientAuthenticationFailuresSuppressed(ILogger logger, int suppressedCount, ClientAuthFailure reason, string issuer, TimeSpan window);

    [LoggerMessage(3051, LogLevel.Information, "Key-set list of {Issuer} loaded: {UrlCount} key-set URL(s)", EventName = "JkuListLoaded")]
    public static partial void JkuListLoaded(ILogger logger, string issuer, int urlCount);

    [LoggerMessage(3052, LogLevel.Warning, "Key-set list of {Issuer} could not be loaded: {ErrorType}", EventName = "JkuListLoadFailed")]
    public static partial void JkuListLoadFailed(ILogger logger, string issuer, string errorType);

    [LoggerMessage(9001, LogLevel.Error, "Unhandled exception (correlation id {CorrelationId})", EventName = "UnhandledException")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string correlationId);

    [LoggerMessage(9002, LogLevel.Information, "Malformed HTTP request answered {StatusCode}", EventName = "BadHttpRequest")]
    public static partial void BadHttpRequest(ILogger logger, int statusCode);

    [LoggerMessage(9003, LogLevel.Debug, "The client closed the request before it was answered", EventName = "RequestAborted")]
    public static partial void RequestAborted(ILogger logger);

    // ---- Replay cache (3201-3299) ----

    [LoggerMessage(3201, LogLevel.Information, "Replay cache: {Kind}", EventName = "ReplayCacheConfigured")]
    public static partial void ReplayCacheConfigured(ILogger logger, string kind);

    [LoggerMessage(3202, LogLevel.Error, "Replay cache (Redis) cannot answer ({ErrorType}): client tokens are refused until it can", EventName = "ReplayCacheUnavailable")]
    public static partial void ReplayCacheUnavailable(ILogger logger, string errorType);

    [LoggerMessage(3203, LogLevel.Warning, "Redis connection lost ({FailureType}); reconnecting", EventName = "RedisConnectionFailed")]
    public static partial void RedisConnectionFailed(ILogger logger, string failureType);

    [LoggerMessage(3205, LogLevel.Debug, "Replay check could not run ({ErrorType}); token refused", EventName = "ReplayCheckFailed")]
    public static partial void ReplayCheckFailed(ILogger logger, string errorType);

    [LoggerMessage(3204, LogLevel.Information, "Redis connection restored", EventName = "RedisConnectionRestored")]
    public static partial void RedisConnectionRestored(ILogger logger);

    // 3250-3259: replay cache shares.

    [LoggerMessage(3250, LogLevel.Information, "Replay cache holds {Capacity} token id(s): {PerIssuer} for each of {IssuerCount} issuer(s), tokens live at most {MaxTokenLifetime}", EventName = "ReplayCacheShares")]
    public static partial void ReplayCacheShares(ILogger logger, int capacity, int perIssuer, int issuerCount, TimeSpan maxTokenLifetime);

    // ---- Feedback store (2005-2010) ----

    [LoggerMessage(2005, LogLevel.Information, "Feedback store ({Provider}) schema up to date: {MigrationCount} migration(s) applied now", EventName = "FeedbackStoreMigrated")]
    public static partial void FeedbackStoreMigrated(ILogger logger, string provider, int migrationCount);

    [LoggerMessage(2006, LogLevel.Error, "Feedback store ({Provider}) does not answer ({ErrorType})", EventName = "FeedbackStoreUnavailable")]
    public static partial void FeedbackStoreUnavailable(ILogger logger, string provider, string errorType);

    [LoggerMessage(2007, LogLevel.Warning, "Issued-card queue full: {Count} card mapping(s) dropped; feedback on those cards counts as an unknown card type", EventName = "IssuedCardsDropped")]
    public static partial void IssuedCardsDropped(ILogger logger, long count);

    [LoggerMessage(2008, LogLevel.Warning, "Issued-card mappings not stored ({Count} card(s)): {ErrorType}", EventName = "IssuedCardsWriteFailed")]
    public static partial void IssuedCardsWriteFailed(ILogger logger, int count, string errorType);

    [LoggerMessage(2050, LogLevel.Debug, "Feedback retention: {Count} item(s) older than {RetentionDays} day(s) removed", EventName = "FeedbackPurged")]
    public static partial void FeedbackPurged(ILogger logger, int count, int retentionDays);

    [LoggerMessage(2051, LogLevel.Warning, "Feedback from issuer {Issuer} (tenant {Tenant}) refused: {Stored} item(s) stored in the last 24 h, limit {Limit}", EventName = "FeedbackQuotaExceeded")]
    public static partial void FeedbackQuotaExceeded(ILogger logger, string issuer, string tenant, int stored, int limit);

    [LoggerMessage(2009, LogLevel.Debug, "Issued-card retention: {Count} mapping(s) older than {RetentionDays} day(s) removed", EventName = "IssuedCardsPurged")]
    public static partial void IssuedCardsPurged(ILogger logger, int count, int retentionDays);

    [LoggerMessage(2010, LogLevel.Warning, "Issued-card retention pass failed: {ErrorType}", EventName = "IssuedCardsPurgeFailed")]
    public static partial void IssuedCardsPurgeFailed(ILogger logger, string errorType);

    // ---- Admin API (2101-2199) ----

    [LoggerMessage(2101, LogLevel.Warning, "Admin token refused: {Reason}", EventName = "AdminAuthenticationFailed")]
    public static partial void AdminAuthenticationFailed(ILogger logger, ClientAuthFailure reason);

    [LoggerMessage(2102, LogLevel.Information, "Feedback summary served to {Issuer}: {FeedbackCount} feedback item(s)", EventName = "FeedbackSummaryServed")]
    public static partial void FeedbackSummaryServed(ILogger logger, string issuer, int feedbackCount);

    [LoggerMessage(2103, LogLevel.Information, "Admin endpoints: {State}", EventName = "AdminApiState")]
    public static partial void AdminApiState(ILogger logger, string state);

    // ---- Audit trail (5001-5099) and rate limiting (5101-5199): field names are a contract with the SIEM (docs/security.md §Audit trail); add fields, never rename ----

    [LoggerMessage(5001, LogLevel.Information,
        "Audit: {ClientIssuer} (tenant {ClientTenant}) called {ServiceId} on {Hook} for patient {PatientRef}: HTTP {StatusCode}, outcome {AuditOutcome}, " +
        "failure {FailureKind}, cards {CardIndicators}, {LatencyMs} ms, hookInstance {HookInstance}, jti {ClientJti}, correlation {CorrelationId}",
        EventName = "HookCallAudited")]
    public static partial void HookCallAudited(
        ILogger logger,
        string clientIssuer,
        string clientTenant,
        string serviceId,
        string hook,
        string patientRef,
        int statusCode,
        int auditOutcome,
        string failureKind,
        string cardIndicators,
        double latencyMs,
        string hookInstance,
        string clientJti,
        string correlationId);

    [LoggerMessage(5002, LogLevel.Warning,
        "No audit key configured (CdsHooks:Audit:PatientIdHashKey) in {Environment}: patient references in audit events use a random per-process key {KeyId} and cannot be correlated across restarts or instances",
        EventName = "AuditKeyEphemeral")]
    public static partial void AuditKeyEphemeral(ILogger logger, string environment, string keyId);

    [LoggerMessage(5003, LogLevel.Information, "Audit trail ready: patient references hashed with key {KeyId}", EventName = "AuditReady")]
    public static partial void AuditReady(ILogger logger, string keyId);

    [LoggerMessage(5101, LogLevel.Warning,
        "Client {ClientIssuer} (tenant {ClientTenant}) throttled on {Endpoint}: {Limit} limit reached, retry after {RetryAfterSeconds} s",
        EventName = "ClientThrottled")]
    public static partial void ClientThrottled(ILogger logger, string clientIssuer, string clientTenant, string endpoint, string limit, int retryAfterSeconds);

    [LoggerMessage(5102, LogLevel.Information,
        "Rate limiting per client: {TokenLimit} burst, {TokensPerPeriod} per {ReplenishmentPeriod}, {ConcurrencyLimit} concurrent",
        EventName = "RateLimitingReady")]
    public static partial void RateLimitingReady(ILogger logger, int tokenLimit, int tokensPerPeriod, TimeSpan replenishmentPeriod, int concurrencyLimit);

    [LoggerMessage(5103, LogLevel.Warning, "Rate limiting is disabled (CdsHooks:RateLimit:Enabled = false) in {Environment}", EventName = "RateLimitingDisabled")]
    public static partial void RateLimitingDisabled(ILogger logger, string environment);

    // ---- Preview page (60xx, Development only; 4001-4003 until they were found to collide with the FHIR layer's events) ----

    [LoggerMessage(6001, LogLevel.Warning, "DEVELOPMENT ONLY: preview page enabled at /preview; trusting the in-memory preview key {KeyId} (issuer {Issuer})", EventName = "PreviewEnabled")]
    public static partial void PreviewEnabled(ILogger logger, string keyId, string issuer);

    [LoggerMessage(6002, LogLevel.Information, "Preview called {ServiceId}: {StatusCode}", EventName = "PreviewCalled")]
    public static partial void PreviewCalled(ILogger logger, string serviceId, int statusCode);

    [LoggerMessage(6003, LogLevel.Warning, "Preview could not call {ServiceId}: {ErrorType}", EventName = "PreviewCallFailed")]
    public static partial void PreviewCallFailed(ILogger logger, string serviceId, string errorType);

    [LoggerMessage(7001, LogLevel.Information, "SMART work-up app enabled at /smart/launch for client id {ClientId} and {FhirServerCount} FHIR server(s)", EventName = "SmartAppEnabled")]
    public static partial void SmartAppEnabled(ILogger logger, string clientId, int fhirServerCount);

    // Codes of the rule outcome and a count only: never the posted resources, the patient id or a name (ADR-0010).
    [LoggerMessage(7002, LogLevel.Information, "SMART work-up assessed from {ResourceCount} posted resource(s): {Classification}, {Recommendation}", EventName = "SmartWorkupAssessed")]
    public static partial void SmartWorkupAssessed(ILogger logger, int resourceCount, string classification, string recommendation);

    [LoggerMessage(7003, LogLevel.Warning, "SMART work-up request refused with {StatusCode}: {Reason}", EventName = "SmartWorkupRefused")]
    public static partial void SmartWorkupRefused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(7004, LogLevel.Warning, "SMART launch refused: {Reason}", EventName = "SmartLaunchRefused")]
    public static partial void SmartLaunchRefused(ILogger logger, string reason);

    // The zone id is site configuration, not patient data.
    [LoggerMessage(1101, LogLevel.Information, "Clinical rules read UTC sample times in time zone {TimeZone} ({Source}); date-only results count as morning samples: {DateOnlyCountsAsMorning}", EventName = "ClinicalSiteTimeZone")]
    public static partial void ClinicalSiteTimeZone(ILogger logger, string timeZone, string source, bool dateOnlyCountsAsMorning);
}
