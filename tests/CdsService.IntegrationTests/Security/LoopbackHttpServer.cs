using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Security;

/// <summary>One HTTP request as a loopback server saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization);

/// <summary>
/// A real Kestrel server on 127.0.0.1 with an ephemeral port: the stand-in for an EHR's FHIR server, or for a host the
/// service must never contact. It counts TCP connections at the connection level (before any HTTP is parsed), so
/// "no connection was made" is measured, not inferred, and records every request with its Authorization header.
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private int connections;
    private long largestResponse;

    private LoopbackHttpServer(WebApplication app) => this.app = app;

    /// <summary>How each request is answered; replace it per test. Default: 404.</summary>
    public Func<HttpContext, Task> Handler { get; set; } = context =>
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    };

    public int Port { get; private set; }

    /// <summary>http://127.0.0.1:{port}/fhir</summary>
    public Uri FhirBase => new($"http://127.0.0.1:{Port}/fhir");

    /// <summary>TCP connections accepted since start or <see cref="Reset"/>.</summary>
    public int Connections => Volatile.Read(ref connections);

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>The largest response body a handler reported through <see cref="RecordResponseSize"/>.</summary>
    public long LargestResponse => Interlocked.Read(ref largestResponse);

    public void RecordResponseSize(long bytes)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref largestResponse);
        }
        while (bytes > current && Interlocked.CompareExchange(ref largestResponse, bytes, current) != current);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref connections, 0);
        Interlocked.Exchange(ref largestResponse, 0);
        requests.Clear();
    }

    public static async Task<LoopbackHttpServer> StartAsync()
    {
        // Empty builder: no configuration files, no logging providers, nothing but Kestrel.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        LoopbackHttpServer? server = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
        {
            Interlocked.Increment(ref server!.connections);
            return next(connection);
        })));
        var app = builder.Build();
        server = new LoopbackHttpServer(app);
        app.Run(async context =>
        {
            server.requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.FirstOrDefault()));
            await server.Handler(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
    }
}

/// <summary>Answers for <see cref="LoopbackHttpServer.Handler"/>: a minimal FHIR server and the ways a FHIR server goes wrong.</summary>
public static class FhirAnswers
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>A FHIR server with the patient and no other data: the Patient on read, an empty searchset on every search.</summary>
    public static Task Minimal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? string.Empty;
        var marker = path.IndexOf("/Patient/", StringComparison.Ordinal);
        return marker >= 0
            ? Json(context, $$"""{"resourceType":"Patient","id":"{{path[(marker + "/Patient/".Length)..]}}","gender":"male"}""")
            : Json(context, """{"resourceType":"Bundle","type":"searchset","total":0}""");
    }

    public static Task Json(HttpContext context, string body, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.StatusCode = status;
        context.Response.ContentType = FhirJson;
        return context.Response.WriteAsync(body, context.RequestAborted);
    }
}
