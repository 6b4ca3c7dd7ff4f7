using System.Text.Json;
using System.Text.RegularExpressions;

namespace CdsService.Protocol;

/// <summary>Either a validated <see cref="HookRequest"/> or the issues that make the call a 400.</summary>
public sealed record HookRequestReadResult(HookRequest? Request, IReadOnlyList<OperationOutcomeIssue> Issues)
{
    public bool IsValid => Request is not null;
}

/// <summary>
/// Tolerant reader, strict validator (spec brief §4.1, Da Vinci CRD §found-33 "SHALL ignore unexpected elements"):
/// unknown members, a draftOrders Bundle without <c>type</c> and a MedicationRequest.category sent as an object are all
/// accepted, because real clients (the CDS Hooks sandbox) send them; what the spec makes REQUIRED, and what this
/// service needs to be safe, is checked and every problem is reported at once. Diagnostics name members, never values.
/// </summary>
public static partial class HookRequestReader
{
    /// <param name="root">The request body.</param>
    /// <param name="service">The service the call was addressed to.</param>
    /// <param name="declaredPrefetch">The prefetch keys the service declares in discovery; every one appears in the result.</param>
    public static HookRequestReadResult Read(JsonElement root, CdsServiceDefinition service, IReadOnlyList<PrefetchQuery> declaredPrefetch)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(declaredPrefetch);
        var issues = new List<OperationOutcomeIssue>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Invalid(IssueType.Structure, "The request body must be a JSON object (CDS Hooks 2.0 §HTTP Request)."));
            return new(null, issues);
        }

        var hook = RequiredString(root, "hook", issues);
        if (hook is not null && !string.Equals(hook, service.HookName, StringComparison.Ordinal))
        {
            issues.Add(Invalid(IssueType.Value, $"'hook' does not match this service: {service.Id} is invoked on '{service.HookName}'.", "hook"));
        }

        // Spec 2.0 §HTTP Request: hookInstance is "a universally unique identifier (UUID) for this particular hook
        // call". It is logged and audited as a correlation value, so nothing else gets in (no line break can forge a
        // log line, no payload rides along).
        var hookInstance = RequiredString(root, "hookInstance", issues);
        if (hookInstance is not null && !UuidPattern().IsMatch(hookInstance))
        {
            issues.Add(Invalid(IssueType.Value, "'hookInstance' must be a UUID (8-4-4-4-12 hexadecimal digits, CDS Hooks 2.0 §HTTP Request).", "hookInstance"));
        }

        var fhirServer = ReadFhirServer(root, issues);
        var accessToken = ReadFhirAuthorization(root, fhirServer, issues);

        string? patientId = null;
        string? userId = null;
        var hasContext = root.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object;
        if (!hasContext)
        {
            issues.Add(Invalid(IssueType.Required, "'context' is required and must be an object.", "context"));
        }
        else
        {
            patientId = RequiredString(context, "patientId", issues, "context.");
            if (patientId is not null && !IsFhirId(patientId))
            {
                issues.Add(Invalid(IssueType.Value, "'context.patientId' must be a FHIR id: 1-64 of A-Z a-z 0-9 - . and not only dots (FHIR R4 §2.26.0.2 id).", "context.patientId"));
            }
            userId = OptionalString(context, "userId", issues, "context.");
            ValidateOrderContext(context, service.Hook, issues);
        }

        var prefetch = ReadPrefetch(root, declaredPrefetch, issues);

        if (issues.Count > 0)
        {
            return new(null, issues);
        }

        return new(new HookRequest
        {
            ServiceId = service.Id,
            Hook = service.Hook,
            HookInstance = hookInstance!,
            PatientId = patientId!,
            UserId = userId,
            FhirServer = fhirServer,
            FhirAccessToken = accessToken,
            Context = context,
            Prefetch = prefetch,
        }, issues);
    }

    private static Uri? ReadFhirServer(JsonElement root, List<OperationOutcomeIssue> issues)
    {
        if (!root.TryGetProperty("fhirServer", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.String
            && Uri.TryCreate(element.GetString(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return uri;
        }

        issues.Add(Invalid(IssueType.Value, "'fhirServer' must be an absolute http(s) URL.", "fhirServer"));
        return null;
    }

    private static string? ReadFhirAuthorization(JsonElement root, Uri? fhirServer, List<OperationOutcomeIssue> issues)
    {
        if (!root.TryGetProperty("fhirAuthorization", out var auth) || auth.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (auth.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Invalid(IssueType.Structure, "'fhirAuthorization' must be an object.", "fhirAuthorization"));
            return null;
        }

        // Invariant cds-r-1: fhirAuthorization.exists() implies fhirServer.exists().
        if (fhirServer is null && !(root.TryGetProperty("fhirServer", out var server) && server.ValueKind != JsonValueKind.Null))
        {
            issues.Add(Invalid(IssueType.Required, "'fhirAuthorization' is present but 'fhirServer' is missing (CDS Hooks 2.0: fhirServer is REQUIRED with fhirAuthorization).", "fhirServer"));
        }

        return RequiredString(auth, "access_token", issues, "fhirAuthorization.");
    }

    private static void ValidateOrderContext(JsonElement context, HookKind hook, List<OperationOutcomeIssue> issues)
    {
        if (hook is not (HookKind.OrderSelect or HookKind.OrderSign))
        {
            return;
        }

        // draftOrders is REQUIRED for order-select and order-sign (CDS Hooks Library). Only its shape as a Bundle is
        // checked: Bundle.type is often missing (cds-hooks/docs#659) and entries are read leniently downstream.
        if (!context.TryGetProperty("draftOrders", out var draftOrders) || draftOrders.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Invalid(IssueType.Required, $"'context.draftOrders' is required for {hook switch { HookKind.OrderSelect => "order-select", _ => "order-sign" }} and must be a FHIR Bundle.", "context.draftOrders"));
        }
        else if (draftOrders.TryGetProperty("resourceType", out var type)
            && !(type.ValueKind == JsonValueKind.String && type.ValueEquals("Bundle")))
        {
            issues.Add(Invalid(IssueType.Value, "'context.draftOrders' must be a FHIR Bundle.", "context.draftOrders.resourceType"));
        }

        if (hook == HookKind.OrderSelect && context.TryGetProperty("selections", out var selections)
            && selections.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null))
        {
            issues.Add(Invalid(IssueType.Structure, "'context.selections' must be an array of references.", "context.selections"));
        }
    }

    /// <summary>
    /// The prefetch tri-state (spec 2.0 §Prefetch): absent → the client did not fetch; null → nothing found;
    /// OperationOutcome → the client's query failed. Every key of the catalogue appears in the result.
    /// </summary>
    private static Dictionary<string, PrefetchEntry> ReadPrefetch(JsonElement root, IReadOnlyList<PrefetchQuery> declaredPrefetch, List<OperationOutcomeIssue> issues)
    {
        var entries = new Dictionary<string, PrefetchEntry>(StringComparer.Ordinal);
        var hasPrefetch = root.TryGetProperty("prefetch", out var prefetch) && prefetch.ValueKind != JsonValueKind.Null;
        if (hasPrefetch && prefetch.ValueKind != JsonValueKind.Object)
        {
            issues.Add(Invalid(IssueType.Structure, "'prefetch' must be an object of key → resource.", "prefetch"));
            hasPrefetch = false;
        }

        foreach (var query in declaredPrefetch)
        {
            if (!hasPrefetch || !prefetch.TryGetProperty(query.Key, out var value))
            {
                entries[query.Key] = PrefetchEntry.Absent;
                continue;
            }

            entries[query.Key] = ReadPrefetchValue(query, value, issues);
        }

        // A plain dictionary: it is built on every call and read a handful of times, which a FrozenDictionary's costly
        // construction does not repay.
        return entries;
    }

    private static PrefetchEntry ReadPrefetchValue(PrefetchQuery query, JsonElement value, List<OperationOutcomeIssue> issues)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new(PrefetchState.Null, default);
        }

        // A read template ("Patient/{{...}}") yields that resource; a search template yields a searchset Bundle.
        var expected = query.QueryTemplate.Contains('?', StringComparison.Ordinal) ? "Bundle" : query.ResourceType;
        if (value.ValueKind == JsonValueKind.Object
            && value.TryGetProperty("resourceType", out var type)
            && type.ValueKind == JsonValueKind.String)
        {
            if (type.ValueEquals("OperationOutcome"))
            {
                return new(PrefetchState.OperationOutcome, value);
            }

            if (type.ValueEquals(expected))
            {
                return new(PrefetchState.Present, value);
            }
        }

        issues.Add(Invalid(IssueType.Value, $"'prefetch.{query.Key}' must be a FHIR {expected}, null, or an OperationOutcome.", $"prefetch.{query.Key}"));
        return PrefetchEntry.Absent;
    }

    private static string? RequiredString(JsonElement parent, string name, List<OperationOutcomeIssue> issues, string path = "")
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            issues.Add(Invalid(IssueType.Required, $"'{path}{name}' is required.", path + name));
            return null;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            issues.Add(Invalid(IssueType.Value, $"'{path}{name}' must be a non-empty string.", path + name));
            return null;
        }

        return element.GetString();
    }

    private static string? OptionalString(JsonElement parent, string name, List<OperationOutcomeIssue> issues, string path)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            issues.Add(Invalid(IssueType.Value, $"'{path}{name}' must be a string.", path + name));
            return null;
        }

        return element.GetString();
    }

    /// <summary>
    /// FHIR R4 §2.26.0.2 id grammar <c>[A-Za-z0-9\-\.]{1,64}</c>, minus ids made only of dots: the grammar allows
    /// "." and "..", but as a path segment they are dot segments (RFC 3986 §5.2.4), and <c>Patient/..</c> would read the
    /// server base instead of the patient.
    /// </summary>
    public static bool IsFhirId(string value) =>
        FhirIdPattern().IsMatch(value) && value.AsSpan().ContainsAnyExcept('.');

    [GeneratedRegex(@"^[A-Za-z0-9\-\.]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex FhirIdPattern();

    [GeneratedRegex(@"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex UuidPattern();

    private static OperationOutcomeIssue Invalid(string code, string diagnostics, params string[] expression) =>
        OperationOutcomeIssue.Error(code, diagnostics, expression);
}
