using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.LoadTool;

/// <summary>
/// The benchmark CDS client: an RS384 and an ES384 signing key generated per run (never committed), its public JWK Set
/// for <c>CdsHooks:Clients:0:JwksFile</c>, and the pre-minted client JWTs wrk sends (CDS Hooks 2.0 §Trusting CDS
/// Clients: iss, aud = the exact URL invoked, exp, iat, a unique jti per call because the replay cache stays on).
/// </summary>
internal static class BenchClient
{
    public const string Issuer = "https://load-bench.ehr.example.org";
    public const string RsaKid = "load-bench-rs384";
    public const string EcKid = "load-bench-es384";

    private const string RsaFile = "client-rs384.private.pem";
    private const string EcFile = "client-es384.private.pem";

    /// <summary>Writes both private keys (PKCS#8 PEM, mode 600) and the public JWK Set into <paramref name="directory"/>.</summary>
    public static void WriteKeys(string directory)
    {
        Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        WritePrivate(Path.Combine(directory, RsaFile), rsa.ExportPkcs8PrivateKeyPem());
        WritePrivate(Path.Combine(directory, EcFile), ec.ExportPkcs8PrivateKeyPem());

        var rsaPublic = rsa.ExportParameters(includePrivateParameters: false);
        var ecPublic = ec.ExportParameters(includePrivateParameters: false);
        var jwks = new JsonObject
        {
            ["keys"] = new JsonArray(
                new JsonObject
                {
                    ["kty"] = "RSA",
                    ["kid"] = RsaKid,
                    ["use"] = "sig",
                    ["alg"] = SecurityAlgorithms.RsaSha384,
                    ["n"] = Base64Url.EncodeToString(rsaPublic.Modulus),
                    ["e"] = Base64Url.EncodeToString(rsaPublic.Exponent),
                },
                new JsonObject
                {
                    ["kty"] = "EC",
                    ["kid"] = EcKid,
                    ["use"] = "sig",
                    ["alg"] = SecurityAlgorithms.EcdsaSha384,
                    ["crv"] = "P-384",
                    ["x"] = Base64Url.EncodeToString(ecPublic.Q.X),
                    ["y"] = Base64Url.EncodeToString(ecPublic.Q.Y),
                }),
        };
        File.WriteAllText(Path.Combine(directory, "client-jwks.json"), jwks.ToJsonString());
    }

    /// <summary>
    /// Mints <paramref name="count"/> tokens for one audience, one per line, signed on every core (ES384 signing costs
    /// ~0.8 ms here, so 20,000 tokens take seconds; they are minted before the measured run, never during it).
    /// </summary>
    public static void Mint(string keyDirectory, string algorithm, string audience, int count, TimeSpan lifetime, string outputPath)
    {
        var isRsa = algorithm switch
        {
            SecurityAlgorithms.RsaSha384 => true,
            SecurityAlgorithms.EcdsaSha384 => false,
            _ => throw new ArgumentException($"Unsupported algorithm '{algorithm}': RS384 or ES384.", nameof(algorithm)),
        };
        var pem = File.ReadAllText(Path.Combine(keyDirectory, isRsa ? RsaFile : EcFile));
        var issuedAt = TimeProvider.System.GetUtcNow();
        var tokens = new string[count];
        var partitions = Math.Max(1, Environment.ProcessorCount);

        Parallel.For(0, partitions, partition =>
        {
            // One key object per thread (the platform crypto handles are not documented as safe for concurrent use),
            // and no shared provider cache: it is keyed by the public key, so threads would share one provider.
            using AsymmetricAlgorithm key = isRsa ? RSA.Create() : ECDsa.Create();
            key.ImportFromPem(pem);
            var factory = new CryptoProviderFactory { CacheSignatureProviders = false };
            SecurityKey securityKey = key is RSA rsa
                ? new RsaSecurityKey(rsa) { KeyId = RsaKid, CryptoProviderFactory = factory }
                : new ECDsaSecurityKey((ECDsa)key) { KeyId = EcKid, CryptoProviderFactory = factory };
            var credentials = new SigningCredentials(securityKey, algorithm);
            var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
            for (var i = partition; i < count; i += partitions)
            {
                tokens[i] = handler.CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = Issuer,
                    Audience = audience,
                    IssuedAt = issuedAt.UtcDateTime,
                    Expires = (issuedAt + lifetime).UtcDateTime,
                    TokenType = "JWT",
                    Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString() },
                    SigningCredentials = credentials,
                });
            }
        });

        File.WriteAllLines(outputPath, tokens, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void WritePrivate(string path, string pem)
    {
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
