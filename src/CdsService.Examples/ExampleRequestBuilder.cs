using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CdsService.Clinical.Model;
using CdsService.Fhir.Prefetch;
using CdsService.Protocol;

namespace CdsService.Examples;

/// <summary>What to build a hook call for.</summary>
public sealed record ExampleRequestOptions
{
    public HookKind Hook { get; init; } = HookKind.OrderSign;

    /// <summary>The drafted drug for order-select / order-sign; ignored for patient-view.</summary>
    public ExampleDraftOrder? DraftOrder { get; init; }

    /// <summary>The evaluation time the example is moved to (see <see cref="ExampleRequestBuilder.ShiftDays"/>).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>False keeps the bundle's own dates (reproduces the golden evaluation at 2026-12-01).</summary>
    public bool ShiftDates { get; init; } = true;

    public string UserId { get; init; } = "Practitioner/example-prescriber";

    /// <summary>When set, sent as <c>fhirServer</c> and no prefetch is built (the service fetches the data itself).</summary>
    public Uri? FhirServer { get; init; }

    /// <summary>
    /// <c>fhirAuthorization.access_token</c> for <see cref="FhirServer"/> (spec §fhirAuthorization). Transient: it is
    /// placed in the body only, never printed by the tools.
    /// </summary>
    public string? FhirAccessToken { get; init; }
}

/// <summary>A built hook call: the JSON body, the service it is for, and how far the example dates were moved.</summary>
public sealed record ExampleRequest(string ServiceId, JsonObject Body, string PatientId, int ShiftedDays, JsonObject? Prefetch);

/// <summary>
/// Turns an example patient (a transaction Bundle) into the CDS Hooks request an EHR would send: <c>context</c> for the
/// hook with the drafted MedicationRequest in <c>draftOrders</c>, and <c>prefetch</c> answered key by key from
/// <see cref="PrefetchCatalog"/> — each search key gets a searchset Bundle holding exactly the bundle resources its
/// query template selects (codes, statuses, <c>_include</c>, <c>_sort</c>, <c>_count</c>), so a change to the catalog
/// changes what the preview and the CLI send. Shared by the preview page (Api) and the CLI so both send the same thing.
/// </summary>
public static partial class ExampleRequestBuilder
{
    /// <summary>
    /// The evaluation date the example dates were written for (fhir-profiles/README.md §Examples: "at the test
    /// evaluation time 2026-12-01T12:00:00Z every hormone lab is inside the 12-month lookback").
    /// </summary>
    public static readonly DateOnly ReferenceDate = new(2026, 12, 1);

    /// <summary>The service id per hook (one CDS service per hook, as discovery lists them in CdsServiceCatalog).</summary>
    public static string ServiceIdFor(HookKind hook) => "hypogonadism-" + hook.ToCode();

    /// <summary>
    /// Whole days to move the example's dates so its story is as recent at <paramref name="now"/> as it was at
    /// <see cref="ReferenceDate"/>. Whole days keep every clock time and UTC offset as written, so a 08:20-07:00 sample
    /// stays a morning sample.
    /// </summary>
    public static int ShiftDays(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime).DayNumber - ReferenceDate.DayNumber;

    public static ExampleRequest Build(JsonObject bundle, ExampleRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(options);
        var days = options.ShiftDates ? ShiftDays(options.Now) : 0;
        var resources = Resources(bundle).Select(r => days == 0 ? r.DeepClone().AsObject() : Shift(r, days)).ToList();
        var patient = resources.FirstOrDefault(r => Str(r, "resourceType") == "Patient")
            ?? throw new InvalidDataException("The example bundle has no Patient.");
        var patientId = Str(patient, "id") ?? throw new InvalidDataException("The example Patient has no id.");

        var context = new JsonObject { ["userId"] = options.UserId, ["patientId"] = patientId };
        if (options.Hook != HookKind.PatientView)
        {
            var order = options.DraftOrder ?? throw new ArgumentException("order-select and order-sign need a draft order.", nameof(options));
            var draft = ExampleDraftOrders.Create(order, patientId, options.UserId, options.Now);
            if (options.Hook == HookKind.OrderSelect)
            {
                context["selections"] = new JsonArray($"MedicationRequest/{order.ResourceId()}");
            }

            // Spec 2.0 §Context: multiple resources SHOULD be a Bundle of type collection.
            context["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = draft }),
            };
        }

        var body = new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = options.Hook.ToCode(),
        };

        JsonObject? prefetch = null;
        if (options.FhirServer is { } server)
        {
            body["fhirServer"] = server.AbsoluteUri.TrimEnd('/');
            if (!string.IsNullOrEmpty(options.FhirAccessToken))
            {
                body["fhirAuthorization"] = new JsonObject
                {
                    ["access_token"] = options.FhirAccessToken,
                    ["token_type"] = "Bearer",
                    ["expires_in"] = 300,
                    ["scope"] = "patient/Patient.read patient/Observation.read patient/Condition.read patient/MedicationRequest.read patient/MedicationStatement.read",
                    ["subject"] = "cds-hypogonadism-cli",
                };
            }

            body["context"] = context;
        }
        else
        {
            body["context"] = context;
            prefetch = BuildPrefetch(resources, patientId);
            body["prefetch"] = prefetch.DeepClone();
        }

        return new ExampleRequest(ServiceIdFor(options.Hook), body, patientId, days, prefetch);
    }

    /// <summary>Every prefetch key of the catalog answered from <paramref name="resources"/>.</summary>
    public static JsonObject BuildPrefetch(IReadOnlyList<JsonObject> resources, string patientId)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var prefetch = new JsonObject();
        foreach (var query in PrefetchCatalog.All)
        {
            var template = query.QueryTemplate.Replace(PrefetchCatalog.PatientToken, patientId, StringComparison.Ordinal);
            var questionMark = template.IndexOf('?', StringComparison.Ordinal);
            if (questionMark < 0)
            {
                // A read ("Patient/{{context.patientId}}"): the resource itself; absent from the bundle means null
                // ("the EHR looked and there is nothing", spec 2.0 §Prefetch).
                var parts = template.Split('/');
                prefetch[query.Key] = resources.FirstOrDefault(r => Str(r, "resourceType") == parts[0] && Str(r, "id") == parts[^1])?.DeepClone();
                continue;
            }

            prefetch[query.Key] = Search(resources, query.ResourceType, template[(questionMark + 1)..], patientId);
        }

        return prefetch;
    }

    /// <summary>The resources of a Bundle (any type), in order.</summary>
    public static IReadOnlyList<JsonObject> Resources(JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return [.. (bundle["entry"] as JsonArray ?? []).Select(e => e?["resource"] as JsonObject).OfType<JsonObject>()];
    }

    private static JsonObject Search(IReadOnlyList<JsonObject> resources, string type, string queryString, string patientId)
    {
        var matches = resources.Where(r => Str(r, "resourceType") == type).ToList();
        var includes = new List<JsonObject>();
        var count = int.MaxValue;
        var sortByDateDescending = false;
        foreach (var (name, value) in Parameters(queryString))
        {
            var values = value.Split(',');
            switch (name)
            {
                case "patient":
                    // FamilyMemberHistory names its patient in "patient", every other type in "subject".
                    matches = [.. matches.Where(r => Str((r["subject"] ?? r["patient"]) as JsonObject, "reference") == $"Patient/{patientId}")];
                    break;
                case "code":
                    matches = [.. matches.Where(r => Codings(r["code"]).Any(c => values.Contains(c, StringComparer.Ordinal)))];
                    break;
                case "status":
                    matches = [.. matches.Where(r => values.Contains(Str(r, "status"), StringComparer.Ordinal))];
                    break;
                case "clinical-status":
                    matches = [.. matches.Where(r => Codings(r["clinicalStatus"]).Any(c => values.Contains(c.Split('|')[^1], StringComparer.Ordinal)))];
                    break;
                case "_sort" when value == "-date":
                    sortByDateDescending = true;
                    break;
                case "_count":
                    count = int.Parse(value, CultureInfo.InvariantCulture);
                    break;
                case "_include" when value.EndsWith(":medication", StringComparison.Ordinal):
                    includes.AddRange(IncludedMedications(resources, matches));
                    break;
                default:
                    // A parameter this builder does not evaluate would make the preview send data the EHR would not:
                    // fail loudly so the catalog and the builder are changed together (tested over every example).
                    throw new NotSupportedException($"Prefetch parameter '{name}={value}' is not supported by the example request builder.");
            }
        }

        if (sortByDateDescending)
        {
            matches = [.. matches.OrderByDescending(EffectiveInstant)];
        }

        matches = [.. matches.Take(count)];
        var entries = new JsonArray();
        foreach (var match in matches)
        {
            entries.Add(Entry(match, "match"));
        }

        foreach (var include in includes.DistinctBy(r => Str(r, "id")))
        {
            entries.Add(Entry(include, "include"));
        }

        var searchset = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = matches.Count };
        if (entries.Count > 0)
        {
            searchset["entry"] = entries;
        }

        return searchset;
    }

    private static IEnumerable<JsonObject> IncludedMedications(IReadOnlyList<JsonObject> resources, List<JsonObject> matches)
    {
        var references = matches.Select(m => Str(m["medicationReference"] as JsonObject, "reference")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return resources.Where(r => Str(r, "resourceType") == "Medication" && references.Contains($"Medication/{Str(r, "id")}"));
    }

    private static JsonObject Entry(JsonObject resource, string mode) => new()
    {
        ["fullUrl"] = $"urn:example:{Str(resource, "resourceType")}/{Str(resource, "id")}",
        ["resource"] = resource.DeepClone(),
        ["search"] = new JsonObject { ["mode"] = mode },
    };

    private static IEnumerable<(string Name, string Value)> Parameters(string queryString) =>
        queryString.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p =>
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? (p, string.Empty) : (p[..eq], Uri.UnescapeDataString(p[(eq + 1)..]));
        });

    private static IEnumerable<string> Codings(JsonNode? concept) =>
        (concept?["coding"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(c => $"{Str(c, "system")}|{Str(c, "code")}");

    // The search parameter "date" of Observation is effective[x] (FHIR R4 Observation search parameters).
    private static string EffectiveInstant(JsonObject observation)
    {
        var text = Str(observation, "effectiveDateTime") ?? Str(observation, "effectiveInstant")
            ?? Str(observation["effectivePeriod"] as JsonObject, "start") ?? string.Empty;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)
            : text;
    }

    /// <summary>
    /// A copy of <paramref name="resource"/> with every FHIR date, dateTime and instant moved by whole days. Only the
    /// date part changes: clock time, precision and offset stay as written. Birth dates move too, so ages at the
    /// evaluation time are those of the story (age-17 stays 17).
    /// </summary>
    public static JsonObject Shift(JsonObject resource, int days)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var copy = resource.DeepClone().AsObject();
        ShiftNode(copy, days);
        return copy;
    }

    private static void ShiftNode(JsonNode node, int days)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (obj[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        obj[name] = ShiftText(value.GetValue<string>(), days);
                    }
                    else if (obj[name] is { } child)
                    {
                        ShiftNode(child, days);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        array[i] = ShiftText(value.GetValue<string>(), days);
                    }
                    else if (array[i] is { } child)
                    {
                        ShiftNode(child, days);
                    }
                }

                break;
        }
    }

    private static string ShiftText(string text, int days)
    {
        if (!FullDate().IsMatch(text)
            || !DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return text;
        }

        return date.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + text[10..];
    }

    private static string? Str(JsonObject? obj, string name) =>
        obj?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    // FHIR date (full) or dateTime/instant with time: YYYY-MM-DD, optionally followed by Thh:mm[:ss[.fff]][Z|±hh:mm].
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex FullDate();
}
