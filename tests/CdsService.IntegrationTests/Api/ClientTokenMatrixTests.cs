using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Api;

/// <summary>
/// Client trust (spec §Trusting CDS Clients, docs/security.md §3): the full token matrix. Every case is a bare 401 with exactly one log event naming
/// the reason, and the token itself appears in no log event. Each case differs from a valid call in one thing only;
/// the positive controls below prove the same call succeeds without it.
/// </summary>
public sealed class ClientTokenMatrixTests
{
    private const string Service = HookRequests.OrderSignService;
    private const string Tenant = "tenant-a";

    private static readonly Dictionary<string, (Func<TokenSpec, TokenSpec> Token, string Reason)> Cases = new()
    {
        ["alg none"] = (t => t with { Algorithm = "none" }, "DisallowedAlgorithm"),
        ["HS256 keyed with the public key bytes"] = (t => t with { Algorithm = "HS256" }, "DisallowedAlgorithm"),
        ["unknown kid"] = (t => t with { Kid = "no-such-kid" }, "UnknownKid"),
        ["missing kid"] = (t => t with { OmitKid = true }, "MissingKid"),
        ["bad signature (tampered)"] = (t => t with { CorruptSignature = true }, "InvalidSignature"),
        ["bad signature (other key, same kid)"] = (t => t with { Key = TestKeys.ImpostorRsa }, "InvalidSignature"),
        ["unknown iss"] = (t => t with { Issuer = "https://attacker.example" }, "UnknownIssuer"),
        ["missing iss"] = (t => t with { Issuer = null }, "UnknownIssuer"),
        ["aud for another service"] = (t => t with { Audience = $"http://localhost/cds-services/{HookRequests.PatientViewService}" }, "AudienceMismatch"),
        ["aud for another host"] = (t => t with { Audience = $"https://cds.other.example/cds-services/{Service}" }, "AudienceMismatch"),
        ["aud 127.0.0.1 when localhost was called"] = (t => t with { Audience = $"http://127.0.0.1/cds-services/{Service}" }, "AudienceMismatch"),
        ["aud with a trailing slash"] = (t => t with { Audience = $"http://localhost/cds-services/{Service}/" }, "AudienceMismatch"),
        ["expired"] = (t => t with { IssuedAtOffset = TimeSpan.FromMinutes(-30), Lifetime = TimeSpan.FromMinutes(5) }, "Expired"),
        ["iat in the future"] = (t => t with { IssuedAtOffset = TimeSpan.FromMinutes(10) }, "IssuedInFuture"),
        ["missing iat"] = (t => t with { IssuedAtOffset = null }, "MissingIssuedAt"),
        ["missing exp"] = (t => t with { Lifetime = null }, "MissingExpiry"),
        ["nbf in the future"] = (t => t with { NotBeforeOffset = TimeSpan.FromMinutes(10) }, "NotYetValid"),
        ["lifetime over the 15-minute maximum"] = (t => t with { Lifetime = TimeSpan.FromMinutes(16) }, "LifetimeTooLong"),
        ["lifetime of 1 hour"] = (t => t with { Lifetime = TimeSpan.FromHours(1) }, "LifetimeTooLong"),
        ["missing jti"] = (t => t with { Jti = null }, "MissingJti"),
        ["typ missing"] = (t => t with { Type = null }, "InvalidType"),
        ["typ not JWT"] = (t => t with { Type = "at+jwt" }, "InvalidType"),
        ["jku not allowlisted"] = (t => t with { Jku = "https://attacker.example/jwks.json" }, "JkuNotAllowed"),
        ["wrong tenant"] = (t => t with { Tenant = "tenant-b" }, "TenantMismatch"),
        ["tenant missing when required"] = (t => t with { Tenant = null }, "MissingTenant"),
        ["crit header naming an extension"] = (t => t with { ExtraHeaders = new JsonObject { ["crit"] = new JsonArray("exp"), ["exp"] = 0 } }, "UnsupportedCriticalHeader"),
        ["alg other than the one the JWK is bound to"] = (t => t with { Algorithm = "PS384" }, "KeyAlgorithmMismatch"),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task GivenHostileOrBrokenToken_WhenServiceCalled_ThenBare401AndOneReasonEvent(string name)
    {
        var (token, reason) = Cases[name];
        await using var app = NewApp();
        using var client = app.CreateCdsClient(out var handler, t => token(Valid(t)));

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        await AssertRefusedAsync(app, response, reason, handler.IssuedTokens);
    }

    [Fact]
    public async Task GivenNoAuthorizationHeader_WhenServiceCalled_ThenBare401MissingToken()
    {
        await using var app = NewApp();
        using var client = app.CreateAnonymousClient();

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        await AssertRefusedAsync(app, response, "MissingToken", []);
    }

    [Theory]
    [InlineData("Bearer not-a-jwt", "Malformed")]
    [InlineData("Bearer a.b", "Malformed")]
    [InlineData("Basic dXNlcjpwYXNz", "NotBearer")]
    public async Task GivenAuthorizationThatIsNotAJwt_WhenServiceCalled_ThenBare401(string header, string reason)
    {
        await using var app = NewApp();
        using var client = app.CreateAnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cds-services/{Service}") { Content = HookRequests.Json(HookRequests.OrderSign()) };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(header);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertRefusedAsync(app, response, reason, [header]);
    }

    [Fact]
    public async Task GivenReplayedJti_WhenSecondCallMade_ThenFirst200SecondBare401()
    {
        await using var app = NewApp();
        var jti = Guid.NewGuid().ToString();
        using var client = app.CreateCdsClient(out var handler, t => Valid(t) with { Jti = jti });

        using var first = await client.PostHookAsync(Service, HookRequests.OrderSign());
        using var second = await client.PostHookAsync(Service, HookRequests.OrderSign());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await AssertRefusedAsync(app, second, "ReplayedJti", handler.IssuedTokens);
    }

    [Fact]
    public async Task GivenSameJtiFromTwoIssuers_WhenBothCall_ThenNeitherIsAReplay()
    {
        // Replay is tracked per issuer (a jti is unique only within its issuer): another client's token id is not this client's.
        var jti = Guid.NewGuid().ToString();
        await using var app = new CdsApiFactory(environment: "Development");
        using var client = app.CreateCdsClient(t => t with { Jti = jti });
        using var sandbox = app.CreateCdsClient(t => t with { Jti = jti, Algorithm = "ES384", Key = TestKeys.Sandbox, Issuer = "https://sandbox.cds-hooks.org" });

        using var first = await client.GetDiscoveryAsync();
        using var second = await sandbox.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Theory]
    [InlineData("RS384")]
    [InlineData("ES384")]
    public async Task GivenValidToken_WhenServiceCalled_Then200(string algorithm)
    {
        await using var app = NewApp();
        using var client = app.CreateCdsClient(t => Valid(t) with { Algorithm = algorithm });

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        using var _ = await CdsAssert.CdsResponseAsync(response);
        Assert.Empty(app.Logs.Named("ClientAuthenticationFailed"));
    }

    [Fact]
    public async Task GivenEpicStyleTokenWithSubNbfAndAudArray_WhenServiceCalled_Then200()
    {
        await using var app = NewApp();
        using var client = app.CreateCdsClient(t => Valid(t) with
        {
            NotBeforeOffset = TimeSpan.FromMinutes(-5),
            Lifetime = TimeSpan.FromMinutes(15),
            Audience = new JsonArray("https://other.example/cds-services", $"http://localhost/cds-services/{Service}"),
            ExtraClaims = new JsonObject { ["sub"] = "epic-client-id" },
        });

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        using var _ = await CdsAssert.CdsResponseAsync(response);
    }

    [Fact]
    public async Task GivenLifetimeOfExactlyTheMaximumAndSkewedClock_WhenServiceCalled_Then200()
    {
        await using var app = NewApp();
        using var client = app.CreateCdsClient(t => Valid(t) with { IssuedAtOffset = TimeSpan.FromSeconds(45), Lifetime = TimeSpan.FromMinutes(15) });

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        using var _ = await CdsAssert.CdsResponseAsync(response);
    }

    [Fact]
    public async Task GivenMaxTokenLifetimeRaisedToOneHour_WhenAOneHourTokenIsSent_Then200()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:Tenant"] = Tenant,
            ["CdsHooks:Limits:MaxTokenLifetime"] = "01:00:00",
        });
        using var client = app.CreateCdsClient(t => Valid(t) with { Lifetime = TimeSpan.FromHours(1) });

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        using var _ = await CdsAssert.CdsResponseAsync(response);
    }

    [Theory]
    [InlineData("jwt")]
    [InlineData("Jwt")]
    public async Task GivenTypInAnotherCase_WhenServiceCalled_Then200(string type)
    {
        // RFC 7515 §4.1.9: typ is a media type name, compared case-insensitively.
        await using var app = NewApp();
        using var client = app.CreateCdsClient(t => Valid(t) with { Type = type });

        using var response = await client.PostHookAsync(Service, HookRequests.OrderSign());

        using var _ = await CdsAssert.CdsResponseAsync(response);
    }

    [Fact]
    public async Task GivenPublicBaseUrl_WhenAudIsThePublicUrl_Then200AndTheInternalUrlIsRefused()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { ["CdsHooks:PublicBaseUrl"] = "https://cds.example.org/" });
        using var publicAud = app.CreateCdsClient(t => t with { Audience = "https://cds.example.org/cds-services" });
        using var internalAud = app.CreateCdsClient();

        using var accepted = await publicAud.GetDiscoveryAsync();
        using var refused = await internalAud.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await CdsAssert.BareUnauthorizedAsync(refused);
    }

    private static CdsApiFactory NewApp() =>
        new(settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:Tenant"] = Tenant });

    private static TokenSpec Valid(TokenSpec spec) => spec with { Tenant = Tenant };

    private static async Task AssertRefusedAsync(CdsApiFactory app, HttpResponseMessage response, string reason, IEnumerable<string> tokens)
    {
        await CdsAssert.BareUnauthorizedAsync(response);
        var failure = Assert.Single(app.Logs.Named("ClientAuthenticationFailed"));
        Assert.Equal(reason, CollectingSink.Property(failure, "Reason"));
        var logs = app.Logs.AllText();
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, logs, StringComparison.Ordinal);
            var parts = token.Split('.');
            if (parts.Length == 3 && parts[2].Length > 0)
            {
                Assert.DoesNotContain(parts[2], logs, StringComparison.Ordinal);
            }
        }
    }
}
