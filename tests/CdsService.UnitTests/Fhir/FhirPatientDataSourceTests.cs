using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using CdsService.Fhir.Data;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static CdsService.UnitTests.Fhir.FhirTestData;

namespace CdsService.UnitTests.Fhir;

public sealed class FhirPatientDataSourceTests
{
    private static readonly CallerTrust Caller = new("https://ehr.example.org", null, [new Uri(FakeFhirServer.Base)]);
    private static readonly Uri Server = new(FakeFhirServer.Base);

    private static Dictionary<string, string?> FullPrefetch() =>
        Scenario().ToDictionary(p => p.Key, p => (string?)p.Value);

    // The concrete source: its LoadAsync(request, caller, token) reads the draft orders from the request's context itself.
    private static (FhirPatientDataSource Source, LogCapture Logs) Create(FakeFhirServer fake, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Fhir:Deadline"] = "00:00:02", ["Fhir:AttemptTimeout"] = "00:00:01" };
        foreach (var (key, value) in settings)
        {
            values["Fhir:" + key] = value;
        }

        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddFhirDataLayer(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddHttpClient(FhirPatientDataSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => fake);
        return ((FhirPatientDataSource)services.BuildServiceProvider().GetRequiredService<IPatientDataSource>(), logs);
    }

    [Fact]
    public async Task GivenFullPrefetch_WhenLoaded_ThenNoRequestIsMadeAndEverythingIsMapped()
    {
        var fake = new FakeFhirServer();
        var (source, _) = Create(fake);

        var outcome = await source.LoadAsync(Request(FullPrefetch(), Server), Caller, TestContext.Current.CancellationToken);

        var snapshot = Assert.IsType<CdsService.Clinical.Model.PatientSnapshot>(outcome.Snapshot);
        Assert.Empty(fake.Requests);
        Assert.Equal(6, snapshot.Labs.Length);
        Assert.Contains(snapshot.Medications, m => m.Class == CdsService.Clinical.Model.MedicationClass.Testosterone);
        Assert.Contains(snapshot.Medications, m => m.Class == CdsService.Clinical.Model.MedicationClass.AromataseInhibitor);
        Assert.Single(snapshot.FertilityIntents);
        Assert.Contains(snapshot.Conditions, c => c.Kind == CdsService.Clinical.Model.ConditionKind.SecondaryHypogonadismCause);
        var relative = Assert.Single(snapshot.FamilyHistory);
        Assert.Equal(("FTH", CdsService.Clinical.Model.ConditionKind.ProstateCancer), (relative.Relationship, relative.Kind));
    }

    [Fact]
    public async Task GivenFullPartialAndNoPrefetch_WhenLoaded_ThenTheSnapshotsAreIdentical()
    {
        var token = TestContext.Current.CancellationToken;
        var full = await Create(new FakeFhirServer()).Source.LoadAsync(Request(FullPrefetch(), Server), Caller, token);

        var partialPrefetch = FullPrefetch().Where(p => p.Key is not (PrefetchCatalog.HormoneLabsKey or PrefetchCatalog.ConditionsKey))
            .ToDictionary(p => p.Key, p => p.Value);
        partialPrefetch[PrefetchCatalog.PatientKey] = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden"}]}""";
        var partialServer = new FakeFhirServer();
        var partial = await Create(partialServer).Source.LoadAsync(Request(partialPrefetch, Server), Caller, token);

        var noneServer = new FakeFhirServer();
        var none = await Create(noneServer).Source.LoadAsync(Request(null, Server), Caller, token);

        Assert.NotNull(full.Snapshot);
        Assert.Equal(SnapshotMappingTests.SnapshotJson(full.Snapshot), SnapshotMappingTests.SnapshotJson(partial.Snapshot!));
        Assert.Equal(SnapshotMappingTests.SnapshotJson(full.Snapshot), SnapshotMappingTests.SnapshotJson(none.Snapshot!));
        Assert.Equal(
            [PrefetchCatalog.ConditionsKey, PrefetchCatalog.HormoneLabsKey, PrefetchCatalog.PatientKey],
            partialServer.Requests.Select(r => FakeFhirServer.KeyFor(r.Url)).Order(StringComparer.Ordinal));
        Assert.Equal(PrefetchCatalog.All.Count, noneServer.Requests.Count);
    }

    [Fact]
    public async Task GivenOperationOutcomeInPrefetch_WhenLoaded_ThenFetchedAndLoggedWithoutContent()
    {
        var prefetch = FullPrefetch().ToDictionary(p => p.Key, p => p.Value);
        prefetch[PrefetchCatalog.SafetyLabsKey] = """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception","diagnostics":"secret detail"}]}""";
        var fake = new FakeFhirServer();
        var (source, logs) = Create(fake);

        var outcome = await source.LoadAsync(Request(prefetch, Server), Caller, TestContext.Current.CancellationToken);

        Assert.NotNull(outcome.Snapshot);
        Assert.Equal(PrefetchCatalog.SafetyLabsKey, FakeFhirServer.KeyFor(Assert.Single(fake.Requests).Url));
        Assert.Contains(logs.Events, e => e.EventId == 4001 && e.Message.Contains("safetyLabs", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Events, e => e.Message.Contains("secret detail", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenFetch_WhenLoaded_ThenBearerTokenSentAndNeverLogged()
    {
        var fake = new FakeFhirServer();
        var (source, logs) = Create(fake);

        await source.LoadAsync(Request(null, Server, token: "tok-123"), Caller, TestContext.Current.CancellationToken);

        Assert.All(fake.Requests, r => Assert.Equal("Bearer tok-123", r.Authorization));
        Assert.All(fake.Requests, r => Assert.StartsWith(FakeFhirServer.Base + "/", r.Url.AbsoluteUri, StringComparison.Ordinal));
        Assert.NotEmpty(logs.Events);
        Assert.DoesNotContain(logs.Events, e => e.Message.Contains("tok-123", StringComparison.Ordinal)
            || e.Message.Contains("Patient/" + PatientId, StringComparison.Ordinal)
            || e.Message.Contains("patient=" + PatientId, StringComparison.Ordinal)
            || e.Message.Contains("ehr.example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenNoPrefetchAndNoFhirServer_WhenLoaded_ThenMissingPrefetchNamesTheRequiredKeys()
    {
        var (source, _) = Create(new FakeFhirServer());

        var outcome = await source.LoadAsync(Request(null, fhirServer: null), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.MissingPrefetch, outcome.FailureKind);
        Assert.Equal(PrefetchCatalog.All.Where(q => q.RequiredForAssessment).Select(q => q.Key), outcome.MissingKeys);
        Assert.DoesNotContain(PrefetchCatalog.MedicationStatementsKey, outcome.MissingKeys);
    }

    [Fact]
    public async Task GivenOnlyTheOptionalKeyMissingAndNoFhirServer_WhenLoaded_ThenSuccess()
    {
        var prefetch = FullPrefetch().Where(p => p.Key != PrefetchCatalog.MedicationStatementsKey).ToDictionary(p => p.Key, p => p.Value);
        var (source, _) = Create(new FakeFhirServer());

        var outcome = await source.LoadAsync(Request(prefetch, fhirServer: null), Caller, TestContext.Current.CancellationToken);

        Assert.NotNull(outcome.Snapshot);
    }

    [Fact]
    public async Task GivenNullPrefetchKeys_WhenLoaded_ThenNoDataAndNoRequest()
    {
        var prefetch = FullPrefetch().ToDictionary(p => p.Key, p => p.Value);
        prefetch[PrefetchCatalog.ConditionsKey] = null;
        var fake = new FakeFhirServer();

        var outcome = await Create(fake).Source.LoadAsync(Request(prefetch, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Empty(outcome.Snapshot!.Conditions);
        Assert.Empty(fake.Requests);
    }

    [Theory]
    [InlineData("https://evil.test/fhir")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://ehr.example.org/fhir")]
    [InlineData("https://ehr.example.org/fhir-admin")]
    [InlineData("https://user@ehr.example.org/fhir")]
    public async Task GivenFhirServerNotAllowlisted_WhenLoaded_ThenRefusedWithoutAnyRequest(string fhirServer)
    {
        var fake = new FakeFhirServer();
        var (source, logs) = Create(fake);

        var outcome = await source.LoadAsync(Request(null, new Uri(fhirServer)), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerNotAllowed, outcome.FailureKind);
        Assert.Empty(fake.Requests);

        // The 412 names both halves: the keys that were missing, and why they were not fetched.
        var required = PrefetchCatalog.All.Where(q => q.RequiredForAssessment).Select(q => q.Key).ToList();
        Assert.Equal(required, outcome.MissingKeys);
        Assert.All(required, key => Assert.Contains(key, outcome.FailureMessage, StringComparison.Ordinal));
        Assert.Contains("no request was made", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(new Uri(fhirServer).Host, outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(logs.Events, e => e.EventId == 4002);
        Assert.DoesNotContain(logs.Events, e => e.Message.Contains(new Uri(fhirServer).Host, StringComparison.Ordinal) && e.EventId != 4002);
    }

    [Fact]
    public async Task GivenAllKeysMissing_WhenLoaded_ThenAllQueriesRunInParallel()
    {
        var fake = new FakeFhirServer { WaitForConcurrent = PrefetchCatalog.All.Count };
        var (source, _) = Create(fake, ("Deadline", "00:00:05"), ("AttemptTimeout", "00:00:04"));

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.NotNull(outcome.Snapshot);
        Assert.Equal(PrefetchCatalog.All.Count, fake.MaxInFlight);
    }

    [Fact]
    public async Task GivenResultsOnTwoPages_WhenLoaded_ThenNextLinkFollowedAndBothPagesUsed()
    {
        var fake = new FakeFhirServer
        {
            Override = (key, request) => key != PrefetchCatalog.HormoneLabsKey ? null
                : request.RequestUri!.Query.Contains("page=2", StringComparison.Ordinal)
                    ? FakeFhirServer.Json(Bundle(Observation("tt-old", "2986-8", 280m, "ng/dL", "\"effectiveDateTime\":\"2026-03-01T08:00:00Z\"")))
                    : FakeFhirServer.Json(Bundle([Observation("tt-new", "2986-8", 250m, "ng/dL")], nextUrl: FakeFhirServer.Base + "/Observation?patient=p1&page=2")),
        };

        var outcome = await Create(fake).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(["Observation/tt-new", "Observation/tt-old"], outcome.Snapshot!.Labs.Where(l => l.Code == "2986-8").Select(l => l.SourceId));
        Assert.Equal(2, fake.RequestsFor(PrefetchCatalog.HormoneLabsKey));
    }

    [Fact]
    public async Task GivenEndlessPaging_WhenLoaded_ThenFailsAtThePageLimit()
    {
        var page = 0;
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key != PrefetchCatalog.HormoneLabsKey ? null
                : FakeFhirServer.Json(Bundle([Observation("tt" + Interlocked.Increment(ref page), "2986-8", 250m, "ng/dL")], nextUrl: FakeFhirServer.Base + "/Observation?patient=p1&page=" + (page + 1))),
        };
        var (source, _) = Create(fake, ("MaxPages", "3"));

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.Contains("3 pages", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(3, fake.RequestsFor(PrefetchCatalog.HormoneLabsKey));
    }

    [Fact]
    public async Task GivenPagingLinkToAnotherHost_WhenLoaded_ThenFailsWithoutFollowingIt()
    {
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key != PrefetchCatalog.HormoneLabsKey ? null
                : FakeFhirServer.Json(Bundle([Observation("tt", "2986-8", 250m, "ng/dL")], nextUrl: "https://evil.test/fhir/Observation?page=2")),
        };

        var outcome = await Create(fake).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.DoesNotContain(fake.Requests, r => r.Url.Host == "evil.test");
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "HTTP 404")]
    [InlineData(HttpStatusCode.InternalServerError, "HTTP 500")]
    public async Task GivenTheOptionalQueryFails_WhenLoaded_ThenSuccessWithADataIssueNotA412(HttpStatusCode status, string reason)
    {
        // A server without MedicationStatement (Oracle Health Millennium R4) must not turn every call into a 412.
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.MedicationStatementsKey ? FakeFhirServer.Json("{}", status) : null,
        };
        var (source, logs) = Create(fake);

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        var snapshot = Assert.IsType<CdsService.Clinical.Model.PatientSnapshot>(outcome.Snapshot);
        var issue = Assert.Single(snapshot.DataIssues, i => i.Kind == "optional-data-unavailable");
        Assert.Contains(reason, issue.Description, StringComparison.Ordinal);
        Assert.Contains(logs.Events, e => e.EventId == 4060);
        Assert.Equal(6, snapshot.Labs.Length);
    }

    [Fact]
    public async Task GivenARequiredQueryFails_WhenLoaded_ThenStill412()
    {
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.ConditionsKey ? FakeFhirServer.Json("{}", HttpStatusCode.NotFound) : null,
        };

        var outcome = await Create(fake).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.Contains("'conditions': HTTP 404", outcome.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_include", PrefetchCatalog.MedicationRequestsKey, 2)]
    [InlineData("_sort", PrefetchCatalog.HormoneLabsKey, 2)]
    [InlineData("_count", PrefetchCatalog.HormoneLabsKey, 3)]
    public async Task GivenA400ForARefinement_WhenLoaded_ThenAskedAgainWithoutItAndTheSameSnapshot(string refused, string key, int requests)
    {
        // The server refuses any query of that key that still carries the refinement (and _count also once _sort is
        // gone: the refinements are given up one at a time, cheapest first).
        var fake = new FakeFhirServer
        {
            Override = (k, request) => k == key && request.RequestUri!.Query.Contains(refused + "=", StringComparison.Ordinal)
                ? FakeFhirServer.Json("""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"not-supported"}]}""", HttpStatusCode.BadRequest)
                : null,
        };
        var token = TestContext.Current.CancellationToken;
        var (source, logs) = Create(fake);

        var outcome = await source.LoadAsync(Request(null, Server), Caller, token);
        var reference = await Create(new FakeFhirServer()).Source.LoadAsync(Request(null, Server), Caller, token);

        Assert.NotNull(outcome.Snapshot);
        Assert.Equal(SnapshotMappingTests.SnapshotJson(reference.Snapshot!), SnapshotMappingTests.SnapshotJson(outcome.Snapshot));
        Assert.Equal(requests, fake.RequestsFor(key));
        Assert.DoesNotContain(refused + "=", fake.Requests.Where(r => FakeFhirServer.KeyFor(r.Url) == key).Last().Url.Query, StringComparison.Ordinal);
        Assert.Contains(logs.Events, e => e.EventId == 4061 && e.Message.Contains(refused, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenServerError_WhenLoaded_ThenRetriedOnceThenFailed()
    {
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.ConditionsKey ? FakeFhirServer.Json("{}", HttpStatusCode.InternalServerError) : null,
        };

        var (source, logs) = Create(fake);

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.Null(outcome.Snapshot);
        Assert.Equal(2, fake.RequestsFor(PrefetchCatalog.ConditionsKey));
        Assert.Contains(logs.Events, e => e.EventId == 4003);
        Assert.DoesNotContain(logs.Events, e => e.Message.Contains("ehr.example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenServerSlowerThanTheDeadline_WhenLoaded_ThenFailsWithinTheDeadline()
    {
        var fake = new FakeFhirServer { Delay = TimeSpan.FromSeconds(10) };
        var (source, logs) = Create(fake, ("Deadline", "00:00:00.300"), ("AttemptTimeout", "00:00:00.300"), ("MaxRetries", "0"));
        var stopwatch = Stopwatch.StartNew();

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        stopwatch.Stop();
        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");

        // Either the overall deadline (event 4004) or the equal per-attempt timeout (event 4003) fires first.
        Assert.Contains(logs.Events, e => e.EventId is 4004 or 4003);
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[")]
    [InlineData("{\"hello\":\"world\"}")]
    [InlineData("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"exception\"}]}")]
    [InlineData("{\"resourceType\":\"Patient\",\"id\":\"p1\"}")]
    public async Task GivenGarbageOrWrongResourceFromServer_WhenLoaded_ThenFailedNotEmpty(string body)
    {
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.HormoneLabsKey ? FakeFhirServer.Json(body) : null,
        };

        var outcome = await Create(fake).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.Null(outcome.Snapshot);
    }

    [Theory]
    [InlineData("<html><body>Gateway error</body></html>")]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[")]
    public async Task GivenAnUnreadableBodyWithStatus200_WhenLoaded_ThenTheReasonSaysUnreadableNotHttp200(string body)
    {
        // Found through the sandbox's fault injection (EndToEnd/FhirFailureTests): the 412 said "HTTP 200".
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.PatientKey ? FakeFhirServer.Json(body) : null,
        };

        var outcome = await Create(fake).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.Contains("unreadable", outcome.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("HTTP 200", outcome.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":0}")]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[]}")]
    public async Task GivenEmptySearchResult_WhenLoaded_ThenNoDataForThatKey(string body)
    {
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.ConditionsKey ? FakeFhirServer.Json(body) : null,
        };
        var (source, logs) = Create(fake);

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.True(outcome.Snapshot is not null, outcome.FailureMessage + string.Join(";", logs.Events.Select(e => e.Message)));
        Assert.Empty(outcome.Snapshot.Conditions);
    }

    [Fact]
    public async Task GivenHugeBody_WhenLoaded_ThenFailedWithinLimits()
    {
        var huge = Bundle(Enumerable.Range(0, 3000).Select(i => Observation("o" + i, "2986-8", 250m, "ng/dL")));
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.HormoneLabsKey ? FakeFhirServer.Json(huge) : null,
        };
        var (source, _) = Create(fake, ("MaxResponseBytes", "65536"));

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.True(Encoding.UTF8.GetByteCount(huge) > 65536);
        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
    }

    [Fact]
    public async Task GivenMoreResourcesThanTheCap_WhenLoaded_ThenFailed()
    {
        var many = Bundle(Enumerable.Range(0, 40).Select(i => Observation("o" + i, "2986-8", 250m, "ng/dL")));
        var fake = new FakeFhirServer
        {
            Override = (key, _) => key == PrefetchCatalog.HormoneLabsKey ? FakeFhirServer.Json(many) : null,
        };
        var (source, _) = Create(fake, ("MaxResources", "30"));

        var outcome = await source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
    }

    [Fact]
    public async Task GivenRedirect_WhenLoaded_ThenNotFollowedAndFailed()
    {
        var fake = new FakeFhirServer
        {
            Override = (key, _) =>
            {
                if (key != PrefetchCatalog.PatientKey)
                {
                    return null;
                }

                var redirect = new HttpResponseMessage(HttpStatusCode.Found);
                redirect.Headers.Location = new Uri("https://evil.test/fhir/Patient/p1");
                return redirect;
            },
        };

        var outcome = await Create(fake).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
        Assert.DoesNotContain(fake.Requests, r => r.Url.Host == "evil.test");
    }

    [Fact]
    public async Task GivenPatientNotFound_WhenLoaded_ThenFailed()
    {
        var data = Scenario().Where(p => p.Key != PrefetchCatalog.PatientKey).ToDictionary(p => p.Key, p => p.Value);

        var outcome = await Create(new FakeFhirServer(data)).Source.LoadAsync(Request(null, Server), Caller, TestContext.Current.CancellationToken);

        Assert.Equal(PatientDataFailureKind.FhirServerFailed, outcome.FailureKind);
    }

    [Fact]
    public async Task GivenOrderSignRequest_WhenLoaded_ThenDraftOrdersAreInTheSnapshot()
    {
        var context = """
            {"patientId":"p1","draftOrders":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"MedicationRequest","id":"d1",
              "medicationCodeableConcept":{"text":"testosterone cypionate 200 mg/mL"}}}]}}
            """;

        var outcome = await Create(new FakeFhirServer()).Source.LoadAsync(
            Request(FullPrefetch(), null, hook: HookKind.OrderSign, context: context), Caller, TestContext.Current.CancellationToken);

        var order = Assert.Single(outcome.Snapshot!.DraftOrders);
        Assert.Equal(CdsService.Clinical.Model.MedicationClass.Testosterone, order.Class);
        Assert.Equal("d1", order.ResourceId);
    }

    [Fact]
    public async Task GivenCallerCancels_WhenLoading_ThenCancellationPropagates()
    {
        var fake = new FakeFhirServer { Delay = TimeSpan.FromSeconds(5) };
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Create(fake).Source.LoadAsync(Request(null, Server), Caller, cancellation.Token));
    }

    internal sealed class LogCapture : ILoggerProvider
    {
        public ConcurrentQueue<(int EventId, string Message)> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCapture owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Events.Enqueue((eventId.Id, formatter(state, exception) + " " + exception));
        }
    }
}
