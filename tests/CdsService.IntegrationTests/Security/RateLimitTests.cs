using System.Collections.Immutable;
using System.Net;
using CdsService.Clinical.Model;
using CdsService.Fhir.Data;
using CdsService.IntegrationTests.Support;
using CdsService.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// Per-client concurrency and rate limit → 429 with Retry-After (docs/security.md §5): partitioned by the authenticated client (the
/// configured client — issuer, or a configured tenant of it — for the rate, issuer for concurrency), configured under
/// CdsHooks:RateLimit, answered with an OperationOutcome, audited and logged.
/// </summary>
public sealed class RateLimitTests
{
    private const string SecondIssuer = "https://second-ehr.test.example/cds-client";

    /// <summary>The test keys as a JWK Set file for a second configured client (the first gets its own per host).</summary>
    private static readonly Lazy<string> SharedJwksFile = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "cds-api-tests", $"second-client-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Ec));
        return path;
    });

    [Fact]
    public async Task GivenClientOverItsRate_WhenItCallsAgain_Then429WithRetryAfterAndAnOperationOutcome()
    {
        await using var app = RateLimitedApp(tokenLimit: 2);
        using var client = app.CreateCdsClient();

        using var first = await client.GetDiscoveryAsync();
        using var second = await client.GetDiscoveryAsync();
        using var third = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var outcome = await CdsAssert.OperationOutcomeAsync(third, HttpStatusCode.TooManyRequests);
        Assert.Equal("throttled", outcome.RootElement.GetProperty("issue")[0].GetProperty("code").GetString());
        var retryAfter = Assert.Single(third.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var throttled = Assert.Single(app.Logs.Named("ClientThrottled"));
        Assert.Equal(CdsApiFactory.Issuer, CollectingSink.Property(throttled, "ClientIssuer"));
        Assert.Equal("rate", CollectingSink.Property(throttled, "Limit"));
        var audit = Assert.Single(app.Logs.Named("HookCallAudited"));
        Assert.Equal("429", CollectingSink.Property(audit, "StatusCode"));
    }

    [Fact]
    public async Task GivenOneClientThrottled_WhenAnotherIssuerCalls_ThenItIsNotAffected()
    {
        await using var app = RateLimitedApp(tokenLimit: 1);
        using var first = app.CreateCdsClient();
        using var otherIssuer = app.CreateCdsClient(t => t with { Issuer = SecondIssuer });

        using var a1 = await first.GetDiscoveryAsync();
        using var a2 = await first.GetDiscoveryAsync();
        using var c = await otherIssuer.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, a1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, a2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, c.StatusCode);
    }

    [Fact]
    [TestedAttack("A client without a configured tenant puts a different tenant claim in every token to get a fresh rate budget each time", "one budget per issuer: 429 once the issuer's burst is spent")]
    public async Task GivenNoConfiguredTenant_WhenEveryTokenCarriesAnotherTenantClaim_ThenTheyShareTheIssuersBudget()
    {
        await using var app = RateLimitedApp(tokenLimit: 3);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var client = app.CreateCdsClient(t => t with { Tenant = $"made-up-tenant-{i}" });
            using var response = await client.GetDiscoveryAsync();
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task GivenTwoConfiguredTenantsOfOneIssuer_WhenOneIsThrottled_ThenTheOtherHasItsOwnBudget()
    {
        // Oracle Health: one issuer for every tenant; each configured tenant is its own client with its own budget.
        await using var app = RateLimitedApp(
            tokenLimit: 1,
            ("CdsHooks:Clients:0:Tenant", "tenant-a"),
            ("CdsHooks:Clients:2:Issuer", CdsApiFactory.Issuer),
            ("CdsHooks:Clients:2:Tenant", "tenant-b"),
            ("CdsHooks:Clients:2:JwksFile", SharedJwksFile.Value));
        using var tenantA = app.CreateCdsClient(t => t with { Tenant = "tenant-a" });
        using var tenantB = app.CreateCdsClient(t => t with { Tenant = "tenant-b" });

        using var a1 = await tenantA.GetDiscoveryAsync();
        using var a2 = await tenantA.GetDiscoveryAsync();
        using var b1 = await tenantB.GetDiscoveryAsync();

        Assert.Equal(HttpStatusCode.OK, a1.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, a2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b1.StatusCode);
    }

    [Fact]
    public async Task GivenUnauthenticatedCalls_WhenTheyArrive_ThenTheyAre401AndUseNoClientsBudget()
    {
        await using var app = RateLimitedApp(tokenLimit: 1);
        using var anonymous = app.CreateAnonymousClient();
        using var client = app.CreateCdsClient();

        for (var i = 0; i < 3; i++)
        {
            using var refused = await anonymous.GetDiscoveryAsync();
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var allowed = await client.GetDiscoveryAsync();
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task GivenClientAtItsConcurrencyLimit_WhenAnotherCallArrives_Then429AndTheFirstCallCompletes()
    {
        var source = new BlockingDataSource();
        await using var app = new CdsApiFactory(
            settings: new Dictionary<string, string?> { ["CdsHooks:RateLimit:ConcurrencyLimit"] = "1" },
            configureServices: s => s.AddSingleton<IPatientDataSource>(source));
        using var client = app.CreateCdsClient();

        var first = client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());
        // A guard against a hang, not a timing expectation: generous enough for a loaded 2-core machine.
        await source.Entered.Task.WaitAsync(TimeSpan.FromSeconds(120), TestContext.Current.CancellationToken);
        using var second = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.PatientView());
        source.Release.SetResult();
        using var firstResponse = await first;

        using var outcome = await CdsAssert.OperationOutcomeAsync(second, HttpStatusCode.TooManyRequests);
        Assert.Contains("concurrent", CdsAssert.IssueText(outcome), StringComparison.Ordinal);
        Assert.Equal("1", Assert.Single(second.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.PreconditionFailed, firstResponse.StatusCode);
    }

    [Fact]
    public async Task GivenRateLimitingDisabled_WhenCalledOverTheLimit_ThenAllAnsweredAndAWarningAtStart()
    {
        await using var app = RateLimitedApp(tokenLimit: 1, ("CdsHooks:RateLimit:Enabled", "false"));
        using var client = app.CreateCdsClient();

        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetDiscoveryAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(app.Logs.Named("RateLimitingDisabled"));
    }

    [Theory]
    [InlineData("CdsHooks:RateLimit:TokenLimit", "0")]
    [InlineData("CdsHooks:RateLimit:ConcurrencyLimit", "0")]
    [InlineData("CdsHooks:RateLimit:ReplenishmentPeriod", "00:00:00")]
    public async Task GivenInvalidRateLimit_WhenHostStarts_ThenStartupFailsNamingTheSetting(string key, string value)
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateCdsClient());

        Assert.Contains(key.Split(':')[^1], error.ToString(), StringComparison.Ordinal);
    }

    private static CdsApiFactory RateLimitedApp(int tokenLimit, params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["CdsHooks:RateLimit:TokenLimit"] = tokenLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CdsHooks:RateLimit:TokensPerPeriod"] = "1",
            ["CdsHooks:RateLimit:ReplenishmentPeriod"] = "00:01:00",
            ["CdsHooks:Clients:1:Issuer"] = SecondIssuer,
            ["CdsHooks:Clients:1:JwksFile"] = SharedJwksFile.Value,
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return new CdsApiFactory(settings: settings);
    }

    /// <summary>Holds the first hook call inside the pipeline until released, then fails it (412) without touching data.</summary>
    private sealed class BlockingDataSource : IPatientDataSource
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<PatientDataOutcome> LoadAsync(HookRequest request, CallerTrust caller, ImmutableArray<DraftOrder> draftOrders, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            return PatientDataOutcome.Failure(PatientDataFailureKind.FhirServerFailed, "Held by the test.");
        }
    }
}
