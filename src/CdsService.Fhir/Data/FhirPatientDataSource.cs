using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text.Json;
using CdsService.Clinical.Model;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Prefetch;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CdsService.Fhir.Data;

/// <summary>
/// Builds the snapshot from prefetch and, for every key prefetch lacks, from the EHR's FHIR server
/// (CDS Hooks 2.0 §Prefetch and §FHIR Resource Access):
/// a key that is present is used; <c>null</c> means "no data"; absent or an OperationOutcome means "fetch it".
/// Fetching only ever contacts an allowlisted fhirServer, runs all queries in parallel under one deadline, and any
/// failure is a failure (a 412 at the Api), never an empty snapshot that would read as "all clear".
/// The server's answers are read as FHIR JSON into the same resource set and mapper as prefetch (ADR-0006).
/// </summary>
public sealed partial class FhirPatientDataSource : IPatientDataSource
{
    /// <summary>The name of the factory-managed HttpClient (resilience pipeline, no redirects).</summary>
    public const string HttpClientName = "CdsService.Fhir";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly FhirDataOptions _options;
    private readonly SnapshotMapper _mapper;
    private readonly DraftOrderReader _draftOrders;
    private readonly IReadOnlyList<PrefetchQuery> _queries;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<FhirPatientDataSource> _logger;

    // FHIR R4 §3.1.0.1.7 (content types): the JSON format, the only one this service reads.
    private static readonly MediaTypeWithQualityHeaderValue FhirJsonMediaType = new("application/fhir+json");

    public FhirPatientDataSource(
        IHttpClientFactory httpClientFactory,
        IOptions<FhirDataOptions> options,
        TerminologyCatalog terminology,
        DraftOrderReader draftOrders,
        TimeProvider timeProvider,
        ILogger<FhirPatientDataSource> logger)
    {
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _mapper = new SnapshotMapper(terminology, timeProvider);
        _draftOrders = draftOrders;
        _queries = ReferenceEquals(terminology, TerminologyCatalog.Default) ? PrefetchCatalog.All : PrefetchCatalog.Build(terminology);
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Reads the draft orders itself: for tests and benchmarks that call the data source without the hook pipeline. The
    /// pipeline reads the drafts once and passes them to the other overload.
    /// </summary>
    internal Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return LoadAsync(request, caller, _draftOrders.Read(request.Hook, request.Context), cancellationToken);
    }

    public async Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);

        // Sized once from the prefetch's entry count: the resource set is the request's largest allocation (docs/performance.md).
        var expectedResources = 0;
        foreach (var query in _queries)
        {
            if (request.Prefetch.TryGetValue(query.Key, out var present) && present.State == PrefetchState.Present)
            {
                expectedResources += FhirResourceSet.EntryCount(present.Value);
            }
        }

        var resources = new FhirResourceSet(expectedResources);
        var toFetch = new List<PrefetchQuery>();
        foreach (var query in _queries)
        {
            var entry = request.Prefetch.TryGetValue(query.Key, out var found) ? found : PrefetchEntry.Absent;
            switch (entry.State)
            {
                case PrefetchState.Present:
                    // A paginated prefetch (spec 2.0 STU: the client MAY page) is incomplete: read the query whole.
                    if (resources.AddJson(entry.Value) is not null)
                    {
                        toFetch.Add(query);
                    }

                    break;
                case PrefetchState.Null:
                    break;
                case PrefetchState.OperationOutcome:
                    FhirLog.PrefetchOperationOutcome(_logger, query.Key);
                    toFetch.Add(query);
                    break;
                default:
                    toFetch.Add(query);
                    break;
            }
        }

        if (resources.ResourcesRead > _options.MaxResources)
        {
            return PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerFailed,
                $"The prefetch holds more than {_options.MaxResources} resources.");
        }

        if (toFetch.Count == 0)
        {
            return PatientDataOutcome.Success(_mapper.Map(resources, request.PatientId, draftOrders));
        }

        var requiredMissing = toFetch.Where(q => q.RequiredForAssessment).Select(q => q.Key).ToList();
        if (request.FhirServer is null)
        {
            if (requiredMissing.Count > 0)
            {
                var missingKeys = string.Join(',', requiredMissing);
                FhirLog.MissingPrefetch(_logger, missingKeys);

                return PatientDataOutcome.Failure(PatientDataFailureKind.MissingPrefetch,
                    "Required prefetch is missing and no fhirServer was given: " + string.Join(", ", requiredMissing) + ".",
                    requiredMissing);
            }

            // Only optional keys are missing and there is nowhere to fetch them from.
            return PatientDataOutcome.Success(_mapper.Map(resources, request.PatientId, draftOrders));
        }

        var verdict = FhirServerAllowlist.Check(request.FhirServer, caller.AllowedFhirServers, _options.AllowHttpLoopback, out _);
        if (verdict != FhirServerAllowlist.Verdict.Allowed)
        {
            FhirLog.FhirServerRefused(_logger, verdict, caller.Issuer);
            if (requiredMissing.Count == 0)
            {
                return PatientDataOutcome.Success(_mapper.Map(resources, request.PatientId, draftOrders));
            }

            // Both halves of the precondition (spec §Prefetch, 412): which keys were missing and why they were not
            // fetched. The verdict is a fixed code; the URL itself is never repeated (it may carry a tenant path).
            return PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerNotAllowed,
                "Required prefetch is missing (" + string.Join(", ", requiredMissing) + ") and it was not fetched: the fhirServer in the " +
                $"request is not allowed for this client ({FhirServerRefusal.Describe(verdict)}), so no request was made to it.",
                requiredMissing);
        }

        if (!HookRequestReader.IsFhirId(request.PatientId))
        {
            return PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerFailed,
                "context.patientId is not a valid FHIR id, so it cannot be used in a FHIR query.");
        }

        var fetched = await FetchAsync(request, toFetch, resources.ResourcesRead, cancellationToken).ConfigureAwait(false);
        if (fetched.Failure is not null)
        {
            return fetched.Failure;
        }

        foreach (var resource in fetched.Resources)
        {
            resources.AddJson(resource);
        }

        var snapshot = _mapper.Map(resources, request.PatientId, draftOrders);
        return PatientDataOutcome.Success(fetched.Unavailable.Count == 0 ? snapshot : OptionalData.WithUnavailable(snapshot, fetched.Unavailable));
    }

    private async Task<(List<JsonElement> Resources, PatientDataOutcome? Failure, List<(string Key, string Reason)> Unavailable)> FetchAsync(
        HookRequest request, List<PrefetchQuery> queries, int alreadyRead, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        using var deadline = new CancellationTokenSource(_options.Deadline, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var budget = new FetchBudget(_options.MaxResources - alreadyRead);
        var fhirBase = new Uri(request.FhirServer!.AbsoluteUri.TrimEnd('/') + "/");

        var tasks = queries.Select(q => FetchQueryAsync(q, request, fhirBase, budget, linked)).ToArray();
        var results = await Task.WhenAll(tasks).ConfigureAwait(false);

        // The caller went away: that is not a FHIR failure, let the host handle the aborted request.
        cancellationToken.ThrowIfCancellationRequested();

        var elapsedMs = _timeProvider.GetElapsedTime(started).TotalMilliseconds;

        // Only the data the rules cannot do without makes a 412; an optional query that failed (a server without
        // MedicationStatement, one that timed out) is a data issue on the card instead.
        var required = results.Where(r => r.Required).ToList();
        if (deadline.IsCancellationRequested && required.Any(r => r.Error is not null))
        {
            FhirLog.DeadlineExceeded(_logger, _options.Deadline.TotalMilliseconds);
            return ([], PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerFailed,
                $"The FHIR server did not answer within {_options.Deadline.TotalSeconds:0.###} s."), []);
        }

        // Report the first real error, not the cancellations it caused in the sibling queries.
        var failed = required.FirstOrDefault(r => r.Error is not null && !r.Cancelled) ?? required.FirstOrDefault(r => r.Error is not null);
        if (failed is not null)
        {
            return ([], PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerFailed,
                $"The FHIR server could not provide '{failed.Key}': {failed.Error}."), []);
        }

        var unavailable = new List<(string Key, string Reason)>();
        foreach (var optional in results.Where(r => !r.Required && r.Error is not null))
        {
            FhirLog.OptionalQueryUnavailable(_logger, optional.Key, optional.Cancelled ? "deadline" : optional.Error!);
            unavailable.Add((optional.Key, optional.Cancelled ? "no answer within the deadline" : optional.Error!));
        }

        var pages = results.Sum(r => r.Pages);
        var resourceCount = results.Sum(r => r.Resources.Count);
        FhirLog.FetchCompleted(_logger, queries.Count, pages, resourceCount, elapsedMs);
        return ([.. results.SelectMany(r => r.Resources)], null, unavailable);
    }

    private async Task<QueryResult> FetchQueryAsync(PrefetchQuery query, HookRequest request, Uri fhirBase, FetchBudget budget, CancellationTokenSource linked)
    {
        var result = new QueryResult(query.Key, query.RequiredForAssessment);
        var token = linked.Token;
        try
        {
            // One HttpClient per query, from the factory: it pools the handler (connections, resilience pipeline)
            // underneath, so this costs no connections, and the size cap is set on a client no other query shares.
            using var http = _httpClientFactory.CreateClient(HttpClientName);
            http.MaxResponseContentBufferSize = _options.MaxResponseBytes;
            http.Timeout = Timeout.InfiniteTimeSpan;
            var relative = Render(query.QueryTemplate, request);
            if (!FhirQueryUrl.TryResolve(fhirBase, relative, out var url))
            {
                FhirLog.QueryFailed(_logger, query.Key, "query URL leaves the server base", null);
                return Fail(result, linked, "the query could not be built under the FHIR server base");
            }

            var answer = await GetAsync(http, url, request.FhirAccessToken, token).ConfigureAwait(false);

            // A 400 for a refinement the server does not support: ask again without it (QueryRelaxation says what
            // makes up for each one). Any other status, or a 400 with nothing left to drop, stands. Dropping a
            // parameter never changes the path, so the relaxed URL stays under the base (checked again anyway).
            while (answer.Status == 400 && QueryRelaxation.TryRelax(relative, out var relaxed, out var dropped)
                && FhirQueryUrl.TryResolve(fhirBase, relaxed, out var relaxedUrl))
            {
                FhirLog.SearchRefinementRefused(_logger, query.Key, dropped);
                relative = relaxed;
                answer = await GetAsync(http, relaxedUrl, request.FhirAccessToken, token).ConfigureAwait(false);
            }

            result.Pages = 1;
            while (true)
            {
                if (answer.Error is { } error)
                {
                    return Fail(result, linked, query.Key, error, answer.Status);
                }

                var body = answer.Body;
                if (body.IsBundle)
                {
                    body.AddEntriesOfInterest(result.Resources);
                    if (!budget.TryTake(body.EntryCount))
                    {
                        return Fail(result, linked, $"more than {_options.MaxResources} resources");
                    }

                    var next = body.NextLink;
                    if (next is null)
                    {
                        return result;
                    }

                    if (result.Pages >= _options.MaxPages)
                    {
                        return Fail(result, linked, $"more than {_options.MaxPages} pages of results");
                    }

                    // Bundle.link.url may be relative to the server base (R4 §3.1.1.5.7); a malformed one is an
                    // unreadable answer (the catch below).
                    var nextLink = new Uri(next, UriKind.RelativeOrAbsolute);
                    var nextUrl = nextLink.IsAbsoluteUri ? nextLink : new Uri(fhirBase, nextLink);
                    if (!FhirServerAllowlist.IsUnder(fhirBase, nextUrl, _options.AllowHttpLoopback))
                    {
                        return Fail(result, linked, "a paging link points outside the FHIR server");
                    }

                    answer = await GetAsync(http, nextUrl, request.FhirAccessToken, token).ConfigureAwait(false);
                    result.Pages++;
                    continue;
                }

                if (body.ResourceType == query.ResourceType && query.ResourceType == "Patient")
                {
                    result.Resources.Add(body.Root);
                    return budget.TryTake(1) ? result : Fail(result, linked, $"more than {_options.MaxResources} resources");
                }

                return Fail(result, linked, "the answer was not a " + (query.ResourceType == "Patient" ? "Patient" : "search Bundle"));
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            result.Cancelled = true;
            return Fail(result, linked, "cancelled");
        }
#pragma warning disable CA1031 // Any other failure (transport, Polly timeout, oversized body, malformed link) is a 412, never a 500.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            FhirLog.QueryFailed(_logger, query.Key, ex.GetType().Name, null);
            return Fail(result, linked, "the server failed or answered something unreadable");
        }
    }

    /// <summary>
    /// One GET. The bearer token goes on this request only, and every URL asked here is the allowlisted base or a
    /// paging link checked to be under it (CDS Hooks 2.0 §FHIR Resource Access; no redirect is followed).
    /// </summary>
    private static async Task<Answer> GetAsync(HttpClient http, Uri url, string? accessToken, CancellationToken token)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Accept.Add(FhirJsonMediaType);
        if (!string.IsNullOrEmpty(accessToken))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        // The whole body is buffered within MaxResponseContentBufferSize (HttpRequestException beyond it).
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return new Answer(default, status, AnswerError.Http);
        }

        var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        return FhirAnswer.TryRead(body, out var answer) ? new Answer(answer, status, null) : new Answer(default, status, AnswerError.Unreadable);
    }

    private QueryResult Fail(QueryResult result, CancellationTokenSource linked, string key, AnswerError error, int status)
    {
        if (error == AnswerError.Unreadable)
        {
            // A 2xx body that is not FHIR JSON (HTML from a gateway, truncated JSON): "HTTP 200" would send the
            // integrator looking for an error that is not there.
            FhirLog.QueryFailed(_logger, key, "unreadable body", status);
            return Fail(result, linked, "the server failed or answered something unreadable");
        }

        // Any non-2xx, an OperationOutcome body included: its text is the server's, never shown or logged (it may
        // hold PHI); the status code says enough.
        FhirLog.QueryFailed(_logger, key, "HTTP error", status);
        return Fail(result, linked, $"HTTP {status}");
    }

    private static QueryResult Fail(QueryResult result, CancellationTokenSource linked, string error)
    {
        result.Error = error;
        result.Resources.Clear();

        // One failed required query fails the call: stop the others now instead of waiting out the deadline. An
        // optional one fails alone.
        if (result.Required && !linked.IsCancellationRequested)
        {
            linked.Cancel();
        }

        return result;
    }

    private static string Render(string template, HookRequest request)
    {
        var rendered = template.Replace(PrefetchCatalog.PatientToken, Uri.EscapeDataString(request.PatientId), StringComparison.Ordinal);
        if (rendered.Contains(PrefetchCatalog.UserPractitionerToken, StringComparison.Ordinal))
        {
            var user = request.UserId ?? string.Empty;
            var id = user.StartsWith("Practitioner/", StringComparison.Ordinal) ? user["Practitioner/".Length..] : user;
            rendered = rendered.Replace(PrefetchCatalog.UserPractitionerToken, Uri.EscapeDataString(id), StringComparison.Ordinal);
        }

        return rendered;
    }

    private sealed class QueryResult(string key, bool required)
    {
        public string Key { get; } = key;

        public bool Required { get; } = required;

        public List<JsonElement> Resources { get; } = [];

        public int Pages { get; set; }

        public string? Error { get; set; }

        public bool Cancelled { get; set; }
    }

    private enum AnswerError
    {
        Http,
        Unreadable,
    }

    private readonly record struct Answer(FhirAnswer Body, int Status, AnswerError? Error);

    private sealed class FetchBudget(int remaining)
    {
        private int _remaining = remaining;

        public bool TryTake(int count) => Interlocked.Add(ref _remaining, -count) >= 0;
    }
}
