namespace CdsService.Api.Preview;

/// <summary>
/// <c>CdsHooks:Preview</c>: the example-patient preview page (docs/integration/preview-and-cli.md). A developer and review tool, never a clinical
/// screen: it only ever sends the synthetic examples of <c>fhir-profiles/examples</c>.
/// </summary>
public sealed class PreviewOptions
{
    public const string SectionName = "CdsHooks:Preview";

    /// <summary>
    /// Whether the page is served. Unset: on in Development, off elsewhere. Setting it to true in Production stops the
    /// service at start: the preview trusts a signing key the service holds itself, which must never be trusted there.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The folder with scenarios.json and the example bundles. Unset: <c>fhir-profiles/examples</c> found above the content root.</summary>
    public string? ExamplesPath { get; set; }

    /// <summary>
    /// The base URL the preview calls the hook endpoint on (it goes through the network stack like an EHR's call).
    /// Unset: the first http address Kestrel listens on, with a wildcard host read as localhost.
    /// </summary>
    public string? ServiceBaseUrl { get; set; }
}
