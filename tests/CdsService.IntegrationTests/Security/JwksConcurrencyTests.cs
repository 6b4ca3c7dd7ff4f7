using System.Net;
using CdsService.IntegrationTests.Support;
using Microsoft.AspNetCore.Http;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// The first calls after start arrive together while the client's JWK Set is still being fetched. They must wait for
/// that one fetch, not be refused from the still-empty cache (a spurious 401 burst at every start and key rotation;
/// found by the fuzz tests). The key set is served slowly by a loopback server so the calls overlap every time.
/// </summary>
public sealed class JwksConcurrencyTests
{
    [Fact]
    public async Task GivenColdKeyCache_WhenManyValidCallsArriveAtOnce_ThenAllAreAcceptedWithOneFetch()
    {
        await using var jwks = await LoopbackHttpServer.StartAsync();
        jwks.Handler = async context =>
        {
            await Task.Delay(300, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(TestKeys.JwksJson(TestKeys.Rsa, TestKeys.Ec), context.RequestAborted);
        };
        await using var app = new CdsApiFactory(
            environment: "Test",
            settings: new Dictionary<string, string?>
            {
                ["CdsHooks:Clients:0:JwksFile"] = null,
                ["CdsHooks:Clients:0:JwksUri"] = $"http://127.0.0.1:{jwks.Port}/jwks.json",
            });
        using var client = app.CreateCdsClient();

        var calls = Enumerable.Range(0, 12).Select(_ => client.GetDiscoveryAsync()).ToList();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(jwks.Requests);
        Assert.Empty(app.Logs.Named("ClientAuthenticationFailed"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }
}
