using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Preview;

/// <summary>
/// The preview's own CDS client identity: an ES384 (P-384) key pair generated in memory at start and never written
/// anywhere but its public half. The public half is registered as one more trusted client (issuer
/// <see cref="Issuer"/>, JWK Set file in a private temp folder), so the preview's calls go through the same JwtBearer
/// validation as an EHR's: signature, aud = exact URL, exp/iat, jti replay (CDS Hooks 2.0 §Trusting CDS Clients).
/// A restart makes a new key; tokens minted before it stop verifying, which is the point.
/// </summary>
public sealed class PreviewSigningKey : IDisposable
{
    /// <summary>The iss of preview tokens. A URN, not a URL: nothing is ever fetched for it.</summary>
    public const string Issuer = "urn:cds-hypogonadism:preview";

    /// <summary>Token lifetime, as the CDS Hooks sandbox uses (exp = iat + 300 s; spec brief §2.2).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ECDsa key;
    private readonly ECDsaSecurityKey securityKey;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public PreviewSigningKey()
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        KeyId = "preview-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        securityKey = new ECDsaSecurityKey(key) { KeyId = KeyId };
        var folder = Path.Combine(Path.GetTempPath(), "cds-hypogonadism-preview");
        var directory = Directory.CreateDirectory(folder);
        if (!OperatingSystem.IsWindows())
        {
            // Only this user may replace the key set the service will trust.
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        JwksFile = Path.Combine(folder, $"{KeyId}.jwks.json");
        File.WriteAllText(JwksFile, PublicJwks().ToJsonString());
    }

    public string KeyId { get; }

    /// <summary>The file holding the public JWK Set, registered as the preview client's <c>JwksFile</c>.</summary>
    public string JwksFile { get; }

    /// <summary>A client JWT for one call to <paramref name="audience"/> (the exact URL the preview is about to invoke).</summary>
    public string Mint(string audience, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            TokenType = "JWT",
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString() },
            SigningCredentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha384),
        });
    }

    public void Dispose()
    {
        key.Dispose();
        try
        {
            File.Delete(JwksFile);
        }
        catch (IOException)
        {
            // Only a public key is left behind, and it is useless once this process (which holds the private key) ends.
        }
    }

    private JsonObject PublicJwks()
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "EC",
                ["use"] = "sig",
                ["crv"] = "P-384",
                ["alg"] = SecurityAlgorithms.EcdsaSha384,
                ["kid"] = KeyId,
                ["x"] = Base64UrlEncoder.Encode(parameters.Q.X),
                ["y"] = Base64UrlEncoder.Encode(parameters.Q.Y),
            }),
        };
    }
}
