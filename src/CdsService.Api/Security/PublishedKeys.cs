using System.Collections.Frozen;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Security;

/// <summary>
/// Signing keys whose private half is public: the CDS Hooks sandbox's key (cds-hooks/sandbox keys/ecprivkey.pem, also
/// shipped in src/CdsService.Cli/DevOnly so the CLI can sign like the sandbox). Anyone can mint tokens with it, so
/// Production refuses to start with it in a client's key set and never uses it from a fetched one. Keys are compared
/// by JWK thumbprint (RFC 7638), so a copy under another kid or with other optional members is still recognised.
/// </summary>
public static class PublishedKeys
{
    private static readonly Lazy<FrozenSet<string>> Thumbprints = new(() =>
    {
        using var stream = typeof(PublishedKeys).Assembly.GetManifestResourceStream(ClientRegistry.SandboxKeySetResource)
            ?? throw new InvalidOperationException("Embedded sandbox JWK Set not found.");
        using var reader = new StreamReader(stream);
        return new JsonWebKeySet(reader.ReadToEnd()).Keys.Select(Thumbprint).OfType<string>().ToFrozenSet(StringComparer.Ordinal);
    });

    /// <summary>The RFC 7638 thumbprint (base64url SHA-256), or null for a key without the members it needs.</summary>
    public static string? Thumbprint(JsonWebKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            return Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null;
        }
    }

    public static bool IsPublished(JsonWebKey key) => Thumbprint(key) is { } thumbprint && Thumbprints.Value.Contains(thumbprint);

    /// <summary>Whether a JWK Set document holds a published key.</summary>
    public static bool AnyPublished(string jwksJson) => new JsonWebKeySet(jwksJson).Keys.Any(IsPublished);
}
