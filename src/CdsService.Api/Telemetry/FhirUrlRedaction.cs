namespace CdsService.Api.Telemetry;

/// <summary>
/// Reduces an outgoing FHIR request URL to what an operator needs (server, base path, resource type) before it is
/// put on a span. FHIR REST URLs carry patient ids in the path (<c>Patient/123</c>) and in search parameters
/// (<c>?patient=123</c>); the HttpClient instrumentation only masks query values, so the path would still leak an id.
/// </summary>
public static class FhirUrlRedaction
{
    public const string IdPlaceholder = "{id}";

    /// <summary>
    /// <c>https://ehr.example.org/fhir/r4/Patient/123/_history/2?x=y</c> becomes
    /// <c>https://ehr.example.org/fhir/r4/Patient/{id}/_history/{id}</c>: the first segment that looks like a FHIR
    /// resource type (PascalCase, R4 §3.1.0.1 "Resource types") and every segment after it except "_"-prefixed
    /// operation/interaction names are replaced; query, fragment and user info are dropped.
    /// </summary>
    public static string Redact(Uri? url)
    {
        if (url is null || !url.IsAbsoluteUri)
        {
            return CdsTelemetry.UnknownValue;
        }

        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var kept = new List<string>(segments.Length);
        var seenResourceType = false;
        foreach (var segment in segments)
        {
            if (seenResourceType)
            {
                kept.Add(segment.StartsWith('_') || segment.StartsWith('$') ? segment : IdPlaceholder);
            }
            else
            {
                kept.Add(segment);
                seenResourceType = segment.Length > 0 && char.IsAsciiLetterUpper(segment[0]);
            }
        }

        var authority = url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}";
        return $"{url.Scheme}://{authority}/{string.Join('/', kept)}";
    }
}
