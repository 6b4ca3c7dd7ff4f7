using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.IntegrationTests.Support;

/// <summary>
/// What goes into a client JWT. Defaults describe a valid token from <see cref="CdsApiFactory.Issuer"/>; each test
/// changes one thing (set a member to null to leave that claim or header out).
/// </summary>
public sealed record TokenSpec
{
    /// <summary>"RS384", "ES384", or for attacks "none" / "HS256" (HMAC keyed with the RSA public key bytes).</summary>
    public string Algorithm { get; init; } = SecurityAlgorithms.RsaSha384;

    /// <summary>Signing key; defaults to the test client's RSA or EC key according to <see cref="Algorithm"/>.</summary>
    public TestSigningKey? Key { get; init; }

    /// <summary>The kid header; defaults to the signing key's kid. Set <see cref="OmitKid"/> to leave it out.</summary>
    public string? Kid { get; init; }

    public bool OmitKid { get; init; }

    public string? Type { get; init; } = "JWT";

    public string? Jku { get; init; }

    public string? Issuer { get; init; } = CdsApiFactory.Issuer;

    /// <summary>Defaults to the URL being called (the handler fills it in); a JsonArray for the array form.</summary>
    public JsonNode? Audience { get; init; }

    /// <summary>iat relative to now; null leaves iat out.</summary>
    public TimeSpan? IssuedAtOffset { get; init; } = TimeSpan.Zero;

    /// <summary>exp − iat; null leaves exp out.</summary>
    public TimeSpan? Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>nbf relative to now, when set.</summary>
    public TimeSpan? NotBeforeOffset { get; init; }

    public string? Jti { get; init; } = Guid.NewGuid().ToString();

    public string? Tenant { get; init; }

    public JsonObject? ExtraClaims { get; init; }

    /// <summary>Further JOSE header parameters (e.g. <c>crit</c>).</summary>
    public JsonObject? ExtraHeaders { get; init; }

    /// <summary>Flip a byte of the signature after signing.</summary>
    public bool CorruptSignature { get; init; }
}

/// <summary>Builds compact JWS tokens byte by byte, so malformed and hostile variants are as easy as valid ones.</summary>
public sealed class TokenMinter(TimeProvider time)
{
    public string Mint(TokenSpec spec, string audience)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var key = spec.Key ?? (spec.Algorithm.StartsWith("ES", StringComparison.Ordinal) ? TestKeys.Ec : TestKeys.Rsa);
        var header = new JsonObject { ["alg"] = spec.Algorithm };
        if (spec.Type is not null)
        {
            header["typ"] = spec.Type;
        }

        if (!spec.OmitKid)
        {
            header["kid"] = spec.Kid ?? key.Kid;
        }

        if (spec.Jku is not null)
        {
            header["jku"] = spec.Jku;
        }

        foreach (var (name, value) in spec.ExtraHeaders ?? [])
        {
            header[name] = value?.DeepClone();
        }

        var now = time.GetUtcNow();
        var payload = new JsonObject();
        if (spec.Issuer is not null)
        {
            payload["iss"] = spec.Issuer;
        }

        payload["aud"] = spec.Audience?.DeepClone() ?? audience;
        if (spec.IssuedAtOffset is { } iatOffset)
        {
            var iat = now + iatOffset;
            payload["iat"] = iat.ToUnixTimeSeconds();
            if (spec.Lifetime is { } lifetime)
            {
                payload["exp"] = (iat + lifetime).ToUnixTimeSeconds();
            }
        }
        else if (spec.Lifetime is { } lifetime)
        {
            payload["exp"] = (now + lifetime).ToUnixTimeSeconds();
        }

        if (spec.NotBeforeOffset is { } nbf)
        {
            payload["nbf"] = (now + nbf).ToUnixTimeSeconds();
        }

        if (spec.Jti is not null)
        {
            payload["jti"] = spec.Jti;
        }

        if (spec.Tenant is not null)
        {
            payload["tenant"] = spec.Tenant;
        }

        foreach (var (name, value) in spec.ExtraClaims ?? [])
        {
            payload[name] = value?.DeepClone();
        }

        var signingInput = $"{Encode(header)}.{Encode(payload)}";
        var signature = spec.Algorithm switch
        {
            "none" => [],
            "HS256" => HMACSHA256.HashData(key.PublicKeyBytes(), Encoding.ASCII.GetBytes(signingInput)),
            _ => key.Sign(Encoding.ASCII.GetBytes(signingInput), spec.Algorithm),
        };

        if (spec.CorruptSignature && signature.Length > 0)
        {
            signature[^1] ^= 0x01;
        }

        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string Encode(JsonObject json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json.ToJsonString()));
}

/// <summary>
/// Adds a freshly minted client JWT to every request, with aud = the exact URL called (as a real CDS client does).
/// Tests go through the real JwtBearer pipeline; nothing about authentication is bypassed.
/// </summary>
public sealed class ClientTokenHandler(TokenMinter minter, Func<TokenSpec> spec) : DelegatingHandler
{
    /// <summary>Every token sent, so tests can prove none of them reached the logs.</summary>
    public List<string> IssuedTokens { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var audience = request.RequestUri!.GetLeftPart(UriPartial.Path);
        var token = minter.Mint(spec(), audience);
        lock (IssuedTokens)
        {
            IssuedTokens.Add(token);
        }

        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }
}
