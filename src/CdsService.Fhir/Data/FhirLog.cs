using Microsoft.Extensions.Logging;

namespace CdsService.Fhir.Data;

/// <summary>
/// Every log event of the FHIR layer (data, 40xx; terminology, 41xx). Parameters are opaque on purpose: prefetch keys,
/// counts, status codes and fixed reason codes only; never a URL (it holds the patient id), a token, or any resource
/// content (docs/security.md §6 Logging and audit).
/// </summary>
internal static partial class FhirLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "Prefetch key {PrefetchKey} held an OperationOutcome; fetching it from the FHIR server instead")]
    public static partial void PrefetchOperationOutcome(ILogger logger, string prefetchKey);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "fhirServer refused ({Verdict}) for issuer {Issuer}; no request was made")]
    public static partial void FhirServerRefused(ILogger logger, FhirServerAllowlist.Verdict verdict, string issuer);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "FHIR query for {PrefetchKey} failed: {Reason} (HTTP {StatusCode})")]
    public static partial void QueryFailed(ILogger logger, string prefetchKey, string reason, int? statusCode);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning,
        Message = "FHIR fetch exceeded its deadline of {DeadlineMs} ms")]
    public static partial void DeadlineExceeded(ILogger logger, double deadlineMs);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Debug,
        Message = "FHIR fetch completed: {Queries} queries, {Pages} pages, {Resources} resources in {ElapsedMs} ms")]
    public static partial void FetchCompleted(ILogger logger, int queries, int pages, int resources, double elapsedMs);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information,
        Message = "Prefetch is missing required keys {MissingKeys} and no fhirServer was given")]
    public static partial void MissingPrefetch(ILogger logger, string missingKeys);

    [LoggerMessage(EventId = 4060, Level = LogLevel.Warning,
        Message = "Optional FHIR query for {PrefetchKey} gave no data ({Reason}); assessed without it, and the card lists it as a data issue")]
    public static partial void OptionalQueryUnavailable(ILogger logger, string prefetchKey, string reason);

    [LoggerMessage(EventId = 4061, Level = LogLevel.Information,
        Message = "FHIR server refused the search for {PrefetchKey} with HTTP 400; asking again without {Parameter}")]
    public static partial void SearchRefinementRefused(ILogger logger, string prefetchKey, string parameter);

    [LoggerMessage(4101, LogLevel.Debug, "Terminology and FHIR model loaded at start in {ElapsedMs:0} ms", EventName = "TerminologyWarmedUp")]
    public static partial void TerminologyWarmedUp(ILogger logger, double elapsedMs);

    [LoggerMessage(4102, LogLevel.Warning, "Terminology warm-up at start failed ({ErrorType}); the first hook call will load it", EventName = "TerminologyWarmUpFailed")]
    public static partial void TerminologyWarmUpFailed(ILogger logger, string errorType);
}
