using System.Net;

namespace CdsService.Fhir.Data;

/// <summary>
/// Decides whether a <c>fhirServer</c> named in a hook request may be contacted (docs/security.md §4 SSRF policy: the request body
/// names the URL, so without this the service is a proxy into the hospital network that also forwards the access
/// token). A URL is allowed only when, after normalisation, it has the scheme, host and port of an allowlisted base
/// and its path is that base's path or lies below it on a segment boundary.
/// </summary>
public static class FhirServerAllowlist
{
    /// <summary>Why a URL was refused (a fixed code: safe to log, names no host or path).</summary>
    public enum Verdict
    {
        Allowed,
        NotAbsolute,
        UnsupportedScheme,
        UserInfo,
        QueryOrFragment,
        EncodedPathSeparator,
        DisallowedPathSegment,
        PlainHttpNotAllowed,
        LinkLocalAddress,
        NotAllowlisted,
    }

    /// <summary>Checks <paramref name="candidate"/> against the caller's allowlist; the matched base is returned on success.</summary>
    public static Verdict Check(Uri? candidate, IReadOnlyList<Uri> allowed, bool allowHttpLoopback, out Uri? matchedBase)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        matchedBase = null;
        var verdict = Inspect(candidate, allowHttpLoopback);
        if (verdict != Verdict.Allowed)
        {
            return verdict;
        }

        foreach (var entry in allowed)
        {
            if (Inspect(entry, allowHttpLoopback) == Verdict.Allowed && Covers(entry, candidate!))
            {
                matchedBase = entry;
                return Verdict.Allowed;
            }
        }

        return Verdict.NotAllowlisted;
    }

    /// <summary>
    /// True when <paramref name="url"/> (e.g. a search Bundle's <c>next</c> link) lies under <paramref name="fhirBase"/>.
    /// Paging links come from the server's response, so they are checked like the fhirServer itself: a server must
    /// not be able to redirect the service (and the bearer token) to another host.
    /// </summary>
    public static bool IsUnder(Uri fhirBase, Uri url, bool allowHttpLoopback) =>
        Inspect(url, allowHttpLoopback, allowQuery: true) == Verdict.Allowed && Covers(fhirBase, url);

    private static Verdict Inspect(Uri? uri, bool allowHttpLoopback, bool allowQuery = false)
    {
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return Verdict.NotAbsolute;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return Verdict.UnsupportedScheme;
        }

        if (uri.UserInfo.Length > 0)
        {
            return Verdict.UserInfo;
        }

        if (!allowQuery && (uri.Query.Length > 0 || uri.Fragment.Length > 0))
        {
            return Verdict.QueryOrFragment;
        }

        // An encoded "/" or "." can be decoded differently by a proxy than by Uri, which would defeat the prefix check.
        var rawPath = uri.AbsolutePath;
        if (rawPath.Contains("%2f", StringComparison.OrdinalIgnoreCase) || rawPath.Contains("%2e", StringComparison.OrdinalIgnoreCase)
            || rawPath.Contains("%5c", StringComparison.OrdinalIgnoreCase) || rawPath.Contains('\\'))
        {
            return Verdict.EncodedPathSeparator;
        }

        if (!HasPlainPathSegments(rawPath))
        {
            return Verdict.DisallowedPathSegment;
        }

        if (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IsLinkLocal(address))
        {
            // Cloud metadata endpoints (169.254.169.254, fe80::/10) are never a FHIR server, even if misconfigured.
            return Verdict.LinkLocalAddress;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !(allowHttpLoopback && uri.IsLoopback))
        {
            return Verdict.PlainHttpNotAllowed;
        }

        return Verdict.Allowed;
    }

    /// <summary>
    /// Every path segment, decoded once, is made of RFC 3986 unreserved characters (<c>A-Z a-z 0-9 - . _ ~</c>) and is
    /// not <c>.</c> or <c>..</c>. Servers and proxies disagree on everything else, and each disagreement re-opens the
    /// prefix check: Tomcat and Jetty treat <c>..;</c> as <c>..</c> (path parameters), a second decoding turns
    /// <c>%252e</c> into <c>.</c>, lenient UTF-8 decoders read the overlong <c>%C0%AE</c> as <c>.</c>, normalising ones
    /// read <c>‥</c> (U+2025) as two dots, and <c>;x</c> or <c>%09</c> are cut or trimmed differently. A FHIR base URL
    /// needs none of them.
    /// </summary>
    private static bool HasPlainPathSegments(string escapedPath)
    {
        foreach (var segment in escapedPath.Split('/'))
        {
            var decoded = Uri.UnescapeDataString(segment);
            if (decoded is "." or "..")
            {
                return false;
            }

            foreach (var c in decoded)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Covers(Uri fhirBase, Uri candidate)
    {
        if (!string.Equals(fhirBase.Scheme, candidate.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(fhirBase.IdnHost, candidate.IdnHost, StringComparison.OrdinalIgnoreCase)
            || fhirBase.Port != candidate.Port)
        {
            return false;
        }

        // Uri has already removed dot segments; compare on whole segments so "/fhir" does not cover "/fhir-admin".
        var basePath = fhirBase.AbsolutePath.TrimEnd('/');
        var path = candidate.AbsolutePath;
        return path.Length == basePath.Length
            ? string.Equals(path, basePath, StringComparison.Ordinal)
            : path.StartsWith(basePath, StringComparison.Ordinal) && path[basePath.Length] == '/';
    }

    private static bool IsLinkLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            return bytes[0] == 169 && bytes[1] == 254;
        }

        return address.IsIPv6LinkLocal;
    }
}
