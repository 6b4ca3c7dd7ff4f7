using Microsoft.Extensions.Options;

namespace CdsService.Api.Configuration;

/// <summary>
/// Start-time validation of the trust configuration. Every rule here protects a security property of docs/security.md §3:
/// a token maps to one client (an issuer is configured once, or once per distinct tenant), https key sets outside
/// Development (a key fetched over http can be substituted), fhirServer allowlist entries that compare safely after
/// normalisation (no userinfo, query or fragment), and in Production an <c>aud</c> that does not come from the caller's
/// Host header. The rules about keys whose private half is public are client trust's own (Security's PublishedKeyValidator).
/// </summary>
public sealed class CdsHooksOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<CdsHooksOptions>
{
    public ValidateOptionsResult Validate(string? name, CdsHooksOptions options)
    {
        var errors = new List<string>();

        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            && (!TryHttpUrl(options.PublicBaseUrl, out var publicBase) || !string.IsNullOrEmpty(publicBase.Query) || !string.IsNullOrEmpty(publicBase.Fragment)))
        {
            errors.Add("CdsHooks:PublicBaseUrl must be an absolute http(s) URL without query or fragment.");
        }

        // aud must equal "the exact URL invoked" (spec §Trusting CDS Clients). Without PublicBaseUrl that URL is rebuilt
        // from the request's Host header, which the caller chooses: only a host filter (AllowedHosts) makes it trustworthy.
        var allowedHosts = configuration["AllowedHosts"];
        if (environment.IsProduction() && string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            && (string.IsNullOrWhiteSpace(allowedHosts) || allowedHosts.Split(';').Any(h => h.Trim() is "*" or "")))
        {
            errors.Add("CdsHooks:PublicBaseUrl is required in Production (the URL the EHR calls; the token's aud must equal it), unless AllowedHosts lists the service's host names without a wildcard.");
        }

        var clientKeys = new HashSet<(string Issuer, string? Tenant)>();
        for (var i = 0; i < options.Clients.Count; i++)
        {
            ValidateClient($"CdsHooks:Clients:{i}", options.Clients[i], clientKeys, errors);
        }

        foreach (var shared in options.Clients.Where(c => !string.IsNullOrWhiteSpace(c.Issuer)).GroupBy(c => c.Issuer!, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            if (shared.Any(c => string.IsNullOrWhiteSpace(c.Tenant)))
            {
                errors.Add($"CdsHooks:Clients: issuer '{shared.Key}' is configured more than once; each of its entries needs its own Tenant (a token then selects its client by its tenant claim).");
            }
        }

        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            if (!TryHttpUrl(options.AllowedOrigins[i], out var origin) || origin.AbsolutePath != "/")
            {
                errors.Add($"CdsHooks:AllowedOrigins:{i} must be an origin such as https://ehr.example.org (no path).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidateClient(string prefix, CdsClientOptions client, HashSet<(string, string?)> clientKeys, List<string> errors)
    {
        var tenant = string.IsNullOrWhiteSpace(client.Tenant) ? null : client.Tenant;
        if (string.IsNullOrWhiteSpace(client.Issuer))
        {
            errors.Add($"{prefix}:Issuer is required.");
        }
        else if (!clientKeys.Add((client.Issuer, tenant)))
        {
            errors.Add($"{prefix}:Issuer '{client.Issuer}' is configured twice{(tenant is null ? "" : $" for tenant '{tenant}'")}; each issuer (or issuer and tenant) maps to exactly one client.");
        }

        var hasUri = !string.IsNullOrWhiteSpace(client.JwksUri);
        var hasFile = !string.IsNullOrWhiteSpace(client.JwksFile);
        if (hasUri == hasFile)
        {
            errors.Add($"{prefix}: exactly one of JwksUri and JwksFile is required.");
        }

        if (hasUri && !IsAllowedKeySetUrl(client.JwksUri!))
        {
            errors.Add($"{prefix}:JwksUri must be an absolute https URL (http only to loopback outside Production).");
        }

        if (hasUri && IsLinkLocalLiteral(client.JwksUri!))
        {
            errors.Add($"{prefix}:JwksUri names a link-local address (the cloud metadata range); no key set is served there.");
        }

        if (hasFile && !File.Exists(client.JwksFile))
        {
            errors.Add($"{prefix}:JwksFile '{client.JwksFile}' does not exist.");
        }

        for (var j = 0; j < client.PinnedJku.Count; j++)
        {
            var pinned = client.PinnedJku[j];
            if (string.IsNullOrWhiteSpace(pinned.Url) || !TryHttpUrl(pinned.Url, out _))
            {
                errors.Add($"{prefix}:PinnedJku:{j}:Url must be the absolute URL the client sends as jku.");
            }

            if (string.IsNullOrWhiteSpace(pinned.File) || !File.Exists(pinned.File))
            {
                errors.Add($"{prefix}:PinnedJku:{j}:File must name an existing JWK Set file (the keys that answer for that jku).");
            }
        }

        if (!string.IsNullOrWhiteSpace(client.JkuListUri) && !IsAllowedKeySetUrl(client.JkuListUri))
        {
            errors.Add($"{prefix}:JkuListUri must be an absolute https URL (http only to loopback outside Production).");
        }

        for (var j = 0; j < client.AllowedJku.Count; j++)
        {
            if (!IsAllowedKeySetUrl(client.AllowedJku[j]))
            {
                errors.Add($"{prefix}:AllowedJku:{j} must be an absolute https URL (http only to loopback outside Production).");
            }
        }

        for (var j = 0; j < client.FhirServers.Count; j++)
        {
            if (!TryHttpUrl(client.FhirServers[j], out var fhir)
                || !string.IsNullOrEmpty(fhir.UserInfo) || !string.IsNullOrEmpty(fhir.Query) || !string.IsNullOrEmpty(fhir.Fragment)
                || !IsSchemeAllowed(fhir))
            {
                errors.Add($"{prefix}:FhirServers:{j} must be an absolute https URL without userinfo, query or fragment (http only to loopback outside Production).");
            }
            else if (IsLinkLocalLiteral(client.FhirServers[j]))
            {
                errors.Add($"{prefix}:FhirServers:{j} names a link-local address (the cloud metadata range); no FHIR server is served there.");
            }
        }
    }

    private bool IsAllowedKeySetUrl(string value) =>
        TryHttpUrl(value, out var uri) && string.IsNullOrEmpty(uri.UserInfo) && IsSchemeAllowed(uri);

    // A token or key sent over plain http can be read or replaced on the way (docs/security.md §4): in Production only
    // https; plain http only to loopback in Development and tests.
    private bool IsSchemeAllowed(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.IsLoopback && !environment.IsProduction());

    // 169.254.0.0/16 and fe80::/10, in any spelling Uri accepts (decimal, IPv4-mapped IPv6): docs/security.md §4.
    private static bool IsLinkLocalLiteral(string value) =>
        TryHttpUrl(value, out var uri)
        && System.Net.IPAddress.TryParse(uri.DnsSafeHost, out var address)
        && CdsService.Fhir.Data.OutboundAddressGuard.IsLinkLocal(address);

    private static bool TryHttpUrl(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
