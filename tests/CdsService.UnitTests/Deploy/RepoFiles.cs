using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace CdsService.UnitTests.Deploy;

/// <summary>Reads the repository's deployment files (found through <see cref="RepositoryPaths"/>).</summary>
internal static class RepoFiles
{
    public static string PathOf(string relative) => RepositoryPaths.Of(relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));

    public static IReadOnlyList<YamlMappingNode> ReadYaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(relative));
        stream.Load(reader);
        return stream.Documents
            .Select(d => d.RootNode)
            .OfType<YamlMappingNode>()
            .ToList();
    }
}

/// <summary>Small navigation helpers over YamlDotNet's representation model, failing with the path that was missing.</summary>
internal static class Yaml
{
    public static YamlNode? Get(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static YamlMappingNode Map(this YamlNode node, params string[] path) =>
        node.Get(path) as YamlMappingNode ?? throw new Xunit.Sdk.XunitException($"missing mapping at {string.Join('.', path)}");

    public static YamlSequenceNode Seq(this YamlNode node, params string[] path) =>
        node.Get(path) as YamlSequenceNode ?? throw new Xunit.Sdk.XunitException($"missing sequence at {string.Join('.', path)}");

    public static string Str(this YamlNode node, params string[] path) =>
        (node.Get(path) as YamlScalarNode)?.Value ?? throw new Xunit.Sdk.XunitException($"missing scalar at {string.Join('.', path)}");

    public static string? StrOrNull(this YamlNode node, params string[] path) => (node.Get(path) as YamlScalarNode)?.Value;

    public static IReadOnlyDictionary<string, string> ScalarMap(this YamlNode node, params string[] path) =>
        node.Map(path).Children.ToDictionary(
            kv => ((YamlScalarNode)kv.Key).Value!,
            kv => (kv.Value as YamlScalarNode)?.Value ?? string.Empty,
            StringComparer.Ordinal);

    public static IEnumerable<YamlMappingNode> Maps(this YamlSequenceNode sequence) => sequence.Children.OfType<YamlMappingNode>();
}

/// <summary>
/// The configuration keys the service reads (docs/configuration.md and CdsHooksOptions; the shared-state connection
/// strings and telemetry), in environment-variable form. A deployment file that sets anything else has a typo, and a
/// typo in a trust setting fails open or closed silently, so it must fail here instead.
/// </summary>
internal static partial class ConfigurationContract
{
    [GeneratedRegex(
        """
        ^(ASPNETCORE_ENVIRONMENT|ASPNETCORE_HTTP_PORTS
        |CdsHooks__PublicBaseUrl
        |CdsHooks__AllowedOrigins__\d+
        |CdsHooks__Clients__\d+__(Issuer|JwksUri|JwksFile|Tenant|JkuListUri)
        |CdsHooks__Clients__\d+__(FhirServers|AllowedJku)__\d+
        |CdsHooks__Clients__\d+__PinnedJku__\d+__(Url|File)
        |CdsHooks__Feedback__(SqlitePath|StoreComments|MigrateAtStart|IssuedCardRetentionDays|IssuedCardQueueCapacity|FeedbackRetentionDays|MaxFeedbackItemsPerClientPerDay)
        |CdsHooks__Admin__(Issuer|JwksFile)
        |CdsHooks__RateLimit__[A-Za-z]+
        |CdsHooks__Audit__PatientIdHashKey
        |CdsHooks__Preview__Enabled
        |Fhir__(Deadline|AttemptTimeout|MaxRetries|MaxPages|MaxResources|MaxResponseBytes)
        |Clinical__[A-Za-z]+
        |CdsHooks__Limits__(MaxRequestBodyBytes|MaxJsonDepth|ReplayCacheCapacity|MaxTokenLifetime|MaxConcurrentConnections)
        |AllowedHosts
        |Clinical__Plausibility__[A-Za-z]+
        |Outbound__AllowedPrivateNetworks__\d+
        |ConnectionStrings__(Feedback|Redis)
        |OpenTelemetry__(OtlpEndpoint|OtlpProtocol)
        |Telemetry__Prometheus__(Enabled|Port)
        |OTEL_[A-Z_]+)$
        """,
        RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex KnownKey();

    public static bool IsKnown(string key) => KnownKey().IsMatch(key);
}
