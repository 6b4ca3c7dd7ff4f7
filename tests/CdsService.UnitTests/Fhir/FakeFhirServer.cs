using System.Collections.Concurrent;
using System.Net;
using System.Text;
using CdsService.Clinical.Model;
using CdsService.Fhir.Prefetch;

namespace CdsService.UnitTests.Fhir;

/// <summary>
/// An in-process FHIR server behind an <see cref="HttpMessageHandler"/>: answers the service's queries from a
/// scenario keyed like the prefetch, records every request (URL and Authorization header) and how many were in
/// flight at once, and can be told to be slow, fail or answer garbage.
/// </summary>
internal sealed class FakeFhirServer : HttpMessageHandler
{
    public const string Base = "https://ehr.example.org/fhir";

    private readonly IReadOnlyDictionary<string, string> _data;
    private int _inFlight;
    private int _maxInFlight;

    public FakeFhirServer(IReadOnlyDictionary<string, string>? data = null)
    {
        _data = data ?? FhirTestData.Scenario();
    }

    public ConcurrentQueue<(Uri Url, string? Authorization)> Requests { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Delay before answering (a slow server).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Replaces the normal answer for requests whose prefetch key matches (or every request when the key is "*").</summary>
    public Func<string, HttpRequestMessage, HttpResponseMessage?>? Override { get; set; }

    /// <summary>When set, answers wait until this many requests are in flight at once (or 3 s pass): proves parallelism.</summary>
    public int? WaitForConcurrent { get; set; }

    public static string KeyFor(Uri url)
    {
        var path = url.AbsolutePath;
        var query = Uri.UnescapeDataString(url.Query);
        return path switch
        {
            _ when path.Contains("/Patient/", StringComparison.Ordinal) => PrefetchCatalog.PatientKey,
            _ when path.EndsWith("/Condition", StringComparison.Ordinal) => PrefetchCatalog.ConditionsKey,
            _ when path.EndsWith("/MedicationRequest", StringComparison.Ordinal) => PrefetchCatalog.MedicationRequestsKey,
            _ when path.EndsWith("/MedicationStatement", StringComparison.Ordinal) => PrefetchCatalog.MedicationStatementsKey,
            _ when path.EndsWith("/FamilyMemberHistory", StringComparison.Ordinal) => PrefetchCatalog.FamilyHistoryKey,
            _ when query.Contains(Loinc.PregnancyIntention, StringComparison.Ordinal) => PrefetchCatalog.FertilityIntentKey,
            _ when query.Contains(Loinc.Hematocrit, StringComparison.Ordinal) => PrefetchCatalog.SafetyLabsKey,
            _ when path.EndsWith("/Observation", StringComparison.Ordinal) => PrefetchCatalog.HormoneLabsKey,
            _ => "unknown",
        };
    }

    public static HttpResponseMessage Json(string body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };

    public int RequestsFor(string key) => Requests.Count(r => KeyFor(r.Url) == key);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue((request.RequestUri!, request.Headers.Authorization?.ToString()));
        var now = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, now);
        try
        {
            if (WaitForConcurrent is { } expected)
            {
                var waiting = System.Diagnostics.Stopwatch.StartNew();
                while (Volatile.Read(ref _maxInFlight) < expected && waiting.Elapsed < TimeSpan.FromSeconds(3))
                {
                    await Task.Delay(5, cancellationToken);
                }
            }

            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            var key = KeyFor(request.RequestUri!);
            if (Override?.Invoke(key, request) is { } overridden)
            {
                return overridden;
            }

            return _data.TryGetValue(key, out var body)
                ? Json(body)
                : Json("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-found"}]}""", HttpStatusCode.NotFound);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
