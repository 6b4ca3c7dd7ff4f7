using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CdsService.UnitTests.Deploy;

/// <summary>
/// deploy/k8s checked offline (no cluster on CI): every manifest parses and is well-formed, the pod meets the
/// restricted security profile with working probes, selectors agree, and the NetworkPolicy allows only what the service
/// needs. .ci/lint-deploy additionally renders the kustomizations with kubectl when it is installed.
/// </summary>
public sealed class KubernetesManifestTests
{
    private const string Base = "deploy/k8s/base";
    private const string Production = "deploy/k8s/overlays/production";

    private static readonly IReadOnlyList<YamlMappingNode> BaseResources =
        Assert.Single(RepoFiles.ReadYaml($"{Base}/kustomization.yaml")).Seq("resources").Children
            .SelectMany(r => RepoFiles.ReadYaml($"{Base}/{((YamlScalarNode)r).Value}"))
            .ToList();

    private static YamlMappingNode Resource(string kind) => Assert.Single(BaseResources, r => r.Str("kind") == kind);

    private static YamlMappingNode Deployment => Resource("Deployment");

    private static YamlMappingNode PodSpec => Deployment.Map("spec", "template", "spec");

    private static YamlMappingNode Container => Assert.Single(PodSpec.Seq("containers").Maps());

    private static IReadOnlyDictionary<string, string> PodLabels => Deployment.ScalarMap("spec", "template", "metadata", "labels");

    public static TheoryData<string> AllManifests()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(RepoFiles.PathOf("deploy/k8s"), "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(RepositoryPaths.Relative(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllManifests))]
    public void GivenAManifest_WhenParsed_ThenEveryDocumentHasApiVersionKindAndName(string file)
    {
        var documents = RepoFiles.ReadYaml(file);

        Assert.NotEmpty(documents);
        foreach (var doc in documents)
        {
            Assert.False(string.IsNullOrWhiteSpace(doc.Str("apiVersion")), $"{file}: apiVersion");
            var kind = doc.Str("kind");
            if (kind != "Kustomization")
            {
                Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", doc.Str("metadata", "name"));
            }
        }
    }

    [Theory]
    [InlineData(Base)]
    [InlineData(Production)]
    public void GivenAKustomization_WhenItsReferencesAreResolved_ThenEveryFileExists(string dir)
    {
        var kustomization = Assert.Single(RepoFiles.ReadYaml($"{dir}/kustomization.yaml"));

        foreach (var resource in kustomization.Seq("resources").Children.Select(r => ((YamlScalarNode)r).Value!))
        {
            Assert.True(RepoFiles.Exists($"{dir}/{resource}"), $"{dir}: resource {resource} missing");
        }

        if (kustomization.Get("patches") is YamlSequenceNode patches)
        {
            foreach (var patch in patches.Maps())
            {
                var path = $"{dir}/{patch.Str("path")}";
                Assert.True(RepoFiles.Exists(path), $"{dir}: patch {path} missing");
                // A patch whose target is not in the base is silently dropped by some kustomize versions.
                foreach (var target in RepoFiles.ReadYaml(path))
                {
                    Assert.Contains(BaseResources, r => r.Str("kind") == target.Str("kind") && r.Str("metadata", "name") == target.Str("metadata", "name"));
                }
            }
        }
    }

    [Fact]
    public void GivenTheKustomizeLabels_WhenApplied_ThenTheyNeverRewriteSelectors()
    {
        // includeSelectors would also add the app labels to the NetworkPolicy's peer selectors (kube-dns, databases),
        // silently cutting DNS and the stores off.
        var labels = Assert.Single(RepoFiles.ReadYaml($"{Base}/kustomization.yaml")).Seq("labels").Maps();

        Assert.All(labels, l => Assert.Equal("false", l.StrOrNull("includeSelectors") ?? "false"));
    }

    [Fact]
    public void GivenTheDeployment_WhenParsed_ThenAtLeastTwoReplicasRollWithoutDowntime()
    {
        Assert.True(int.Parse(Deployment.Str("spec", "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.Equal("0", Deployment.Str("spec", "strategy", "rollingUpdate", "maxUnavailable"));
    }

    [Fact]
    public void GivenThePod_WhenParsed_ThenItMeetsTheRestrictedSecurityProfile()
    {
        Assert.Equal("true", PodSpec.Str("securityContext", "runAsNonRoot"));
        Assert.Equal("1654", PodSpec.Str("securityContext", "runAsUser"));
        Assert.Equal("RuntimeDefault", PodSpec.Str("securityContext", "seccompProfile", "type"));
        Assert.Equal("false", PodSpec.Str("automountServiceAccountToken"));
        Assert.Equal("true", Container.Str("securityContext", "readOnlyRootFilesystem"));
        Assert.Equal("false", Container.Str("securityContext", "allowPrivilegeEscalation"));
        Assert.Equal(["ALL"], Container.Seq("securityContext", "capabilities", "drop").Children.Select(c => ((YamlScalarNode)c).Value!));
    }

    [Fact]
    public void GivenTheContainer_WhenParsed_ThenProbesUseTheHealthEndpointsOnTheServicePort()
    {
        Assert.Equal("/health/ready", Container.Str("readinessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Container.Str("livenessProbe", "httpGet", "path"));
        Assert.Equal("/health/live", Container.Str("startupProbe", "httpGet", "path"));
        var http = Assert.Single(Container.Seq("ports").Maps(), p => p.Str("name") == "http");
        Assert.Equal("8080", http.Str("containerPort"));
        Assert.All(new[] { "readinessProbe", "livenessProbe", "startupProbe" }, probe => Assert.Equal("http", Container.Str(probe, "httpGet", "port")));
    }

    [Fact]
    public void GivenTheContainer_WhenParsed_ThenItHasCpuAndMemoryRequestsAndLimits()
    {
        foreach (var section in new[] { "requests", "limits" })
        {
            Assert.False(string.IsNullOrEmpty(Container.Str("resources", section, "cpu")));
            Assert.False(string.IsNullOrEmpty(Container.Str("resources", section, "memory")));
        }
    }

    [Fact]
    public void GivenAReadOnlyRootFilesystem_WhenTheServiceWrites_ThenTmpAndTheDataDirectoryAreEmptyDirs()
    {
        var volumes = PodSpec.Seq("volumes").Maps().ToDictionary(v => v.Str("name"));
        var mounts = Container.Seq("volumeMounts").Maps().ToDictionary(m => m.Str("mountPath"), m => m.Str("name"));

        Assert.NotNull(volumes[mounts["/tmp"]].Get("emptyDir"));
        Assert.NotNull(volumes[mounts["/var/lib/cds-hooks"]].Get("emptyDir"));
        Assert.All(mounts.Values, name => Assert.True(volumes.ContainsKey(name), $"volumeMount {name} has no volume"));
        // The SQLite fallback path configured for the pod must be on that writable mount.
        Assert.StartsWith("/var/lib/cds-hooks/", ConfigMapData()["CdsHooks__Feedback__SqlitePath"], StringComparison.Ordinal);
    }

    [Fact]
    public void GivenTheDeployment_WhenItsConfigSourcesAreResolved_ThenConfigMapAndSecretTemplatesDefineThem()
    {
        var envFrom = Container.Seq("envFrom").Maps().ToList();
        var secretTemplates = RepoFiles.ReadYaml($"{Base}/secret.example.yaml");

        Assert.Equal(Resource("ConfigMap").Str("metadata", "name"), Assert.Single(envFrom, e => e.Get("configMapRef") is not null).Str("configMapRef", "name"));
        var secretRef = Assert.Single(envFrom, e => e.Get("secretRef") is not null).Str("secretRef", "name");
        Assert.Contains(secretTemplates, s => s.Str("metadata", "name") == secretRef);
        var jwksVolume = Assert.Single(PodSpec.Seq("volumes").Maps(), v => v.Get("secret") is not null).Str("secret", "secretName");
        Assert.Contains(secretTemplates, s => s.Str("metadata", "name") == jwksVolume);
        // Every template key is a configuration key (connection strings) or a JWK Set file.
        foreach (var secret in secretTemplates)
        {
            Assert.All(secret.ScalarMap("stringData").Keys, k => Assert.True(ConfigurationContract.IsKnown(k) || k.EndsWith(".jwks.json", StringComparison.Ordinal), k));
        }
    }

    [Fact]
    public void GivenTheContainer_WhenItsRuntimeEnvironmentIsRead_ThenMallocArenasAreCappedAsInTheImage()
    {
        // Peak RSS (docs/performance.md): the same value as the Dockerfile's ENV, so the pod runs as the load harness measured.
        var env = Container.Seq("env").Maps().ToDictionary(e => e.Str("name"), e => e.Str("value"), StringComparer.Ordinal);
        var image = Regex.Match(RepoFiles.Read("deploy/docker/Dockerfile"), "MALLOC_ARENA_MAX=(\\d+)");

        Assert.True(image.Success, "the Dockerfile sets no MALLOC_ARENA_MAX");
        Assert.Equal(image.Groups[1].Value, env["MALLOC_ARENA_MAX"]);
    }

    [Fact]
    public void GivenTheConfigMap_WhenParsed_ThenEveryKeyIsAConfigurationKeyAndJwksFilesAreMounted()
    {
        var data = ConfigMapData();
        var mountedClients = Assert.Single(Container.Seq("volumeMounts").Maps(), m => m.Str("name") == "client-jwks").Str("mountPath");

        Assert.All(data.Keys, key => Assert.True(ConfigurationContract.IsKnown(key), $"{key} is not a configuration key the service reads"));
        Assert.Equal("Production", data["ASPNETCORE_ENVIRONMENT"]);
        Assert.StartsWith("https://", data["CdsHooks__PublicBaseUrl"], StringComparison.Ordinal);
        Assert.All(data.Where(kv => kv.Key.EndsWith("__JwksFile", StringComparison.Ordinal)), kv => Assert.StartsWith(mountedClients + "/", kv.Value, StringComparison.Ordinal));
        Assert.All(data.Where(kv => kv.Key.Contains("__FhirServers__", StringComparison.Ordinal) || kv.Key.EndsWith("__JwksUri", StringComparison.Ordinal)),
            kv => Assert.StartsWith("https://", kv.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheMetricsPort_WhenDeployed_ThenOnlyMonitoringReachesItAndTheServiceDoesNotExposeIt()
    {
        var data = ConfigMapData();
        var port = data["Telemetry__Prometheus__Port"];

        Assert.Contains(port, data["ASPNETCORE_HTTP_PORTS"].Split(';'));
        Assert.Contains(Container.Seq("ports").Maps(), p => p.Str("containerPort") == port);
        Assert.DoesNotContain(Resource("Service").Seq("spec", "ports").Maps(), p => p.Str("targetPort") == port || p.Str("targetPort") == "metrics");
        var ingressRules = Resource("NetworkPolicy").Seq("spec", "ingress").Maps().ToList();
        var metricsRule = Assert.Single(ingressRules, r => r.Seq("ports").Maps().Any(p => p.Str("port") == port));
        Assert.Equal("monitoring", metricsRule.Seq("from").Maps().Single().Str("namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"));
    }

    [Theory]
    [InlineData("Service", "spec", "selector")]
    [InlineData("PodDisruptionBudget", "spec", "selector", "matchLabels")]
    [InlineData("NetworkPolicy", "spec", "podSelector", "matchLabels")]
    public void GivenASelector_WhenComparedWithThePodLabels_ThenItSelectsThePods(string kind, params string[] path)
    {
        var selector = Resource(kind).ScalarMap(path);

        Assert.NotEmpty(selector);
        Assert.All(selector, kv => Assert.Equal(kv.Value, PodLabels.GetValueOrDefault(kv.Key)));
        Assert.Equal(Deployment.ScalarMap("spec", "selector", "matchLabels"), Deployment.ScalarMap("spec", "selector", "matchLabels").Where(kv => PodLabels.GetValueOrDefault(kv.Key) == kv.Value).ToDictionary());
    }

    [Fact]
    public void GivenTheAutoscaler_WhenParsed_ThenItTargetsTheDeploymentAndKeepsTwoReplicas()
    {
        var hpa = Resource("HorizontalPodAutoscaler");

        Assert.Equal(Deployment.Str("metadata", "name"), hpa.Str("spec", "scaleTargetRef", "name"));
        Assert.True(int.Parse(hpa.Str("spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        // The PDB must leave room for a drain: minAvailable below the smallest replica count.
        Assert.True(int.Parse(Resource("PodDisruptionBudget").Str("spec", "minAvailable"), System.Globalization.CultureInfo.InvariantCulture)
            < int.Parse(hpa.Str("spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void GivenTheProductionOverlay_WhenPatched_ThenReplicasAndDisruptionBudgetStillAllowADrain()
    {
        var hpa = Assert.Single(RepoFiles.ReadYaml($"{Production}/hpa-patch.yaml"));
        var pdb = Assert.Single(RepoFiles.ReadYaml($"{Production}/pdb-patch.yaml"));
        var deployment = Assert.Single(RepoFiles.ReadYaml($"{Production}/deployment-patch.yaml"));

        var min = int.Parse(hpa.Str("spec", "minReplicas"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(min >= 2);
        Assert.True(int.Parse(pdb.Str("spec", "minAvailable"), System.Globalization.CultureInfo.InvariantCulture) < min);
        Assert.Equal(min.ToString(System.Globalization.CultureInfo.InvariantCulture), deployment.Str("spec", "replicas"));
    }

    [Fact]
    public void GivenTheNetworkPolicy_WhenParsed_ThenItIsDefaultDenyWithDnsAndOnlyPortScopedEgress()
    {
        var policy = Resource("NetworkPolicy");
        var types = policy.Seq("spec", "policyTypes").Children.Select(c => ((YamlScalarNode)c).Value).ToList();
        var egress = policy.Seq("spec", "egress").Maps().ToList();

        Assert.Contains("Ingress", types);
        Assert.Contains("Egress", types);
        Assert.All(egress, rule => Assert.NotEmpty(rule.Seq("ports").Children));
        Assert.Contains(egress, r => r.Seq("ports").Maps().Any(p => p.Str("port") == "53" && p.Str("protocol") == "UDP"));
        // FHIR servers and JWK Set hosts: https only, to an explicit CIDR (never 0.0.0.0/0).
        var external = egress.Where(r => r.Seq("to").Maps().Any(t => t.Get("ipBlock") is not null)).ToList();
        Assert.NotEmpty(external);
        Assert.All(external, r =>
        {
            Assert.All(r.Seq("ports").Maps(), p => Assert.Equal("443", p.Str("port")));
            Assert.All(r.Seq("to").Maps(), t => Assert.NotEqual("0.0.0.0/0", t.StrOrNull("ipBlock", "cidr")));
        });
        foreach (var port in new[] { "5432", "6379" })
        {
            Assert.Contains(egress, r => r.Seq("ports").Maps().Any(p => p.Str("port") == port));
        }
    }

    private static IReadOnlyDictionary<string, string> ConfigMapData() => Resource("ConfigMap").ScalarMap("data");
}
