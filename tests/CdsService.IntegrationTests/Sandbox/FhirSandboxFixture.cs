using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CdsService.IntegrationTests.Sandbox;

/// <summary>
/// Starts the local FHIR R4 sandbox (deploy/fhir-sandbox) once for the collection, seeded with every scenario Bundle in
/// fhir-profiles/examples, and stops it by its process id afterwards. Runs <c>npm ci</c> first when node_modules is
/// missing, so <c>dotnet test</c> needs no manual step where Node is installed. Where Node is not installed the fixture
/// does not fail: it records why, and every test that asks for <see cref="RequireBaseUrl"/> is reported as skipped.
/// </summary>
public sealed partial class FhirSandboxFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(5);
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <summary>The FHIR base URL, e.g. http://127.0.0.1:41551/fhir (no trailing slash); null when not started.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>Why the sandbox could not be started (Node missing); null when it runs.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>A client for tests; JSON only, no authentication.</summary>
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The base URL, or a skipped test (with the reason) where the sandbox cannot run here.</summary>
    public Uri RequireBaseUrl()
    {
        if (BaseUrl is null)
        {
            Assert.Skip(SkipReason ?? "The FHIR sandbox did not start.");
        }

        return BaseUrl;
    }

    /// <summary>The server root, where the /__sandbox admin routes live.</summary>
    public Uri AdminUrl => new(RequireBaseUrl().GetLeftPart(UriPartial.Authority));

    /// <summary>How many FHIR requests the sandbox has received since start or the last reset.</summary>
    public async Task<int> GetRequestCountAsync(CancellationToken cancellationToken)
    {
        var log = await Http.GetFromJsonAsync<JsonObject>(new Uri(AdminUrl, "/__sandbox/requests"), cancellationToken);
        return log?["total"]?.GetValue<int>() ?? throw new InvalidOperationException("No request count in the sandbox answer.");
    }

    /// <summary>Makes every FHIR request wait <paramref name="delayMs"/> and/or answer <paramref name="status"/> with <paramref name="body"/>.</summary>
    public async Task SetFaultsAsync(int delayMs, int? status, string? body, CancellationToken cancellationToken)
    {
        using var response = await Http.PutAsJsonAsync(
            new Uri(AdminUrl, "/__sandbox/faults"), new { delayMs, status, body }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Makes the sandbox behave like a server with less FHIR (deploy/fhir-sandbox/README.md, "Refusals"): resource types it
    /// answers 404, <c>Type:parameter</c> pairs it answers 400, and the largest <c>_count</c> it accepts.
    /// </summary>
    public async Task SetRefusalsAsync(string[] resources, string[] parameters, int? maxCount, CancellationToken cancellationToken)
    {
        using var response = await Http.PutAsJsonAsync(
            new Uri(AdminUrl, "/__sandbox/refusals"), new { resources, parameters, maxCount }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearRefusalsAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.DeleteAsync(new Uri(AdminUrl, "/__sandbox/refusals"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The FHIR requests since the last reset: resource path and parameter names (the sandbox keeps no values).</summary>
    public async Task<List<(string Path, string[] Parameters)>> GetRequestsAsync(CancellationToken cancellationToken)
    {
        var log = await Http.GetFromJsonAsync<JsonObject>(new Uri(AdminUrl, "/__sandbox/requests"), cancellationToken);
        return [.. log!["entries"]!.AsArray().Select(e => (
            e!["path"]!.GetValue<string>(),
            e["params"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray()))];
    }

    public async Task ResetRequestsAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.DeleteAsync(new Uri(AdminUrl, "/__sandbox/requests"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearFaultsAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.DeleteAsync(new Uri(AdminUrl, "/__sandbox/faults"), cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask InitializeAsync()
    {
        var node = await TryRunAsync("node", "--version", RepositoryPaths.Sandbox, TimeSpan.FromSeconds(20));
        if (node is null || node.Value.ExitCode != 0)
        {
            SkipReason = "Node.js is not installed (or not on PATH): the FHIR sandbox (deploy/fhir-sandbox) needs Node >= 20.19.";
            return;
        }

        if (!Directory.Exists(Path.Combine(RepositoryPaths.Sandbox, "node_modules", "@medplum", "fhir-router")))
        {
            var npm = await TryRunAsync("npm", "ci --no-audit --no-fund --loglevel=error", RepositoryPaths.Sandbox, NpmTimeout)
                ?? throw new InvalidOperationException("Node is installed but npm is not on PATH; cannot install the FHIR sandbox.");
            if (npm.ExitCode != 0)
            {
                // Node is here, so a failed install is a real failure, not a reason to skip.
                throw new InvalidOperationException($"npm ci failed in deploy/fhir-sandbox (exit {npm.ExitCode}): {npm.Output}");
            }
        }

        await StartAsync();
    }

    private async Task StartAsync()
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryPaths.Sandbox,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("fhir-sandbox.cjs");
        start.ArgumentList.Add(RepositoryPaths.Examples);
        start.Environment["PORT"] = "0";
        start.Environment["HOST"] = "127.0.0.1";

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_log)
                {
                    _log.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(StartupTimeout);
        string? line;
        try
        {
            // The first stdout line names the base URL; it is printed only after seeding succeeded.
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        var match = line is null ? null : StartupLine().Match(line);
        if (match is null || !match.Success)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"The FHIR sandbox did not start within {StartupTimeout.TotalSeconds} s. Output: {line} {SnapshotLog()}");
        }

        // Keep draining stdout so the child never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var baseUrl = new Uri(match.Groups["url"].Value);
        using var metadata = await Http.GetAsync(new Uri($"{baseUrl}/metadata"), timeout.Token);
        metadata.EnsureSuccessStatusCode();
        BaseUrl = baseUrl;
    }

    private string SnapshotLog()
    {
        lock (_log)
        {
            return _log.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    // Only the process this fixture started, by its handle (never by name).
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
            finally
            {
                process.Dispose();
            }
        }
    }

    /// <summary>Runs a command to completion (killed after <paramref name="timeout"/>); null when it is not installed.</summary>
    internal static async Task<(int ExitCode, string Output)?> TryRunAsync(string fileName, string arguments, string workingDirectory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            using var cts = new CancellationTokenSource(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"{fileName} {arguments} timed out after {timeout.TotalSeconds} s");
            }

            return (process.ExitCode, await stdout + await stderr);
        }
    }

    [GeneratedRegex(@"^FHIR R4 sandbox on (?<url>http://\S+) ")]
    private static partial Regex StartupLine();
}

/// <summary>Tests that use the sandbox join this collection so it is started once.</summary>
[CollectionDefinition(Name)]
public sealed class FhirSandboxCollection : ICollectionFixture<FhirSandboxFixture>
{
    public const string Name = "FHIR sandbox";
}
