using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CdsService.Examples;
using CdsService.Protocol;

namespace CdsService.Cli;

/// <summary>Everything one invocation of the tool was asked to do (parsed from the command line).</summary>
public sealed record HookCallSettings
{
    public required HookKind Hook { get; init; }

    public string? Example { get; init; }

    public string? BundleFile { get; init; }

    public Uri? FhirServer { get; init; }

    public string? PatientId { get; init; }

    public string? FhirToken { get; init; }

    public string? DraftOrder { get; init; }

    public Uri ServiceUrl { get; init; } = new("http://localhost:5080");

    public string? KeyFile { get; init; }

    public string? Issuer { get; init; }

    public string? Kid { get; init; }

    public string? Tenant { get; init; }

    public bool Json { get; init; }

    public bool DryRun { get; init; }

    public bool KeepDates { get; init; }
}

/// <summary>
/// Builds the hook request (from an example, a Bundle file, or a FHIR server + patient id), signs a client JWT for
/// the exact URL, POSTs it and prints the answer. Exit codes: 0 cards received, 1 bad input, 2 the service refused
/// or failed (non-200), 3 the service could not be reached.
/// </summary>
public sealed class HookCall(HttpMessageHandler handler, TimeProvider time, TextWriter output, TextWriter error)
{
    public const int Ok = 0;
    public const int BadInput = 1;
    public const int ServiceRefused = 2;
    public const int Unreachable = 3;

    public async Task<int> RunAsync(HookCallSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ExampleRequest request;
        ClientTokenSigner signer;
        try
        {
            request = BuildRequest(settings);
            signer = settings.KeyFile is null
                ? ClientTokenSigner.Sandbox()
                : ClientTokenSigner.FromFile(settings.KeyFile, settings.Issuer ?? throw new ArgumentException("--key needs --issuer (the iss the service knows your key by)."), settings.Kid);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidDataException or KeyNotFoundException or JsonException or NotSupportedException)
        {
            await error.WriteLineAsync(ex.Message);
            return BadInput;
        }

        if (settings.DryRun)
        {
            await output.WriteLineAsync(request.Body.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return Ok;
        }

        var url = ServiceEndpoint(settings.ServiceUrl, request.ServiceId);
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json"),
        };

        // aud = "the exact URL invoked" (spec §Trusting CDS Clients); the token is never printed.
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signer.Sign(url.AbsoluteUri, time.GetUtcNow(), settings.Tenant));
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"Could not reach {url}: {ex.Message}");
            return Unreachable;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"{url} did not answer within {client.Timeout.TotalSeconds:0} s.");
            return Unreachable;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var body = TryParse(text);
            var status = (int)response.StatusCode;
            if (settings.Json)
            {
                await output.WriteLineAsync(body?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? text);
                return response.IsSuccessStatusCode ? Ok : ServiceRefused;
            }

            if (!response.IsSuccessStatusCode)
            {
                CardPrinter.PrintError(status, body, error);
                if (status == 401)
                {
                    await error.WriteLineAsync($"  The service did not accept the token (iss {signer.Issuer}, kid {signer.KeyId}, aud {url}). Is it trusted there (Development trusts the sandbox key), and is the URL the one the service sees?");
                }

                return ServiceRefused;
            }

            await output.WriteLineAsync($"{request.ServiceId} → HTTP {status}" + (request.ShiftedDays != 0 ? $" (example dates moved by {request.ShiftedDays} day(s))" : string.Empty));
            await output.WriteLineAsync();
            CardPrinter.Print(body, output);
            return Ok;
        }
    }

    /// <summary>{base}/cds-services/{id}; the base may be given with or without "/cds-services".</summary>
    public static Uri ServiceEndpoint(Uri baseUrl, string serviceId)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var text = baseUrl.AbsoluteUri.TrimEnd('/');
        if (!text.EndsWith("/cds-services", StringComparison.Ordinal))
        {
            text += "/cds-services";
        }

        return new Uri($"{text}/{serviceId}", UriKind.Absolute);
    }

    /// <summary>The request for <paramref name="settings"/> (no token, nothing sent).</summary>
    public ExampleRequest BuildRequest(HookCallSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sources = new[] { settings.Example is not null, settings.BundleFile is not null, settings.FhirServer is not null }.Count(s => s);
        if (sources != 1)
        {
            throw new ArgumentException("Give exactly one of --example <name>, --bundle <file.json>, or --fhir-server <url> with --patient <id>.");
        }

        ExampleDraftOrder? order = null;
        var orderCode = settings.DraftOrder;
        JsonObject bundle;
        if (settings.Example is { } name)
        {
            var library = ExampleLibrary.FromAssembly(typeof(HookCall).Assembly, "examples/");
            var scenario = library.Find(name) ?? throw new ArgumentException(
                $"Unknown example '{name}'. Known: {string.Join(", ", library.Scenarios.Select(s => s.Id))}.");
            orderCode ??= scenario.DraftOrder;
            bundle = library.LoadBundle(scenario.Id);
        }
        else if (settings.BundleFile is { } file)
        {
            bundle = JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new InvalidDataException($"{file} is JSON null.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(settings.PatientId))
            {
                throw new ArgumentException("--fhir-server needs --patient <id>.");
            }

            // No data to ship: the service fetches it from the FHIR server (which must be allowlisted for this client).
            bundle = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = settings.PatientId } }),
            };
        }

        if (settings.Hook != HookKind.PatientView)
        {
            orderCode ??= ExampleDraftOrder.TestosteroneCypionate.ToCode();
            if (!ExampleDraftOrders.TryParse(orderCode, out var parsed))
            {
                throw new ArgumentException($"Unknown --order '{orderCode}'. Known: {string.Join(", ", ExampleDraftOrders.All.Select(o => o.ToCode()))}.");
            }

            order = parsed;
        }

        return ExampleRequestBuilder.Build(bundle, new ExampleRequestOptions
        {
            Hook = settings.Hook,
            DraftOrder = order,
            Now = time.GetUtcNow(),
            ShiftDates = settings.Example is not null && !settings.KeepDates,
            FhirServer = settings.FhirServer,
            FhirAccessToken = settings.FhirToken,
        });
    }

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
