using System.Net;
using CdsService.Fhir.Data;
using CdsService.IntegrationTests.Support;

namespace CdsService.IntegrationTests.Security;

/// <summary>
/// The outbound guard (docs/security.md §4): the address a FHIR server or key-set name resolves to is checked when the
/// connection is made, so an allowlisted name that its DNS owner re-points at loopback, the pod network or the metadata
/// endpoint is not connected to; link-local literals are refused in configuration at start.
/// </summary>
public sealed class OutboundGuardTests
{
    [TestedAttack("Allowlisted fhirServer name that resolves to a loopback or private address (DNS rebinding)", "412; no connection is made unless the operator listed that network in Outbound:AllowedPrivateNetworks")]
    [Fact]
    public async Task GivenAFhirServerNameResolvingToLoopback_WhenNotExplicitlyAllowed_Then412AndNoConnection()
    {
        await using var listener = await LoopbackHttpServer.StartAsync();
        listener.Handler = FhirAnswers.Minimal;
        var fhirServer = $"http://localhost:{listener.Port}/fhir";
        await using var app = new CdsApiFactory(environment: "Test", settings: new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:FhirServers:1"] = fhirServer,
            ["Outbound:AllowedPrivateNetworks:0"] = null,
            ["Outbound:AllowedPrivateNetworks:1"] = null,
        });
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.FetchFrom(fhirServer, HookRequests.NewAccessToken()));

        using var _ = await CdsAssert.OperationOutcomeAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task GivenAFhirServerNameResolvingToLoopback_WhenLoopbackIsExplicitlyAllowed_ThenFetched()
    {
        await using var listener = await LoopbackHttpServer.StartAsync();
        listener.Handler = FhirAnswers.Minimal;
        var fhirServer = $"http://localhost:{listener.Port}/fhir";
        await using var app = new CdsApiFactory(environment: "Test", settings: new Dictionary<string, string?> { ["CdsHooks:Clients:0:FhirServers:1"] = fhirServer });
        using var client = app.CreateCdsClient();

        using var response = await client.PostHookAsync(HookRequests.PatientViewService, HookRequests.FetchFrom(fhirServer, HookRequests.NewAccessToken()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(listener.Connections > 0);
    }

    [TestedAttack("FhirServers or JwksUri configured as a link-local literal (169.254.169.254, fe80::, IPv4-mapped, decimal)", "the service refuses to start, naming the setting")]
    [Theory]
    [InlineData("CdsHooks:Clients:0:FhirServers:1", "https://169.254.169.254/fhir")]
    [InlineData("CdsHooks:Clients:0:FhirServers:1", "https://[fe80::1]/fhir")]
    [InlineData("CdsHooks:Clients:0:FhirServers:1", "https://[::ffff:169.254.169.254]/fhir")]
    [InlineData("CdsHooks:Clients:0:FhirServers:1", "https://2852039166/fhir")]
    public async Task GivenALinkLocalLiteralInConfiguration_WhenTheServiceStarts_ThenItRefuses(string key, string value)
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?> { [key] = value });

        var failure = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(key, failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenALinkLocalJwksUri_WhenTheServiceStarts_ThenItRefuses()
    {
        await using var app = new CdsApiFactory(settings: new Dictionary<string, string?>
        {
            ["CdsHooks:Clients:0:JwksFile"] = null,
            ["CdsHooks:Clients:0:JwksUri"] = "https://169.254.169.254/latest/jwks.json",
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("CdsHooks:Clients:0:JwksUri", failure.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.20.0.5", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("fe80::1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", true)]
    public void GivenNoAllowedNetworks_WhenAnAddressIsChecked_ThenOnlyPublicAddressesPass(string address, bool allowed)
    {
        Assert.Equal(allowed, new OutboundAddressGuard([]).IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void GivenAnAllowedNetwork_WhenChecked_ThenItPassesButLinkLocalNever()
    {
        var guard = new OutboundAddressGuard(["10.20.0.0/16", "169.254.0.0/16"]);

        Assert.True(guard.IsAllowed(IPAddress.Parse("10.20.3.4")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.21.3.4")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("169.254.169.254")));
    }
}
