using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CdsService.IntegrationTests.EndToEnd;
using CdsService.IntegrationTests.Golden;
using CdsService.IntegrationTests.Sandbox;
using CdsService.IntegrationTests.ScaleOut;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Smart;

/// <summary>
/// The three real parts of a SMART EHR launch on loopback, started once for the collection and stopped by their
/// process ids: the SMART authorization server (deploy/smart-auth-server, oidc-provider) with a signing key this fixture
/// generates (so a test can mint the expired token a real server would have issued earlier), the FHIR sandbox seeded
/// with fhir-profiles/examples and requiring that server's JWT access tokens (SANDBOX_SMART_ISSUER), and the service
/// with the SMART app enabled for that sandbox, on Kestrel. Where Node is not installed every test that asks for
/// <see cref="Require"/> is skipped with the reason; a failed npm install is a failure.
/// </summary>
public sealed partial class SmartLaunchFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);
    private readonly List<Process> _processes = [];
    private readonly StringBuilder _log = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cds-smart-tests", Guid.NewGuid().ToString("N"));

    public string? SkipReason { get; private set; }

    public Uri? AuthServer { get; private set; }

    public Uri? FhirBase { get; private set; }

    public string? ServiceUrl { get; private set; }

    public CdsApiFactory? App { get; private set; }

    /// <summary>The authorization server's signing key (EC P-256) and its kid.</summary>
    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string KeyId { get; } = "smart-test-" + Guid.NewGuid().ToString("N")[..8];

    public SmartLaunchFixture Require()
    {
        if (App is null)
        {
            Assert.Skip(SkipReason ?? "The SMART launch servers did not start.");
        }

        return this;
    }

    public async ValueTask InitializeAsync()
    {
        if (await FhirSandboxFixture.TryRunAsync("node", "--version", RepositoryPaths.Root, TimeSpan.FromSeconds(20)) is not { ExitCode: 0 })
        {
            SkipReason = "Node.js is not installed (or not on PATH): the SMART authorization server and FHIR sandbox need Node >= 20.19.";
            return;
        }

        foreach (var (folder, marker) in new[] { (AuthServerFolder, "oidc-provider"), (RepositoryPaths.Sandbox, Path.Combine("@medplum", "fhir-router")) })
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", marker)))
            {
                var npm = await FhirSandboxFixture.TryRunAsync("npm", "ci --no-audit --no-fund --loglevel=error", folder, TimeSpan.FromMinutes(5))
                    ?? throw new InvalidOperationException("Node is installed but npm is not on PATH.");
                if (npm.ExitCode != 0)
                {
                    throw new InvalidOperationException($"npm ci failed in {folder} (exit {npm.ExitCode}): {npm.Output}");
                }
            }
        }

        Directory.CreateDirectory(_directory);
        var jwkFile = Path.Combine(_directory, "signing.jwk.json");
        await File.WriteAllTextAsync(jwkFile, PrivateJwk());

        // The redirect URI is registered before the service listens, so the service's port is chosen first.
        ServiceUrl = $"http://127.0.0.1:{LocalServers.FreePort()}";
        AuthServer = await StartAsync(AuthServerFolder, "smart-auth-server.cjs", [], new()
        {
            ["SMART_REDIRECT_URIS"] = ServiceUrl + "/smart/app",
            ["SMART_SIGNING_JWK_FILE"] = jwkFile,
            ["SMART_STANDALONE_PATIENT"] = SmartLaunchTests.Patient,
        }, AuthLine());
        FhirBase = await StartAsync(RepositoryPaths.Sandbox, "fhir-sandbox.cjs", [RepositoryPaths.Examples], new()
        {
            ["SANDBOX_SMART_ISSUER"] = AuthServer.AbsoluteUri.TrimEnd('/'),
        }, SandboxLine());

        var time = new FrozenWallClock(GoldenScenarios.EvaluationTime);
        var settings = new Dictionary<string, string?>(GoldenScenarios.TestHostSettings)
        {
            ["Kestrel:Endpoints:Http:Url"] = ServiceUrl,
            ["SmartApp:Enabled"] = "true",
            ["SmartApp:FhirServers:0"] = FhirBase.AbsoluteUri.TrimEnd('/'),
            ["SmartApp:ConnectOrigins:0"] = AuthServer.AbsoluteUri.TrimEnd('/'),
        };
        var app = new CdsApiFactory(environment: "Testing", settings: settings, configureServices: s => s.AddSingleton<TimeProvider>(time)) { Time = time };
        app.UseKestrel();
        app.StartServer();
        App = app;
    }

    /// <summary>The sandbox's FHIR request count (admin route; no token needed).</summary>
    public async Task<int> FhirRequestCountAsync()
    {
        using var http = new HttpClient();
        var log = JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(FhirBase!.GetLeftPart(UriPartial.Authority)), "/__sandbox/requests")));
        return log!["total"]!.GetValue<int>();
    }

    /// <summary>The launch parameter an EHR would pass: base64url JSON with the patient and the card link's appContext.</summary>
    public static string Launch(string patient, string? appContext = null)
    {
        var json = new JsonObject { ["patient"] = patient };
        if (appContext is not null)
        {
            json["appContext"] = appContext;
        }

        return Base64Url(Encoding.UTF8.GetBytes(json.ToJsonString()));
    }

    public string LaunchUrl(string launch) =>
        $"{ServiceUrl}/smart/launch?iss={Uri.EscapeDataString(FhirBase!.AbsoluteUri.TrimEnd('/'))}&launch={launch}";

    /// <summary>An access token as the authorization server signs them, with the claims given (e.g. already expired).</summary>
    public string MintAccessToken(string patient, DateTimeOffset issuedAt, DateTimeOffset expires)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["typ"] = "at+jwt", ["kid"] = KeyId };
        var claims = new JsonObject
        {
            ["iss"] = AuthServer!.AbsoluteUri.TrimEnd('/'),
            ["aud"] = FhirBase!.AbsoluteUri.TrimEnd('/'),
            ["sub"] = "smart-test-clinician",
            ["client_id"] = "hypogonadism-workup",
            ["scope"] = "patient/Observation.rs patient/Condition.rs patient/MedicationRequest.rs patient/Patient.r",
            ["patient"] = patient,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["exp"] = expires.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = SigningKey.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    private static string AuthServerFolder => RepositoryPaths.Of("deploy", "smart-auth-server");

    private string PrivateJwk()
    {
        var p = SigningKey.ExportParameters(includePrivateParameters: true);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url(p.Q.X!),
            ["y"] = Base64Url(p.Q.Y!),
            ["d"] = Base64Url(p.D!),
            ["kid"] = KeyId,
            ["alg"] = "ES256",
            ["use"] = "sig",
        }.ToJsonString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private async Task<Uri> StartAsync(string folder, string script, string[] args, Dictionary<string, string> environment, Regex startupLine)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["PORT"] = "0";
        start.Environment["HOST"] = "127.0.0.1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        _processes.Add(process);
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
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        var match = line is null ? null : startupLine.Match(line);
        if (match is not { Success: true })
        {
            string log;
            lock (_log)
            {
                log = _log.ToString();
            }

            throw new InvalidOperationException($"{script} did not start within {StartupTimeout.TotalSeconds} s: {line} {log}");
        }

        _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        return new Uri(match.Groups["url"].Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    // Only the processes this fixture started, by their handles.
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }
            finally
            {
                process.Dispose();
            }
        }

        SigningKey.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    [GeneratedRegex(@"^SMART authorization server on (?<url>http://\S+)")]
    private static partial Regex AuthLine();

    [GeneratedRegex(@"^FHIR R4 sandbox on (?<url>http://\S+) ")]
    private static partial Regex SandboxLine();
}

[CollectionDefinition(Name)]
public sealed class SmartLaunchCollection : ICollectionFixture<SmartLaunchFixture>
{
    public const string Name = "SMART launch";
}
