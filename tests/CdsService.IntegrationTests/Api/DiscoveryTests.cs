using System.Text.Json;
using System.Text.RegularExpressions;
using CdsService.Fhir.Prefetch;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Api;

public sealed partial class DiscoveryTests
{
    [Fact]
    public async Task GivenTrustedClient_WhenDiscoveryCalled_ThenThreeServicesWithTheirHooks()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.GetDiscoveryAsync();

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        CdsAssert.Valid(CdsAssert.Discovery, body);
        using var json = JsonDocument.Parse(body);
        var services = json.RootElement.GetProperty("services").EnumerateArray()
            .ToDictionary(s => s.GetProperty("id").GetString()!, s => s.GetProperty("hook").GetString());
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["hypogonadism-patient-view"] = "patient-view",
                ["hypogonadism-order-select"] = "order-select",
                ["hypogonadism-order-sign"] = "order-sign",
            },
            services);
    }

    [Fact]
    public async Task GivenDiscovery_WhenPrefetchRead_ThenTemplatesAreExactlyThePrefetchCatalog()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateCdsClient();

        using var response = await client.GetDiscoveryAsync();

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var expected = PrefetchCatalog.All.ToDictionary(q => q.Key, q => q.QueryTemplate);
        foreach (var service in json.RootElement.GetProperty("services").EnumerateArray())
        {
            var prefetch = service.GetProperty("prefetch").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            Assert.Equal(expected, prefetch);
            Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(service.GetProperty("usageRequirements").GetString()));
        }
    }

    [Fact]
    public void GivenPrefetchCatalog_WhenTemplatesScanned_ThenOnlyCdsHooks2TokensAreUsed()
    {
        // Only {{context.patientId}} and {{userPractitionerId}} (spec §Prefetch tokens); no today() or FHIRPath (many EHRs lack them).
        foreach (var query in PrefetchCatalog.All)
        {
            foreach (Match token in Token().Matches(query.QueryTemplate))
            {
                Assert.Contains(token.Value, new[] { "{{context.patientId}}", "{{userPractitionerId}}" });
            }

            Assert.Contains("{{context.patientId}}", query.QueryTemplate, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GivenNoToken_WhenDiscoveryCalled_ThenBare401()
    {
        await using var app = new CdsApiFactory();
        using var client = app.CreateAnonymousClient();

        using var response = await client.GetDiscoveryAsync();

        await CdsAssert.BareUnauthorizedAsync(response);
    }

    [GeneratedRegex(@"\{\{[^}]*\}\}")]
    private static partial Regex Token();
}
