using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Cli;

/// <summary>
/// Signs the CDS client JWT (CDS Hooks 2.0 §Trusting CDS Clients): header alg/kid/typ=JWT, payload iss, aud = the exact
/// URL invoked, iat, exp = iat + 5 min (the sandbox's lifetime), a fresh jti. Asymmetric keys only (the spec forbids
/// symmetric algorithms): an EC key signs with ES256/384/512 by curve, an RSA key with RS384 (spec-recommended).
/// </summary>
public sealed class ClientTokenSigner
{
    /// <summary>The public CDS Hooks sandbox identity, trusted by the service in Development only (DevOnly/README.md).</summary>
    public const string SandboxIssuer = "https://sandbox.cds-hooks.org";

    public const string SandboxKid = "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f";

    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly SigningCredentials credentials;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    private ClientTokenSigner(SecurityKey key, string algorithm, string issuer)
    {
        credentials = new SigningCredentials(key, algorithm);
        Issuer = issuer;
    }

    public string Issuer { get; }

    public string KeyId => credentials.Key.KeyId;

    public string Algorithm => credentials.Algorithm;

    /// <summary>The development default: the sandbox's published key (embedded in this tool).</summary>
    public static ClientTokenSigner Sandbox()
    {
        using var stream = typeof(ClientTokenSigner).Assembly.GetManifestResourceStream("devonly/cds-hooks-sandbox.private.pem")
            ?? throw new InvalidOperationException("The embedded sandbox key is missing from this build.");
        using var reader = new StreamReader(stream);
        return FromPem(reader.ReadToEnd(), SandboxIssuer, SandboxKid);
    }

    /// <summary>
    /// A signer from a key file: a PEM private key (EC or RSA, PKCS#8 or traditional) or a private JWK / JWK Set
    /// (the first key with a private part). <paramref name="kid"/> is required for PEM, optional for a JWK that has one.
    /// </summary>
    public static ClientTokenSigner FromFile(string path, string issuer, string? kid)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        var text = File.ReadAllText(path);
        return text.TrimStart().StartsWith('{') ? FromJwk(text, issuer, kid) : FromPem(text, issuer, kid);
    }

    public static ClientTokenSigner FromPem(string pem, string issuer, string? kid)
    {
        if (string.IsNullOrWhiteSpace(kid))
        {
            throw new ArgumentException("A PEM key needs --kid: the service looks the key up by kid in the client's JWK Set.", nameof(kid));
        }

        // "PRIVATE KEY" (PKCS#8) may hold either kind; each importer refuses the other's key.
        if (TryImport(pem, RSA.Create) is { } rsa)
        {
            return new ClientTokenSigner(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha384, issuer);
        }

        var ec = TryImport(pem, ECDsa.Create) ?? throw new ArgumentException("The PEM file holds no EC or RSA private key.", nameof(pem));
        return new ClientTokenSigner(new ECDsaSecurityKey(ec) { KeyId = kid }, EcAlgorithm(ec.KeySize), issuer);
    }

    public static ClientTokenSigner FromJwk(string json, string issuer, string? kid)
    {
        using var document = JsonDocument.Parse(json);
        var candidates = document.RootElement.TryGetProperty("keys", out var keys) && keys.ValueKind == JsonValueKind.Array
            ? keys.EnumerateArray().Select(k => k.GetRawText()).ToList()
            : [document.RootElement.GetRawText()];
        var jwk = candidates.Select(c => new JsonWebKey(c))
            .FirstOrDefault(k => k.HasPrivateKey && (string.IsNullOrEmpty(kid) || k.Kid == kid))
            ?? throw new ArgumentException("The JWK file holds no private key" + (kid is null ? "." : $" with kid '{kid}'."), nameof(json));
        if (!string.IsNullOrEmpty(kid))
        {
            jwk.Kid = kid;
        }

        if (string.IsNullOrEmpty(jwk.Kid))
        {
            throw new ArgumentException("The JWK has no kid; pass --kid.", nameof(json));
        }

        var algorithm = jwk.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.EllipticCurve => jwk.Crv switch
            {
                "P-256" => SecurityAlgorithms.EcdsaSha256,
                "P-521" => SecurityAlgorithms.EcdsaSha512,
                _ => SecurityAlgorithms.EcdsaSha384,
            },
            JsonWebAlgorithmsKeyTypes.RSA => SecurityAlgorithms.RsaSha384,
            _ => throw new ArgumentException($"Key type '{jwk.Kty}' cannot sign a CDS Hooks JWT (asymmetric keys only).", nameof(json)),
        };
        return new ClientTokenSigner(jwk, algorithm, issuer);
    }

    /// <summary>A token for one call to <paramref name="audience"/>; <paramref name="tenant"/> when the EHR uses one.</summary>
    public string Sign(string audience, DateTimeOffset now, string? tenant = null)
    {
        var claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString() };
        if (!string.IsNullOrEmpty(tenant))
        {
            claims["tenant"] = tenant;
        }

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            TokenType = "JWT",
            Claims = claims,
            SigningCredentials = credentials,
        });
    }

    private static string EcAlgorithm(int keySize) => keySize switch
    {
        256 => SecurityAlgorithms.EcdsaSha256,
        521 => SecurityAlgorithms.EcdsaSha512,
        _ => SecurityAlgorithms.EcdsaSha384,
    };

    private static T? TryImport<T>(string pem, Func<T> create)
        where T : AsymmetricAlgorithm
    {
        var key = create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (ArgumentException)
        {
            key.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }
}
