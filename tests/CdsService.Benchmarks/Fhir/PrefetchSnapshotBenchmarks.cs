using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CdsService.Benchmarks.Pipeline;
using CdsService.Fhir.Data;
using CdsService.Fhir.Mapping;
using CdsService.Fhir.Prefetch;
using CdsService.Fhir.Terminology;
using CdsService.LoadTool;
using CdsService.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.Benchmarks.Fhir;

/// <summary>
/// The "prefetch → snapshot" stage of the load benchmark's case 3 (HookPathBenchmarks.MapPrefetch) split into
/// its parts, on the same synthetic patient and request body, so an allocation can be traced to the part that makes it:
/// gathering the prefetch into the resource set, mapping the set to the snapshot, and reading the draft orders.
/// Run: dotnet run -c Release --project tests/CdsService.Benchmarks --artifacts-path /tmp/art-x -- --filter '*PrefetchSnapshotBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class PrefetchSnapshotBenchmarks
{
    private static readonly CallerTrust Caller = new("https://load-bench.ehr.example.org", null, []);

    private HookRequest _request = null!;
    private JsonElement[] _prefetchValues = null!;
    private FhirResourceSet _resources = null!;
    private FhirPatientDataSource _source = null!; // reads the draft orders from the context itself
    private SnapshotMapper _mapper = null!;
    private DraftOrderReader _draftOrders = null!;

    [GlobalSetup]
    public void Setup()
    {
        var body = JsonDocument.Parse(HookPathBenchmarks.OrderSignBody(TimeProvider.System.GetUtcNow())).RootElement;
        _request = HookPathBenchmarks.Request(body);
        _prefetchValues = [.. PrefetchCatalog.All
            .Where(q => _request.Prefetch[q.Key].State == PrefetchState.Present)
            .Select(q => _request.Prefetch[q.Key].Value)];

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFhirDataLayer(new ConfigurationBuilder().Build());
        var provider = services.BuildServiceProvider();
        _source = (FhirPatientDataSource)provider.GetRequiredService<IPatientDataSource>();
        _draftOrders = provider.GetRequiredService<DraftOrderReader>();
        _mapper = new SnapshotMapper(TerminologyCatalog.Default);
        _resources = Gather();
        if (Map() < 50)
        {
            throw new InvalidOperationException("The benchmark prefetch did not map to the expected laboratory results.");
        }
    }

    [Benchmark(Description = "prefetch -> resource set")]
    public int BuildResourceSet() => Gather().ResourcesRead;

    [Benchmark(Description = "resource set -> snapshot")]
    public int Map() => _mapper.Map(_resources, BenchPatient.PatientId, []).Labs.Length;

    [Benchmark(Description = "draft orders")]
    public int ReadDraftOrders() => _draftOrders.Read(_request.Hook, _request.Context).Length;

    [Benchmark(Description = "prefetch -> snapshot (LoadAsync)")]
    public async Task<int> Load() =>
        (await _source.LoadAsync(_request, Caller, CancellationToken.None)).Snapshot!.Labs.Length;

    // As FhirPatientDataSource.LoadAsync does it: sized from the entry count, then every present key added.
    private FhirResourceSet Gather()
    {
        var expected = 0;
        foreach (var value in _prefetchValues)
        {
            expected += FhirResourceSet.EntryCount(value);
        }

        var set = new FhirResourceSet(expected);
        foreach (var value in _prefetchValues)
        {
            set.AddJson(value);
        }

        return set;
    }
}
