using System.Net;
using CdsService.Api;
using CdsService.IntegrationTests.Support;
using Microsoft.Extensions.Options;

namespace CdsService.IntegrationTests.Feedback;

/// <summary>
/// GET /admin/feedback/summary is opened only by the separately configured admin client (docs/deploy.md §Governance: "never by a CDS
/// client token alone"). Every refusal is a bare 401 with one log event naming the reason.
/// </summary>
public sealed class AdminSummaryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GivenAValidAdminToken_WhenNoFeedbackExists_Then200WithZeroCountsAndNoRates()
    {
        await using var app = new CdsApiFactory(settings: AdminClient.Settings);

        var summary = await app.SummaryAsync();

        var total = summary.GetProperty("total");
        Assert.Equal((0, 0, 0), (total.GetProperty("feedback").GetInt32(), total.GetProperty("accepted").GetInt32(), total.GetProperty("overridden").GetInt32()));
        Assert.False(total.TryGetProperty("acceptanceRate", out _));
        Assert.Equal(0, summary.GetProperty("cardTypes").GetArrayLength());
        Assert.Equal(0, summary.GetProperty("overrideReasons").GetArrayLength());
    }

    public static TheoryData<string, string> CdsClientTokens => new()
    {
        { "CDS client token for the admin URL", AdminClient.SummaryUrl },
        { "CDS client token for a CDS service URL", "http://localhost/cds-services" },
    };

    [Theory]
    [MemberData(nameof(CdsClientTokens))]
    public async Task GivenAValidCdsClientToken_WhenSummaryRequested_ThenBare401(string scenario, string audience)
    {
        await using var app = new CdsApiFactory(settings: AdminClient.Settings);
        var token = app.Minter.Mint(new TokenSpec(), audience);

        using var response = await app.GetSummaryAsync(token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, scenario);
        await CdsAssert.BareUnauthorizedAsync(response);
        Assert.Single(app.Logs.Named("AdminAuthenticationFailed"));
    }

    [Fact]
    public async Task GivenAValidCdsClientTokenWhoseKeyAlsoSignsForTheAdminIssuer_WhenSummaryRequested_ThenBare401()
    {
        // The EHR's own key, claiming to be the admin issuer: the admin key set does not contain it.
        await using var app = new CdsApiFactory(settings: AdminClient.Settings);
        var token = AdminClient.Token(app, t => t with { Key = TestKeys.Ec, Kid = TestKeys.Ec.Kid });

        using var response = await app.GetSummaryAsync(token);

        await CdsAssert.BareUnauthorizedAsync(response);
    }

    public static TheoryData<string> BadAdminTokens => new()
    {
        "no token",
        "aud of a CDS service",
        "aud of another host",
        "expired",
        "lifetime over 1 hour",
        "no jti",
        "alg none",
        "bad signature",
    };

    [Theory]
    [MemberData(nameof(BadAdminTokens))]
    public async Task GivenABadAdminToken_WhenSummaryRequested_ThenBare401(string scenario)
    {
        await using var app = new CdsApiFactory(settings: AdminClient.Settings);
        var token = scenario switch
        {
            "no token" => null,
            "aud of a CDS service" => AdminClient.Token(app, audience: "http://localhost/cds-services"),
            "aud of another host" => AdminClient.Token(app, audience: "http://127.0.0.1/admin/feedback/summary"),
            "expired" => AdminClient.Token(app, t => t with { IssuedAtOffset = TimeSpan.FromMinutes(-20) }),
            "lifetime over 1 hour" => AdminClient.Token(app, t => t with { Lifetime = TimeSpan.FromHours(2) }),
            "no jti" => AdminClient.Token(app, t => t with { Jti = null }),
            "alg none" => AdminClient.Token(app, t => t with { Algorithm = "none" }),
            "bad signature" => AdminClient.Token(app, t => t with { CorruptSignature = true }),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        using var response = await app.GetSummaryAsync(token);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, scenario);
        await CdsAssert.BareUnauthorizedAsync(response);
    }

    [Fact]
    public async Task GivenAnAdminTokenUsedOnce_WhenReplayed_ThenBare401WithReasonReplayedJti()
    {
        await using var app = new CdsApiFactory(settings: AdminClient.Settings);
        var token = AdminClient.Token(app);

        using (var first = await app.GetSummaryAsync(token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var replay = await app.GetSummaryAsync(token);

        await CdsAssert.BareUnauthorizedAsync(replay);
        var refused = Assert.Single(app.Logs.Named("AdminAuthenticationFailed"));
        Assert.Equal(nameof(ClientAuthFailure.ReplayedJti), refused.Properties["Reason"].ToString());
    }

    [Fact]
    public async Task GivenNoAdminClientConfigured_WhenAnAdminTokenIsPresented_ThenBare401()
    {
        await using var app = new CdsApiFactory();

        using var response = await app.GetSummaryAsync(AdminClient.Token(app));

        await CdsAssert.BareUnauthorizedAsync(response);
    }

    [Fact]
    public async Task GivenTheAdminIssuerIsAlsoACdsClient_WhenTheServiceStarts_ThenItRefuses()
    {
        var settings = new Dictionary<string, string?>(AdminClient.Settings) { ["CdsHooks:Admin:Issuer"] = CdsApiFactory.Issuer };
        await using var app = new CdsApiFactory(settings: settings);

        var failure = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("must differ from every CDS client issuer", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?since=2026-01-01", "since")]
    [InlineData("?serviceId=no-such-service", "serviceId")]
    public async Task GivenABadQuery_WhenSummaryRequested_Then400ProblemNamingTheParameter(string query, string parameter)
    {
        await using var app = new CdsApiFactory(settings: AdminClient.Settings);

        using var response = await app.GetSummaryAsync(AdminClient.Token(app), query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'{parameter}'", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
