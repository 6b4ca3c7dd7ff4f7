namespace CdsService.Fhir.Data;

/// <summary>
/// Builds a FHIR query URL from the allowlisted base and a rendered relative query, and refuses the result unless it is
/// exactly the base followed by that query. <see cref="Uri"/> resolves dot segments (RFC 3986 §5.2.4): an id of "." or
/// ".." in <c>Patient/{id}</c>, or a practitioner id in a search, would otherwise turn a read of one resource into a
/// request for the server base (an unscoped search) sent with the clinician's token.
/// </summary>
public static class FhirQueryUrl
{
    /// <param name="fhirBase">The allowlisted server base, ending in "/".</param>
    /// <param name="relativeQuery">A prefetch template with its tokens replaced by escaped values.</param>
    /// <param name="url">The absolute query URL when it keeps every segment of <paramref name="relativeQuery"/>.</param>
    public static bool TryResolve(Uri fhirBase, string relativeQuery, out Uri url)
    {
        ArgumentNullException.ThrowIfNull(fhirBase);
        ArgumentNullException.ThrowIfNull(relativeQuery);
        url = new Uri(fhirBase, relativeQuery);
        var path = relativeQuery.Split('?', 2)[0];

        // The path is compared, not the whole URL: Uri may re-escape query characters (the "|" of token searches).
        return !relativeQuery.StartsWith('/')
            && !path.Split('/').Any(segment => segment is "." or "..")
            && string.Equals(url.GetLeftPart(UriPartial.Authority), fhirBase.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            && string.Equals(url.AbsolutePath, fhirBase.AbsolutePath + path, StringComparison.Ordinal);
    }
}
