using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.IntegrationTests.Support;

/// <summary>A signing key of a test CDS client: its private half signs tokens, its public half goes into a JWK Set.</summary>
public sealed class TestSigningKey
{
    private TestSigningKey(string kid, string algorithm, RSA? rsa, ECDsa? ec)
    {
        Kid = kid;
        Algorithm = algorithm;
        Rsa = rsa;
        Ec = ec;
    }

    public string Kid { get; }

    /// <summary>RS384 or ES384.</summary>
    public string Algorithm { get; }

    public RSA? Rsa { get; }

    public ECDsa? Ec { get; }

    public static TestSigningKey NewRsa(string kid) => new(kid, SecurityAlgorithms.RsaSha384, RSA.Create(2048), null);

    public static TestSigningKey NewEc(string kid) => new(kid, SecurityAlgorithms.EcdsaSha384, null, ECDsa.Create(ECCurve.NamedCurves.nistP384));

    public static TestSigningKey FromEcPem(string kid, string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return new(kid, SecurityAlgorithms.EcdsaSha384, null, ec);
    }

    /// <summary>JWS signature over "header.payload" (RFC 7518 §3.3 PKCS#1 v1.5 / §3.4 ECDSA r||s), SHA-384.</summary>
    public byte[] Sign(byte[] data) => Sign(data, Algorithm);

    /// <summary>
    /// The signature for a JWS algorithm (RFC 7518 §3.3–§3.5): RS*/PS* with the RSA key, ES* with the EC key, the hash
    /// from the suffix. An algorithm the key's JWK does not name still signs correctly, so only the service's rule can
    /// refuse it.
    /// </summary>
    public byte[] Sign(byte[] data, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var hash = algorithm[^3..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "512" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA384,
        };
        return Rsa is not null
            ? Rsa.SignData(data, hash, algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1)
            : Ec!.SignData(data, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The public key as a JWK (what a client publishes).</summary>
    public JsonObject PublicJwk()
    {
        if (Rsa is not null)
        {
            var p = Rsa.ExportParameters(false);
            return new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = Algorithm,
                ["kid"] = Kid,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
            };
        }

        var q = Ec!.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["use"] = "sig",
            ["alg"] = Algorithm,
            ["kid"] = Kid,
            ["crv"] = "P-384",
            ["x"] = Base64UrlEncoder.Encode(q.Q.X),
            ["y"] = Base64UrlEncoder.Encode(q.Q.Y),
        };
    }

    /// <summary>The bytes an attacker would use as an HMAC secret in the RS/HS key-confusion attack.</summary>
    public byte[] PublicKeyBytes() => Rsa is not null ? Rsa.ExportSubjectPublicKeyInfo() : Ec!.ExportSubjectPublicKeyInfo();
}

/// <summary>
/// The keys of the test CDS client, generated once per test run (RSA generation is slow), plus a key that no client
/// trusts and the CDS Hooks sandbox's published (dev-only) key.
/// </summary>
public static class TestKeys
{
    public static TestSigningKey Rsa { get; } = TestSigningKey.NewRsa("test-rsa-1");

    public static TestSigningKey Ec { get; } = TestSigningKey.NewEc("test-ec-1");

    /// <summary>Same kid as <see cref="Rsa"/>, different key: a forged signature.</summary>
    public static TestSigningKey ImpostorRsa { get; } = TestSigningKey.NewRsa("test-rsa-1");

    /// <summary>
    /// The private key the CDS Hooks sandbox publishes in cds-hooks/sandbox keys/ecprivkey.pem (public on purpose:
    /// it is a browser-side test tool). Used to prove the Development trust of the sandbox issuer works end to end.
    /// </summary>
    public static TestSigningKey Sandbox { get; } = TestSigningKey.FromEcPem(
        "44823f3d-0b01-4a6c-a80e-b9d3e8a7226f",
        """
        -----BEGIN PRIVATE KEY-----
        MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDI5xiX1DMwqcEVSI9k
        oGKMNX+WwS2fqhYVU6q0XJdtj/5XrdYIFhh3Gwuj09yWvzihZANiAAR3D8kZHycH
        Yjpe943FQ6XaqTr31k8szadgjlJNJ2ISX1q8CSubcKR9gxuuuOvyVoFKbeYsT6fX
        Ng2Vr9qITdxvedmwvnVFsLvKzDerxokvEab6HHv1E8xikhMOOnuSDPI=
        -----END PRIVATE KEY-----
        """);

    public static string JwksJson(params TestSigningKey[] keys) =>
        new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.PublicJwk())]) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
