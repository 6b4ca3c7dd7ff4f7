using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CdsService.UnitTests.Deploy;

/// <summary>
/// docker-compose.yml, the integrator's sandbox, checked offline (no Docker engine or compose plugin on CI): services,
/// wiring to the configuration contract, start order, pinned images, and the files it mounts.
/// </summary>
public sealed partial class ComposeTests
{
    private static readonly YamlMappingNode Compose = Assert.Single(RepoFiles.ReadYaml("docker-compose.yml"));
    private static readonly YamlMappingNode Services = Compose.Map("services");

    private static YamlMappingNode Service(string name) => Services.Map(name);

    private static IReadOnlyDictionary<string, string> CdsEnvironment => Service("cds").ScalarMap("environment");

    [Fact]
    public void GivenTheSandbox_WhenParsed_ThenItRunsTheServiceHapiRedisPostgresAndASeedStep()
    {
        var names = Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();

        Assert.Superset(new HashSet<string?> { "cds", "hapi", "fhir-seed", "redis", "postgres" }, names);
    }

    [Fact]
    public void GivenTheServiceDefinition_WhenParsed_ThenItIsBuiltFromTheRepositoryDockerfile()
    {
        Assert.Equal(".", Service("cds").Str("build", "context"));
        var dockerfile = Service("cds").Str("build", "dockerfile");
        Assert.Equal("deploy/docker/Dockerfile", dockerfile);
        Assert.True(RepoFiles.Exists(dockerfile));
    }

    [Fact]
    public void GivenEveryPulledImage_WhenParsed_ThenItIsPinnedToAVersionTag()
    {
        foreach (var (name, node) in Services.Children)
        {
            if (node.Get("image") is YamlScalarNode { Value: { } image } && node.Get("build") is null)
            {
                Assert.Matches(PinnedTag(), image);
                Assert.False(image.EndsWith(":latest", StringComparison.Ordinal), $"{name} uses :latest");
            }
        }
    }

    [Fact]
    public void GivenTheServiceEnvironment_WhenParsed_ThenItSetsTheConfigurationContract()
    {
        var env = CdsEnvironment;

        foreach (var key in new[]
        {
            "CdsHooks__PublicBaseUrl", "CdsHooks__Clients__0__Issuer", "CdsHooks__Clients__0__JwksFile",
            "CdsHooks__Clients__0__FhirServers__0", "ConnectionStrings__Feedback", "ConnectionStrings__Redis",
        })
        {
            Assert.True(env.ContainsKey(key), $"cds environment lacks {key}");
        }

        Assert.All(env.Keys, key => Assert.True(ConfigurationContract.IsKnown(key), $"{key} is not a configuration key the service reads"));
    }

    [Fact]
    public void GivenTheSandboxWiring_WhenParsed_ThenTheServiceReachesTheOtherContainersByName()
    {
        var env = CdsEnvironment;

        Assert.Equal("http://hapi:8080/fhir", env["CdsHooks__Clients__0__FhirServers__0"]);
        Assert.Contains("Host=postgres", env["ConnectionStrings__Feedback"], StringComparison.Ordinal);
        Assert.Contains($"Database={Service("postgres").ScalarMap("environment")["POSTGRES_DB"]}", env["ConnectionStrings__Feedback"], StringComparison.Ordinal);
        Assert.StartsWith("redis:6379", env["ConnectionStrings__Redis"], StringComparison.Ordinal);
        // The seed loads the same server the client is allowed to point the service at.
        Assert.Contains(Service("fhir-seed").Seq("command").Children.Select(c => ((YamlScalarNode)c).Value), v => v == env["CdsHooks__Clients__0__FhirServers__0"]);
    }

    [Fact]
    public void GivenTheStartOrder_WhenParsed_ThenTheServiceWaitsForHealthyStoresAndACompletedSeed()
    {
        var dependsOn = Service("cds").Map("depends_on");

        Assert.Equal("service_healthy", dependsOn.Str("redis", "condition"));
        Assert.Equal("service_healthy", dependsOn.Str("postgres", "condition"));
        Assert.Equal("service_completed_successfully", dependsOn.Str("fhir-seed", "condition"));
        foreach (var name in new[] { "redis", "postgres", "cds" })
        {
            Assert.NotNull(Service(name).Get("healthcheck", "test"));
        }
    }

    [Fact]
    public void GivenTheServiceContainer_WhenParsed_ThenItIsHardenedLikeTheKubernetesPod()
    {
        var cds = Service("cds");

        Assert.Equal("true", cds.Str("read_only"));
        Assert.Contains("/tmp", cds.Seq("tmpfs").Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains("ALL", cds.Seq("cap_drop").Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Equal(["CMD", "dotnet", "/app/healthprobe/CdsService.HealthProbe.dll"], cds.Seq("healthcheck", "test").Children.Select(c => ((YamlScalarNode)c).Value!));
    }

    [Fact]
    public void GivenPublishedPorts_WhenParsed_ThenTheyBindToLoopbackOnly()
    {
        // The sandbox runs in Development and trusts a key whose private half is committed: never on the LAN.
        foreach (var (name, node) in Services.Children)
        {
            if (node.Get("ports") is YamlSequenceNode ports)
            {
                Assert.All(ports.Children, p => Assert.StartsWith("127.0.0.1:", ((YamlScalarNode)p).Value, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void GivenBindMounts_WhenParsed_ThenEverySourceExistsAndTheJwksLandsWhereTheConfigPoints()
    {
        var jwksTarget = CdsEnvironment["CdsHooks__Clients__0__JwksFile"];
        var mountedTargets = new List<string>();
        foreach (var (_, node) in Services.Children)
        {
            if (node.Get("volumes") is not YamlSequenceNode volumes)
            {
                continue;
            }

            foreach (var volume in volumes.Children.Select(v => ((YamlScalarNode)v).Value!))
            {
                var parts = volume.Split(':');
                if (parts[0].StartsWith("./", StringComparison.Ordinal))
                {
                    Assert.True(RepoFiles.Exists(parts[0][2..]), $"bind mount source {parts[0]} does not exist");
                    Assert.Equal("ro", parts.ElementAtOrDefault(2));
                }

                mountedTargets.Add(parts[1]);
            }
        }

        Assert.Contains(jwksTarget, mountedTargets);
    }

    [Fact]
    public void GivenTheSandboxClientKeySet_WhenRead_ThenItHoldsOnlyPublicAsymmetricKeys()
    {
        using var jwks = JsonDocument.Parse(RepoFiles.Read("deploy/docker/sandbox/client-jwks.json"));

        var keys = jwks.RootElement.GetProperty("keys").EnumerateArray().ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
            Assert.Contains(key.GetProperty("alg").GetString(), new[] { "ES384", "RS384" });
            foreach (var privateMember in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
            {
                Assert.False(key.TryGetProperty(privateMember, out _), $"JWK {privateMember} is private key material");
            }
        }
    }

    [GeneratedRegex("^[a-z0-9.\\-/]+:[A-Za-z0-9][A-Za-z0-9._\\-]*$")]
    private static partial Regex PinnedTag();
}
