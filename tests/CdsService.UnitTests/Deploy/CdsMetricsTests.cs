using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using CdsService.Api.Telemetry;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.UnitTests.Deploy;

public sealed class CdsMetricsTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly MetricRecorder _recorder;
    private readonly CdsMetrics _metrics;

    public CdsMetricsTests()
    {
        _services = new ServiceCollection().AddMetrics().AddSingleton<CdsMetrics>().BuildServiceProvider();
        var factory = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _recorder = new MetricRecorder(factory, CdsTelemetry.SourceName);
        _metrics = _services.GetRequiredService<CdsMetrics>();
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void GivenAKnownService_WhenAHookCallIsRecorded_ThenLatencyCarriesServiceHookAndStatusOnly()
    {
        _metrics.RecordHookCall("hypogonadism-order-sign", 412, TimeSpan.FromMilliseconds(250));

        var m = Assert.Single(_recorder.For("cds.hook.duration"));
        Assert.Equal(0.25, m.Value, 6);
        Assert.Equal("hypogonadism-order-sign", m.Tags[CdsTelemetry.ServiceIdTag]);
        Assert.Equal("order-sign", m.Tags[CdsTelemetry.HookTag]);
        Assert.Equal(412, m.Tags[CdsTelemetry.StatusCodeTag]);
        Assert.Equal(3, m.Tags.Count);
    }

    [Fact]
    public void GivenAnArbitraryServiceIdFromTheUrl_WhenRecorded_ThenItIsReportedAsUnknown()
    {
        // A caller controls the path; an unbounded label would let it create unlimited time series (or smuggle text).
        _metrics.RecordHookCall("Patient-123-Smith", 404, TimeSpan.FromMilliseconds(1));

        var m = Assert.Single(_recorder.For("cds.hook.duration"));
        Assert.Equal(CdsTelemetry.UnknownValue, m.Tags[CdsTelemetry.ServiceIdTag]);
        Assert.Equal(CdsTelemetry.UnknownValue, m.Tags[CdsTelemetry.HookTag]);
    }

    [Theory]
    [InlineData(401, 1)]
    [InlineData(412, 1)]
    [InlineData(429, 1)]
    [InlineData(200, 0)]
    [InlineData(400, 0)]
    [InlineData(500, 0)]
    public void GivenAStatusCode_WhenRecordedAsRejection_ThenOnly401412And429AreCounted(int status, int expected)
    {
        _metrics.RecordRejection(status, "hook", "hypogonadism-patient-view");

        Assert.Equal(expected, _recorder.For("cds.requests.rejected").Count);
    }

    [Fact]
    public void GivenCardsOfMixedIndicators_WhenRecorded_ThenCountedPerIndicator()
    {
        Card[] cards = [MakeCard(CardIndicator.Critical), MakeCard(CardIndicator.Warning), MakeCard(CardIndicator.Warning)];

        _metrics.RecordCards("hypogonadism-order-sign", cards);

        var byIndicator = _recorder.For("cds.cards").ToDictionary(m => (string)m.Tags[CdsTelemetry.IndicatorTag]!, m => m.Value);
        Assert.Equal(1, byIndicator["critical"]);
        Assert.Equal(2, byIndicator["warning"]);
        Assert.False(byIndicator.ContainsKey("info"));
    }

    [Theory]
    [InlineData(6, 0, "complete")]
    [InlineData(3, 3, "partial")]
    [InlineData(0, 6, "none")]
    public void GivenAPrefetch_WhenRecorded_ThenCompletenessIsClassified(int answered, int missing, string expected)
    {
        var prefetch = BuildPrefetch(answered, missing);

        _metrics.RecordPrefetch("hypogonadism-order-sign", prefetch);

        var m = Assert.Single(_recorder.For("cds.prefetch.requests"));
        Assert.Equal(expected, m.Tags[CdsTelemetry.CompletenessTag]);
        Assert.Equal(answered + missing, _recorder.For("cds.prefetch.keys").Count);
    }

    [Fact]
    public void GivenAnOperationOutcomeInPrefetch_WhenRecorded_ThenItCountsAsNotAnswered()
    {
        // Spec 2.0: an OperationOutcome in a prefetch key means the EHR's query failed; the service must fetch.
        var prefetch = DeclaredKeys.ToFrozenDictionary(
            k => k,
            k => k == PrefetchCatalog.PatientKey ? new PrefetchEntry(PrefetchState.OperationOutcome, default) : new PrefetchEntry(PrefetchState.Null, default));

        Assert.Equal(PrefetchCompleteness.Partial, _metrics.RecordPrefetch("hypogonadism-patient-view", prefetch));
        var states = _recorder.For("cds.prefetch.keys").Select(m => m.Tags[CdsTelemetry.PrefetchStateTag]).ToList();
        Assert.Contains("operation-outcome", states);
    }

    [Theory]
    [InlineData("hormoneLabs", "hormoneLabs")]
    [InlineData("Patient/123", "unknown")]
    [InlineData("", "unknown")]
    [InlineData("aVeryLongKeyThatNoDeclarationWouldEverUseAtAll", "unknown")]
    public void GivenAPrefetchKey_WhenNormalised_ThenOnlyIdentifierShapedKeysSurvive(string key, string expected)
    {
        Assert.Equal(expected, CdsTelemetry.NormalizePrefetchKey(key));
    }

    [Fact]
    public async Task GivenTheFhirLayerFails_WhenLoadedThroughTheDecorator_ThenFailureIsCountedAndTheOutcomePassesThrough()
    {
        var failure = PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerFailed, "timeout");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var decorated = new InstrumentedPatientDataSource(new StubSource(failure, time, TimeSpan.FromMilliseconds(1500)), _metrics, time);

        var outcome = await decorated.LoadAsync(MakeRequest(), Caller, [], TestContext.Current.CancellationToken);

        Assert.Same(failure, outcome);
        var duration = Assert.Single(_recorder.For("cds.fhir.fetch.duration"));
        Assert.Equal(1.5, duration.Value, 6);
        Assert.Equal("fhir-server-failed", duration.Tags[CdsTelemetry.OutcomeTag]);
        Assert.Single(_recorder.For("cds.fhir.fetch.failures"));
        Assert.Single(_recorder.For("cds.prefetch.requests"));
    }

    [Fact]
    public async Task GivenTheFhirLayerThrows_WhenLoadedThroughTheDecorator_ThenTheExceptionPropagatesAndIsCountedAsFailure()
    {
        var decorated = new InstrumentedPatientDataSource(new ThrowingSource(), _metrics, TimeProvider.System);

        await Assert.ThrowsAsync<HttpRequestException>(
            () => decorated.LoadAsync(MakeRequest(), Caller, [], TestContext.Current.CancellationToken));

        Assert.Single(_recorder.For("cds.fhir.fetch.failures"));
    }

    [Fact]
    public void GivenARegisteredDataSource_WhenDecorated_ThenResolvingReturnsTheInstrumentedWrapperAroundIt()
    {
        var services = new ServiceCollection().AddMetrics().AddSingleton<CdsMetrics>().AddSingleton(TimeProvider.System);
        services.AddScoped<IPatientDataSource, ThrowingSource>();

        services.DecoratePatientDataSourceWithTelemetry();

        using var provider = services.BuildServiceProvider();
        using var scope = provider.CreateScope();
        Assert.IsType<InstrumentedPatientDataSource>(scope.ServiceProvider.GetRequiredService<IPatientDataSource>());
        Assert.Equal(ServiceLifetime.Scoped, services.Single(d => d.ServiceType == typeof(IPatientDataSource)).Lifetime);
    }

    [Fact]
    public void GivenNoDataSource_WhenDecorated_ThenItFailsLoudly()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().DecoratePatientDataSourceWithTelemetry());
    }

    private static readonly CallerTrust Caller = new("https://ehr.example.org", null, []);

    // The declared keys, by constant: the tests must not depend on the FHIR layer loading its catalogue.
    private static readonly string[] DeclaredKeys =
    [
        PrefetchCatalog.PatientKey, PrefetchCatalog.HormoneLabsKey, PrefetchCatalog.SafetyLabsKey,
        PrefetchCatalog.ConditionsKey, PrefetchCatalog.MedicationRequestsKey, PrefetchCatalog.FertilityIntentKey,
    ];

    private static FrozenDictionary<string, PrefetchEntry> BuildPrefetch(int answered, int missing)
    {
        Assert.Equal(DeclaredKeys.Length, answered + missing);
        return DeclaredKeys.Select((k, i) => (k, e: i < answered ? new PrefetchEntry(PrefetchState.Null, default) : PrefetchEntry.Absent))
            .ToFrozenDictionary(x => x.k, x => x.e);
    }

    private static HookRequest MakeRequest() => new()
    {
        ServiceId = "hypogonadism-order-sign",
        Hook = HookKind.OrderSign,
        HookInstance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        PatientId = "example",
        Context = JsonDocument.Parse("{}").RootElement,
        Prefetch = BuildPrefetch(0, DeclaredKeys.Length),
    };

    private static Card MakeCard(CardIndicator indicator) => new()
    {
        Summary = "s",
        Indicator = indicator,
        Source = new CardSource { Label = "test" },
    };

    private sealed class StubSource(PatientDataOutcome outcome, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan takes) : IPatientDataSource
    {
        public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken)
        {
            time.Advance(takes);
            return Task.FromResult(outcome);
        }
    }

    private sealed class ThrowingSource : IPatientDataSource
    {
        public Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken) =>
            throw new HttpRequestException("connection refused");
    }
}
