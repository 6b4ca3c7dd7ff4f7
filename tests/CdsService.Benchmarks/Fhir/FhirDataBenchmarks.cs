using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CdsService.Fhir.Data;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Prefetch;
using CdsService.Fhir.Terminology;
using CdsService.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.Benchmarks.Fhir;

/// <summary>
/// Benchmarks of the FHIR data layer (docs/performance.md): (1) parse and map a prefetch of 60 Observations; (2) the fetch path with every prefetch key
/// missing against a FHIR server that answers each query after 100 ms; the goal is under 1.5× one round trip,
/// which only holds if the queries really run in parallel.
/// Run: dotnet run -c Release --project tests/CdsService.Benchmarks --artifacts-path /tmp/art-x -- --filter '*FhirDataBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class FhirDataBenchmarks
{
    private const string PatientId = "bench-1";
    private static readonly Uri Server = new("https://ehr.example.org/fhir");
    private static readonly CallerTrust Caller = new("https://ehr.example.org", null, [Server]);

    private JsonElement _hormoneLabs;
    private HookRequest _fullPrefetch = null!;
    private HookRequest _noPrefetch = null!;
    private FhirPatientDataSource _source = null!;
    private FhirPatientDataSource _instantSource = null!;
    private SnapshotMapper _mapper = null!;

    [GlobalSetup]
    public void Setup()
    {
        var observations = Enumerable.Range(0, 60).Select(i => Observation(i));
        var bundle = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[" + string.Join(",", observations.Select(o => "{\"resource\":" + o + "}")) + "]}";
        _hormoneLabs = JsonDocument.Parse(bundle).RootElement.Clone();
        _mapper = new SnapshotMapper(TerminologyCatalog.Default);

        var patient = "{\"resourceType\":\"Patient\",\"id\":\"" + PatientId + "\",\"gender\":\"male\",\"birthDate\":\"1980-01-01\"}";
        var empty = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}";
        var full = new Dictionary<string, string>
        {
            [PrefetchCatalog.PatientKey] = patient,
            [PrefetchCatalog.HormoneLabsKey] = bundle,
            [PrefetchCatalog.SafetyLabsKey] = empty,
            [PrefetchCatalog.ConditionsKey] = empty,
            [PrefetchCatalog.MedicationRequestsKey] = empty,
            [PrefetchCatalog.MedicationStatementsKey] = empty,
            [PrefetchCatalog.FertilityIntentKey] = empty,
        };
        _fullPrefetch = Request(full);
        _noPrefetch = Request([]);

        _source = Source(() => new DelayedFhirServer(TimeSpan.FromMilliseconds(100), full));
        _instantSource = Source(() => new DelayedFhirServer(TimeSpan.Zero, full));
    }

    /// <summary>The concrete source, whose LoadAsync(request, caller, token) reads the draft orders from the context itself.</summary>
    private static FhirPatientDataSource Source(Func<HttpMessageHandler> server)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFhirDataLayer(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fhir:Deadline"] = "00:00:05",
            ["Fhir:AttemptTimeout"] = "00:00:02",
        }).Build());
        services.AddHttpClient(FhirPatientDataSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(server);
        return (FhirPatientDataSource)services.BuildServiceProvider().GetRequiredService<IPatientDataSource>();
    }

    [Benchmark(Description = "parse+map 60 Observations (internal mapper)")]
    public int ParseAndMap60Observations()
    {
        var set = new FhirResourceSet();
        set.AddJson(_hormoneLabs);
        return _mapper.Map(set, PatientId, []).Labs.Length;
    }

    [Benchmark(Description = "LoadAsync, full prefetch with 60 Observations")]
    public async Task<int> LoadFullPrefetch() => Labs(await _source.LoadAsync(_fullPrefetch, Caller, CancellationToken.None));

    [Benchmark(Description = "LoadAsync, all 7 keys fetched, 100 ms per query")]
    public async Task<int> LoadAllKeysFetched() => Labs(await _source.LoadAsync(_noPrefetch, Caller, CancellationToken.None));

    // The same fetch against a server that answers at once: what is left is this service's own cost of reading the
    // answers (HTTP pipeline, parsing, mapping), which the 100 ms round trips above hide.
    [Benchmark(Description = "LoadAsync, all 7 keys fetched, instant server")]
    public async Task<int> LoadAllKeysFetchedInstant() => Labs(await _instantSource.LoadAsync(_noPrefetch, Caller, CancellationToken.None));

    private static int Labs(PatientDataOutcome outcome) =>
        outcome.Snapshot?.Labs.Length ?? throw new InvalidOperationException(outcome.FailureMessage);

    private static string Observation(int i)
    {
        var (code, value, unit) = (i % 4) switch
        {
            0 => ("2986-8", 250 + i, "ng/dL"),
            1 => ("14913-8", 8 + (i % 5), "nmol/L"),
            2 => ("10501-5", 3 + (i % 7), "m[IU]/mL"),
            _ => ("13967-5", 20 + i, "nmol/L"),
        };
        var day = 1 + (i % 28);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"resourceType\":\"Observation\",\"id\":\"o{i}\",\"status\":\"final\",\"category\":[{{\"coding\":[{{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}}]}}],\"code\":{{\"coding\":[{{\"system\":\"http://loinc.org\",\"code\":\"{code}\",\"display\":\"lab\"}}]}},\"subject\":{{\"reference\":\"Patient/{PatientId}\"}},\"effectiveDateTime\":\"2026-09-{day:00}T08:15:00-05:00\",\"issued\":\"2026-09-{day:00}T12:00:00-05:00\",\"valueQuantity\":{{\"value\":{value},\"unit\":\"{unit}\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"{unit}\"}},\"referenceRange\":[{{\"low\":{{\"value\":264,\"unit\":\"ng/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"ng/dL\"}},\"high\":{{\"value\":916,\"unit\":\"ng/dL\",\"system\":\"http://unitsofmeasure.org\",\"code\":\"ng/dL\"}}}}]}}");
    }

    private static HookRequest Request(Dictionary<string, string> prefetch) => new()
    {
        ServiceId = "hypogonadism-patient-view",
        Hook = HookKind.PatientView,
        HookInstance = "bench",
        PatientId = PatientId,
        FhirServer = Server,
        FhirAccessToken = "bench-token",
        Context = JsonDocument.Parse("{\"patientId\":\"" + PatientId + "\"}").RootElement.Clone(),
        Prefetch = PrefetchCatalog.All.ToFrozenDictionary(
            q => q.Key,
            q => prefetch.TryGetValue(q.Key, out var json)
                ? new PrefetchEntry(PrefetchState.Present, JsonDocument.Parse(json).RootElement.Clone())
                : PrefetchEntry.Absent,
            StringComparer.Ordinal),
    };

    /// <summary>A FHIR server that answers every query after a fixed delay (one simulated round trip).</summary>
    private sealed class DelayedFhirServer(TimeSpan delay, Dictionary<string, string> data) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            var path = request.RequestUri!.AbsolutePath;
            var query = Uri.UnescapeDataString(request.RequestUri.Query);
            var body = path.Contains("/Patient/", StringComparison.Ordinal) ? data[PrefetchCatalog.PatientKey]
                : path.EndsWith("/Observation", StringComparison.Ordinal) && query.Contains("2986-8", StringComparison.Ordinal) ? data[PrefetchCatalog.HormoneLabsKey]
                : data[PrefetchCatalog.SafetyLabsKey];
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/fhir+json") };
        }
    }
}
