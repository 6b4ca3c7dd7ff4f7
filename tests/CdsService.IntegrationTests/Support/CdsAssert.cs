using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Json.Schema;

namespace CdsService.IntegrationTests.Support;

/// <summary>
/// Assertions on what the service sends: every body is checked against the JSON Schemas in docs/schemas (written from
/// the CDS Hooks 2.0 text), and every OperationOutcome is also parsed by the Firely SDK to prove it is valid FHIR R4.
/// </summary>
public static class CdsAssert
{
    public const string Discovery = "cds-hooks-discovery.schema.json";
    public const string Response = "cds-hooks-response.schema.json";
    public const string Feedback = "cds-hooks-feedback.schema.json";
    public const string OperationOutcome = "operation-outcome.schema.json";

    private static readonly ConcurrentDictionary<string, JsonSchema> Schemas = new();

    public static JsonSchema Schema(string file) =>
        Schemas.GetOrAdd(file, f => JsonSchema.FromText(File.ReadAllText(RepositoryPaths.Of("docs", "schemas", f))));

    public static EvaluationResults Evaluate(string schemaFile, string json) =>
        Schema(schemaFile).Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });

    public static void Valid(string schemaFile, string json)
    {
        var result = Evaluate(schemaFile, json);
        Assert.True(result.IsValid, $"Body does not match {schemaFile}: {Describe(result)}\n{json}");
    }

    public static void Invalid(string schemaFile, string json) =>
        Assert.False(Evaluate(schemaFile, json).IsValid, $"Expected {schemaFile} to reject:\n{json}");

    /// <summary>A 200 hook answer: schema-valid CDS Hooks response; returns the parsed body.</summary>
    public static async Task<JsonDocument> CdsResponseAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        Valid(Response, body);
        return JsonDocument.Parse(body);
    }

    /// <summary>
    /// An error answer on /cds-services: the status, application/fhir+json, a schema-valid OperationOutcome that Firely
    /// parses, with a correlation id; returns it.
    /// </summary>
    public static async Task<JsonDocument> OperationOutcomeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        Valid(OperationOutcome, body);
        var parsed = new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Hl7.Fhir.Model.OperationOutcome>(body);
        Assert.NotEmpty(parsed.Issue);
        Assert.False(string.IsNullOrEmpty(parsed.Id));
        return JsonDocument.Parse(body);
    }

    /// <summary>All diagnostics and expressions of an OperationOutcome as one string, for "names the problem" checks.</summary>
    public static string IssueText(JsonDocument outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return string.Join(
            "\n",
            outcome.RootElement.GetProperty("issue").EnumerateArray().Select(i =>
                (i.TryGetProperty("diagnostics", out var d) ? d.GetString() : "") + " | " +
                (i.TryGetProperty("expression", out var e) ? string.Join(",", e.EnumerateArray().Select(x => x.GetString())) : "")));
    }

    /// <summary>A refused client token: 401, nothing in the body, no hint in WWW-Authenticate.</summary>
    public static async Task BareUnauthorizedAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.All(response.Headers.WwwAuthenticate, h => Assert.Null(h.Parameter));
    }

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));
}
