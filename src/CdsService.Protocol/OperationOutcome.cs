using System.Text.Json.Serialization;

namespace CdsService.Protocol;

/// <summary>
/// A FHIR R4 OperationOutcome as written on every non-2xx answer of a <c>/cds-services</c> route (CDS Hooks 3.0 STU
/// FHIR-50287: "SHOULD return an OperationOutcome"; 2.0 allows any 4xx/5xx body). Written with System.Text.Json so
/// the Api stays free of the FHIR SDK; tests parse it with Firely to prove it is valid R4.
/// </summary>
public sealed record OperationOutcome
{
    [JsonPropertyName("resourceType")]
    public string ResourceType { get; } = "OperationOutcome";

    /// <summary>The correlation id of the request, so support can find the log events of this call.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("issue")]
    public required IReadOnlyList<OperationOutcomeIssue> Issue { get; init; }
}

public sealed record OperationOutcomeIssue
{
    /// <summary>fatal | error | warning | information (http://hl7.org/fhir/issue-severity).</summary>
    [JsonPropertyName("severity")]
    public required string Severity { get; init; }

    /// <summary>http://hl7.org/fhir/issue-type, e.g. invalid, not-found, processing, too-long, exception.</summary>
    [JsonPropertyName("code")]
    public required string Code { get; init; }

    /// <summary>What is wrong, in words for the integrator. Never echoes request values (they may be PHI).</summary>
    [JsonPropertyName("diagnostics")]
    public string? Diagnostics { get; init; }

    /// <summary>Where in the request the problem is (JSON path of the member), when known.</summary>
    [JsonPropertyName("expression")]
    public IReadOnlyList<string>? Expression { get; init; }

    /// <summary>An error-severity issue; <paramref name="expression"/> names request members, never their values.</summary>
    public static OperationOutcomeIssue Error(string code, string diagnostics, params string[] expression) => new()
    {
        Severity = "error",
        Code = code,
        Diagnostics = diagnostics,
        Expression = expression.Length == 0 ? null : expression,
    };
}

/// <summary>The FHIR issue-type codes this service uses (http://hl7.org/fhir/R4/valueset-issue-type.html).</summary>
public static class IssueType
{
    public const string Invalid = "invalid";
    public const string Required = "required";
    public const string Structure = "structure";
    public const string Value = "value";
    public const string NotFound = "not-found";
    public const string Processing = "processing";
    public const string TooLong = "too-long";
    public const string Exception = "exception";
    public const string NotSupported = "not-supported";

    /// <summary>The caller exceeded its rate or concurrency limit (HTTP 429; docs/security.md §5 Limits and rate limiting).</summary>
    public const string Throttled = "throttled";
}
