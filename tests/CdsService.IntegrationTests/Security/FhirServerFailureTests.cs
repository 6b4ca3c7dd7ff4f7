using System.Net;
using System.Text;
using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Http;

namespace CdsService.IntegrationTests.Security;

/// <summary>A loopback FHIR server that misbehaves on demand, and a service allowed to call it with a short deadline.</summary>
public sealed class FailingFhirServerFixture : IAsyncLifetime
{
    /// <summary>The data layer's one deadline for all FHIR calls of a hook call (Fhir:Deadline), shortened for the tests.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1.5);

    public LoopbackHttpServer Server { get; private set; } = null!;

    public CdsApiFactory App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await LoopbackHttpServer.StartAsync();
        App = new CdsApiFactory(
            environment: "Test",
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:FhirServers:1"] = Server.FhirBase.AbsoluteUri,
                ["Fhir:Deadline"] = Deadline.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
                ["Fhir:AttemptTimeout"] = "00:00:00.700",
            });
        Client = App.CreateCdsClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Bad input (docs/security.md §7): a FHIR server that answers 500, never answers, sends invalid JSON, a 50 MB body, or drops the
/// connection makes the call a 412 OperationOutcome — never a 500, never a hang, never an empty "all clear" 200. Without
/// the deadline the silent and trickling servers would hold the call for 60 s and more.
/// </summary>
public sealed class FhirServerFailureTests(FailingFhirServerFixture fixture) : IClassFixture<FailingFhirServerFixture>
{
    private const int FiftyMegabytes = 50 * 1024 * 1024;
    private static readonly TimeSpan Forever = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Failures => [.. Answers.Keys];

    private static readonly Dictionary<string, Func<LoopbackHttpServer, HttpContext, Task>> Answers = new()
    {
        ["500 with an OperationOutcome"] = (_, c) => FhirAnswers.Json(c, """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}""", 500),
        ["503 with an HTML page"] = (_, c) => Html(c, 503),
        ["401 (token refused)"] = (_, c) => FhirAnswers.Json(c, """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login"}]}""", 401),
        ["no answer at all"] = (_, c) => Task.Delay(Forever, c.RequestAborted),
        ["headers, then a body that trickles"] = Trickle,
        ["invalid JSON"] = (_, c) => FhirAnswers.Json(c, """{"resourceType":"Bundle","type":"searchset","entry":[{"resource":"""),
        ["JSON that is not FHIR"] = (_, c) => FhirAnswers.Json(c, """{"hello":"world"}"""),
        ["an OperationOutcome with 200"] = (_, c) => FhirAnswers.Json(c, """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"exception"}]}"""),
        ["50 MB streamed without Content-Length"] = (s, c) => Huge(s, c, declareLength: false),
        ["50 MB with Content-Length"] = (s, c) => Huge(s, c, declareLength: true),
        ["connection dropped mid-answer"] = Drop,
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task GivenFailingFhirServer_WhenDataMustBeFetched_Then412WithinTheDeadline(string failure)
    {
        fixture.Server.Reset();
        fixture.App.Logs.Clear();
        var answer = Answers[failure];
        fixture.Server.Handler = context => answer(fixture.Server, context);
        var token = HookRequests.NewAccessToken();
        var request = HookRequests.FetchFrom(fixture.Server.FhirBase.AbsoluteUri, token);

        using var response = await fixture.Client.PostHookAsync(HookRequests.PatientViewService, request);

        // No clock is read: for "no answer at all" and the trickle the server never finishes, so any answer at all is the
        // service giving up by itself (deadline or attempt timeout); for the others the 412 is the point.
        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.NotEmpty(fixture.Server.Requests);
        if (failure.Contains("streamed", StringComparison.Ordinal))
        {
            // Read while it arrives, so the service must hang up early (MaxResponseBytes). With a declared length the
            // client refuses before reading, and Kestrel then swallows the rest of the writes, so there is nothing to count.
            Assert.True(fixture.Server.LargestResponse < FiftyMegabytes, $"{failure}: a whole 50 MB answer was read");
        }
        // Polly's own telemetry reports each failed attempt (as a warning, the last one as an error, with the transport
        // exception); that is the FHIR server's failure, stated by the resilience library. The service itself logs no
        // exception and no error: an error of its own here would be a 500 in disguise.
        Assert.DoesNotContain(fixture.App.Logs.Events, e => CollectingSink.Property(e, "SourceContext") is not "Polly"
            && (e.Level >= Serilog.Events.LogEventLevel.Error || e.Exception is not null));
        var logs = fixture.App.Logs.AllText();
        Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(HookRequests.PatientId, logs, StringComparison.Ordinal);
    }

    private static Task Html(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync("<html><body>Service Unavailable</body></html>", context.RequestAborted);
    }

    private static async Task Trickle(LoopbackHttpServer _, HttpContext context)
    {
        context.Response.ContentType = FhirAnswers.FhirJson;
        await context.Response.StartAsync(context.RequestAborted);
        try
        {
            await context.Response.WriteAsync("""{"resourceType":"Bundle","type":"searchset","entry":[""", context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.WriteAsync(" ", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(200, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The service gave up: what the test wants.
        }
    }

    private static async Task Huge(LoopbackHttpServer server, HttpContext context, bool declareLength)
    {
        var prefix = Encoding.UTF8.GetBytes("""{"resourceType":"Bundle","type":"searchset","entry":[""");
        var entry = Encoding.UTF8.GetBytes("""{"resource":{"resourceType":"Observation","status":"final","code":{"text":"padding"}}},""");
        context.Response.ContentType = FhirAnswers.FhirJson;
        if (declareLength)
        {
            context.Response.ContentLength = FiftyMegabytes;
        }

        var chunk = new byte[64 * 1024];
        for (var i = 0; i < chunk.Length; i++)
        {
            chunk[i] = entry[i % entry.Length];
        }

        long written = 0;
        try
        {
            await context.Response.Body.WriteAsync(prefix, context.RequestAborted);
            written = prefix.Length;
            // Kestrel completes writes to a connection the client has closed without an error: watch the abort.
            while (written + chunk.Length <= FiftyMegabytes && !context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                written += chunk.Length;

                // Paced (about 64 kB/ms), so the socket reports the client's hang-up before the loop could finish.
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(1, context.RequestAborted);
            }

            if (!context.RequestAborted.IsCancellationRequested)
            {
                written = FiftyMegabytes;   // sent in full: the test fails on this
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The service closed the connection before the end.
        }
        finally
        {
            server.RecordResponseSize(written);
        }
    }

    private static async Task Drop(LoopbackHttpServer _, HttpContext context)
    {
        context.Response.ContentType = FhirAnswers.FhirJson;
        context.Response.ContentLength = 10_000;
        await context.Response.WriteAsync("""{"resourceType":"Bundle","type":"searchs""", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        context.Abort();
    }
}
