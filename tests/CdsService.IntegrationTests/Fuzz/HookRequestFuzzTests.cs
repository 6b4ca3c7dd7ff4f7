using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Security;
using CdsService.IntegrationTests.Support;
using CsCheck;
using Serilog.Events;

namespace CdsService.IntegrationTests.Fuzz;

/// <summary>
/// Bad input (docs/security.md §7): CsCheck mutates valid hook requests (members removed, types swapped, huge strings, deep nesting,
/// invalid dates, unknown units, wrong resource types, duplicated entries, unknown members, random and corrupted bytes,
/// truncation, unpaired surrogates, over-limit bodies) and posts each through the real HTTP pipeline in-process (client
/// JWT, body limits, reader, data layer, engine, cards). Every answer must be a spec-shaped 200 (CDS Hooks response
/// schema), or a 400/412/413 OperationOutcome (schema-valid, application/fhir+json); never a 500, and no log event may
/// carry an exception or be an error. One host and one client serve all cases. The count defaults to 5,000 per run;
/// CDS_FUZZ_CASES changes it and CDS_FUZZ_SEED replays a CsCheck seed.
/// </summary>
public sealed class HookRequestFuzzTests
{
    private const int DefaultCases = 5000;

    private static readonly Gen<Mutation> GenMutation = Gen.Select(
        Gen.Enum<MutationKind>(), Gen.Int[0, 1_000_000], Gen.Int[0, 999], Gen.Int[0, 1_000_000],
        (kind, target, size, salt) => new Mutation(kind, target, size, salt));

    [Fact]
    public async Task GivenMutatedValidRequests_WhenPostedThroughTheRealPipeline_ThenEveryAnswerIsSpecShapedAndNothingThrows()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("CDS_FUZZ_CASES"), CultureInfo.InvariantCulture, out var configured) ? configured : DefaultCases;
        var replay = Environment.GetEnvironmentVariable("CDS_FUZZ_SEED");
        await using var fhir = await LoopbackHttpServer.StartAsync();
        fhir.Handler = FhirAnswers.Minimal;
        await using var app = new CdsApiFactory(
            environment: "Test",
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:FhirServers:1"] = fhir.FhirBase.AbsoluteUri,
                // The limiter stays in the pipeline, with room for a fast loop; only warnings and errors are kept.
                ["CdsHooks:RateLimit:TokenLimit"] = "1000000",
                ["CdsHooks:RateLimit:TokensPerPeriod"] = "1000000",
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Warning",
            });
        using var client = app.CreateCdsClient(t => t with { Algorithm = "ES384" });
        var seeds = Seeds(fhir.FhirBase);
        var statuses = new ConcurrentDictionary<int, int>();
        var clock = Stopwatch.StartNew();

        await Gen.Select(Gen.Int[0, seeds.Count - 1], GenMutation.Array[1, 3], (seed, mutations) => new FuzzCase(seed, mutations))
            .SampleAsync(
                async fuzzCase =>
                {
                    var (serviceId, seed) = seeds[fuzzCase.Seed];
                    var status = await PostAndCheckAsync(client, serviceId, RequestMutator.Apply(seed, fuzzCase), app.Logs);
                    statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                },
                writeLine: line => TestContext.Current.TestOutputHelper?.WriteLine(line),
                seed: replay,
                iter: cases,
                threads: 2);

        clock.Stop();
        var summary = $"Fuzzed {statuses.Values.Sum()} cases ({cases} requested) over {seeds.Count} seed requests in {clock.Elapsed.TotalSeconds:0.0} s: "
            + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"HTTP {s.Key} × {s.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        TestContext.Current.SendDiagnosticMessage(summary);

        Assert.True(statuses.Values.Sum() >= cases, summary);
        var broken = app.Logs.Events.Where(e => e.Exception is not null || e.Level >= LogEventLevel.Error).ToList();
        Assert.True(broken.Count == 0, "Exceptions or errors logged:\n" + string.Join("\n", broken.Take(5).Select(e => $"{e.Level} {e.RenderMessage(CultureInfo.InvariantCulture)} {e.Exception}")));
        // The mix must exercise every answer class, or the mutations are not reaching the pipeline.
        Assert.All(new[] { 200, 400, 412, 413 }, s => Assert.True(statuses.ContainsKey(s), $"no HTTP {s} in {summary}"));
    }

    private static async Task<int> PostAndCheckAsync(HttpClient client, string serviceId, byte[] body, CollectingSink logs)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync(new Uri($"/cds-services/{serviceId}", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        switch (status)
        {
            case 200:
                Assert.Equal("application/json", mediaType);
                CdsAssert.Valid(CdsAssert.Response, text);
                break;
            case 400 or 412 or 413:
                Assert.Equal("application/fhir+json", mediaType);
                CdsAssert.Valid(CdsAssert.OperationOutcome, text);
                break;
            default:
                // Name the exception behind a 500 (found by the OperationOutcome id = correlation id of the error event).
                var cause = logs.Named("UnhandledException").FirstOrDefault(e => text.Contains(CollectingSink.Property(e, "CorrelationId") ?? "\0", StringComparison.Ordinal));
                var refusals = string.Join(", ", logs.Named("ClientAuthenticationFailed").Select(e => CollectingSink.Property(e, "Reason")));
                Assert.Fail($"HTTP {status} is not a spec-shaped answer to a bad request: {text}\n{cause?.Exception}\nclient token refusals so far: {refusals}");
                break;
        }

        return status;
    }

    /// <summary>
    /// Valid requests to start from: the three minimal hook calls, and every example scenario with full prefetch (real
    /// FHIR content for the mutations to damage). Order hooks keep a fhirServer, pointed at the loopback FHIR server, so
    /// a mutation that drops prefetch makes the service fetch (and a damaged fhirServer is refused).
    /// </summary>
    private static List<(string ServiceId, JsonObject Body)> Seeds(Uri fhirServer)
    {
        var seeds = new List<(string, JsonObject)>
        {
            (HookRequests.PatientViewService, HookRequests.PatientView()),
            (HookRequests.OrderSelectService, HookRequests.OrderSelect()),
            (HookRequests.OrderSignService, HookRequests.OrderSign()),
        };
        foreach (var scenario in ExampleCalls.Library.Scenarios)
        {
            var call = ExampleCalls.Build(scenario, ExampleCalls.Library.LoadBundle(scenario.Id));
            seeds.Add((call.ServiceId, call.Body));
        }

        foreach (var (_, body) in seeds)
        {
            if (body.ContainsKey("fhirServer") || (string?)body["hook"] != "patient-view")
            {
                body["fhirServer"] = fhirServer.AbsoluteUri;
            }
        }

        return seeds;
    }
}
