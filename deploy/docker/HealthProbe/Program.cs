// Container health probe: GET the liveness endpoint on loopback, exit 0 on 2xx, 1 otherwise.
// Docker runs it as the image's HEALTHCHECK because the chiseled ASP.NET image ships no shell, curl or wget (on purpose:
// no tools for an intruder). Kubernetes does not use it; its probes call /health/live and /health/ready directly.
// The URL comes from CDS_HEALTHCHECK_URL so a changed port (ASPNETCORE_HTTP_PORTS) needs no rebuild.

var url = Environment.GetEnvironmentVariable("CDS_HEALTHCHECK_URL") is { Length: > 0 } configured
    ? configured
    : "http://127.0.0.1:8080/health/live";

if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || !target.IsLoopback)
{
    // Only loopback: the probe checks this container, and must never become a way to reach other hosts.
    await Console.Error.WriteLineAsync("CDS_HEALTHCHECK_URL must be an absolute loopback URL");
    return 2;
}

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
try
{
    using var response = await http.GetAsync(target, HttpCompletionOption.ResponseHeadersRead);
    return response.IsSuccessStatusCode ? 0 : 1;
}
catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
{
    await Console.Error.WriteLineAsync($"health probe failed: {ex.GetType().Name}");
    return 1;
}
