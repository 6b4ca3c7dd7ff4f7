using System.CommandLine;
using CdsService.Cli;
using CdsService.Clinical.Model;
using CdsService.Examples;
using CdsService.Protocol;

// cds-hypogonadism <hook> [source] [options]: one subcommand per hook (patient-view, order-select, order-sign), plus
// "examples" to list the bundled example patients. See docs/integration/checklist.md for testing a deployment.
var example = new Option<string?>("--example", "-e") { Description = "An example patient from fhir-profiles/examples (see the 'examples' command)." };
var bundle = new Option<FileInfo?>("--bundle", "-b") { Description = "A FHIR R4 Bundle file (JSON) holding the Patient and his data; sent as prefetch." };
var fhirServer = new Option<string?>("--fhir-server") { Description = "Send fhirServer instead of prefetch: the service fetches the data (it must allowlist this server for your issuer)." };
var patient = new Option<string?>("--patient", "-p") { Description = "Patient id on --fhir-server." };
var fhirToken = new Option<string?>("--fhir-token") { Description = "Access token for --fhir-server, sent as fhirAuthorization (default: $CDS_FHIR_TOKEN)." };
var order = new Option<string?>("--order", "-o") { Description = "Draft order: " + string.Join(", ", ExampleDraftOrders.All.Select(o => o.ToCode())) + " (default: the example's own, else testosterone-cypionate)." };
var url = new Option<string>("--url", "-u") { Description = "Base URL of the service.", DefaultValueFactory = _ => "http://localhost:5080" };
var key = new Option<FileInfo?>("--key", "-k") { Description = "Private key (PEM, or JWK / JWK Set with 'd') to sign the client JWT. Default: the public CDS Hooks sandbox key, trusted by the service in Development only." };
var issuer = new Option<string?>("--issuer", "-i") { Description = "iss of the token (required with --key)." };
var kid = new Option<string?>("--kid") { Description = "kid of the token (required for a PEM key)." };
var tenant = new Option<string?>("--tenant") { Description = "tenant claim, when your client registration has one." };
var json = new Option<bool>("--json") { Description = "Print the raw response JSON." };
var dryRun = new Option<bool>("--dry-run") { Description = "Print the request body and send nothing." };
var keepDates = new Option<bool>("--keep-dates") { Description = "Keep the example's own dates (written for evaluation on " + ExampleRequestBuilder.ReferenceDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ") instead of moving them to today." };

var root = new RootCommand("Calls the CDS Hooks hypogonadism service with a signed client JWT and prints the cards.");
foreach (var hook in Enum.GetValues<HookKind>())
{
    var command = new Command(hook.ToCode(), $"Call hypogonadism-{hook.ToCode()}.")
    {
        example, bundle, fhirServer, patient, fhirToken, url, key, issuer, kid, tenant, json, dryRun, keepDates,
    };
    if (hook != HookKind.PatientView)
    {
        command.Options.Add(order);
    }

    command.SetAction(async (parse, cancellationToken) =>
    {
        if (!TryHttpUrl(parse.GetValue(url), out var serviceUrl) || (parse.GetValue(fhirServer) is { } fhirText && !TryHttpUrl(fhirText, out _)))
        {
            await Console.Error.WriteLineAsync("--url and --fhir-server must be absolute http(s) URLs.");
            return HookCall.BadInput;
        }

        var settings = new HookCallSettings
        {
            Hook = hook,
            Example = parse.GetValue(example),
            BundleFile = parse.GetValue(bundle)?.FullName,
            FhirServer = parse.GetValue(fhirServer) is { } f ? new Uri(f, UriKind.Absolute) : null,
            PatientId = parse.GetValue(patient),
            FhirToken = parse.GetValue(fhirToken) ?? Environment.GetEnvironmentVariable("CDS_FHIR_TOKEN"),
            DraftOrder = hook == HookKind.PatientView ? null : parse.GetValue(order),
            ServiceUrl = serviceUrl,
            KeyFile = parse.GetValue(key)?.FullName,
            Issuer = parse.GetValue(issuer),
            Kid = parse.GetValue(kid),
            Tenant = parse.GetValue(tenant),
            Json = parse.GetValue(json),
            DryRun = parse.GetValue(dryRun),
            KeepDates = parse.GetValue(keepDates),
        };
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false };
        return await new HookCall(handler, TimeProvider.System, Console.Out, Console.Error).RunAsync(settings, cancellationToken);
    });
    root.Subcommands.Add(command);
}

var list = new Command("examples", "List the bundled example patients.");
list.SetAction(_ =>
{
    var library = ExampleLibrary.FromAssembly(typeof(HookCall).Assembly, "examples/");
    foreach (var scenario in library.Scenarios)
    {
        Console.WriteLine($"{scenario.Id,-34} {scenario.Hook,-13} {scenario.DraftOrder ?? "-",-22} {scenario.Title}");
    }

    return 0;
});
root.Subcommands.Add(list);

return await root.Parse(args).InvokeAsync();

static bool TryHttpUrl(string? text, out Uri uri) =>
    Uri.TryCreate(text, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
