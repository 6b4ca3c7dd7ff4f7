using System.Collections.Frozen;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CdsService.Cards;
using CdsService.Clinical.Hypogonadism;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Fhir.Data;
using CdsService.Fhir.Prefetch;
using CdsService.LoadTool;
using CdsService.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.Benchmarks.Pipeline;

/// <summary>
/// The in-process part of the load benchmark's case 3 (docs/performance.md), one stage at a time, on the same synthetic patient
/// (tests/load/LoadTool/BenchPatient.cs: 60 Observations, 10 Conditions, 5 MedicationRequests) and the same request
/// body (ExampleRequestBuilder, full prefetch, testosterone cypionate drafted). What the HTTP host adds on top (Kestrel,
/// JWT validation, body read, serialisation) is what tests/load/run.sh measures against this.
/// Run: dotnet run -c Release --project tests/CdsService.Benchmarks --artifacts-path /tmp/art-x -- --filter '*HookPathBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class HookPathBenchmarks
{
    private static readonly CallerTrust Caller = new("https://load-bench.ehr.example.org", null, []);

    private byte[] _body = null!;
    private HookRequest _request = null!;
    private FhirPatientDataSource _source = null!; // reads the draft orders from the context itself
    private HypogonadismAssessor _assessor = null!;
    private CardComposer _composer = null!;
    private PatientSnapshot _snapshot = null!;
    private Assessment _assessment = null!;
    private CdsResponse _response = null!;

    // As the Api writes it (Json/CdsJson): optional members without a value are left out (CDS Hooks 2.0).
    private static readonly JsonSerializerOptions ResponseJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    [GlobalSetup]
    public async Task Setup()
    {
        _body = OrderSignBody(TimeProvider.System.GetUtcNow());
        _request = Request(JsonDocument.Parse(_body).RootElement);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFhirDataLayer(new ConfigurationBuilder().Build());
        services.AddHypogonadismCards(new ConfigurationBuilder().Build());
        var provider = services.BuildServiceProvider();
        _source = (FhirPatientDataSource)provider.GetRequiredService<IPatientDataSource>();
        _composer = provider.GetRequiredService<CardComposer>();
        _assessor = new HypogonadismAssessor(ClinicalThresholds.Default, TimeProvider.System);

        _snapshot = (await _source.LoadAsync(_request, Caller, CancellationToken.None)).Snapshot
            ?? throw new InvalidOperationException("The benchmark prefetch did not map.");
        if (_snapshot.Labs.Length < 50)
        {
            throw new InvalidOperationException($"Only {_snapshot.Labs.Length} laboratory results were mapped.");
        }

        _assessment = _assessor.Assess(_snapshot);
        _response = _composer.Compose(CardRequest());
    }

    [Benchmark(Description = "parse request JSON (56 KB body)")]
    public int ParseBody()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "prefetch -> snapshot (LoadAsync)")]
    public async Task<int> MapPrefetch() =>
        (await _source.LoadAsync(_request, Caller, CancellationToken.None)).Snapshot!.Labs.Length;

    [Benchmark(Description = "assess")]
    public int Assess() => _assessor.Assess(_snapshot).MonitoringPlan.Length;

    [Benchmark(Description = "compose cards")]
    public int Compose() => _composer.Compose(CardRequest()).Cards.Count;

    [Benchmark(Description = "serialise response")]
    public int Serialise() => JsonSerializer.SerializeToUtf8Bytes(_response, ResponseJson).Length;

    /// <summary>Case 3's body: the benchmark patient's order-sign with a testosterone draft and full prefetch (56 KB).</summary>
    internal static byte[] OrderSignBody(DateTimeOffset now) =>
        JsonSerializer.SerializeToUtf8Bytes(HookRequests.For(BenchPatient.Build(now))
            .Hook(HookKind.OrderSign, ExampleDraftOrder.TestosteroneCypionate)
            .At(now, shiftDates: false)
            .Build().Body);

    private CardRequest CardRequest() => new()
    {
        Hook = HookKind.OrderSign,
        HookInstance = "bench",
        PatientId = BenchPatient.PatientId,
        Assessment = _assessment,
        Snapshot = _snapshot,
        RequestBaseUrl = new Uri("http://127.0.0.1:5000/"),
    };

    /// <summary>The hook request the pipeline builds from an order-sign body (shared with the other benchmarks).</summary>
    internal static HookRequest Request(JsonElement body)
    {
        var prefetch = body.GetProperty("prefetch");
        return new HookRequest
        {
            ServiceId = "hypogonadism-order-sign",
            Hook = HookKind.OrderSign,
            HookInstance = body.GetProperty("hookInstance").GetString()!,
            PatientId = BenchPatient.PatientId,
            Context = body.GetProperty("context"),
            Prefetch = PrefetchCatalog.All.ToFrozenDictionary(
                q => q.Key,
                q => prefetch.TryGetProperty(q.Key, out var value) && value.ValueKind == JsonValueKind.Object
                    ? new PrefetchEntry(PrefetchState.Present, value)
                    : PrefetchEntry.Absent,
                StringComparer.Ordinal),
        };
    }
}
