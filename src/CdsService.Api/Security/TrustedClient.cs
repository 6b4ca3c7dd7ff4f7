using System.Collections.Frozen;
using CdsService.Api.Configuration;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Security;

/// <summary>Where one JWK Set is read from. <see cref="Id"/> keys the cache.</summary>
public sealed record JwksSource(JwksSourceKind Kind, string Location)
{
    public string Id => $"{Kind}:{Location}";
}

/// <summary>
/// One configured CDS client, resolved for token validation. <see cref="JkuSources"/> is the allowlist of <c>jku</c>
/// header values: each maps to the key set it may be answered from (fetched when it is a URL source; the dev sandbox
/// maps its jku to an embedded copy). A token without <c>jku</c> uses <see cref="DefaultKeySet"/>.
/// </summary>
public sealed record TrustedClient(
    string Issuer,
    string? Tenant,
    IReadOnlyList<Uri> FhirServers,
    JwksSource DefaultKeySet,
    FrozenDictionary<string, JwksSource> JkuSources,
    bool DevelopmentOnly)
{
    /// <summary>The key set for a token's <c>jku</c>, or null when that jku is not allowlisted (never fetched).</summary>
    public JwksSource? KeySetFor(string? jku) =>
        string.IsNullOrEmpty(jku) ? DefaultKeySet : JkuSources.GetValueOrDefault(jku);
}

/// <summary>
/// The trusted clients: configured ones, plus — in Development only — the public CDS Hooks sandbox, whose private key is
/// public (Security/DevOnly/README.md).
/// </summary>
public sealed class ClientRegistry
{
    public const string SandboxIssuer = "https://sandbox.cds-hooks.org";
    public const string SandboxJku = "https://sandbox.cds-hooks.org/.well-known/jwks.json";
    public const string SandboxKeySetResource = "CdsService.Api.DevOnly.cds-hooks-sandbox.jwks.json";

    private readonly Lazy<(IReadOnlyList<TrustedClient> Clients, FrozenDictionary<string, TrustedClient> ByIssuer)> state;

    /// <remarks>
    /// Built on first use, not in the constructor: options are validated by the start-up validation service, and
    /// reading them earlier (while hosted services are being constructed) would bypass its clear error.
    /// </remarks>
    public ClientRegistry(IOptions<CdsHooksOptions> options, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        state = new(() => Build(options.Value, environment));
    }

    public IReadOnlyList<TrustedClient> Clients => state.Value.Clients;

    public TrustedClient? Find(string? issuer) =>
        string.IsNullOrEmpty(issuer) ? null : state.Value.ByIssuer.GetValueOrDefault(issuer);

    private static (IReadOnlyList<TrustedClient>, FrozenDictionary<string, TrustedClient>) Build(CdsHooksOptions options, IHostEnvironment environment)
    {
        var clients = options.Clients.Select(FromOptions).ToList();
        if (environment.IsDevelopment() && clients.TrueForAll(c => c.Issuer != SandboxIssuer))
        {
            var embedded = new JwksSource(JwksSourceKind.Embedded, SandboxKeySetResource);
            clients.Add(new TrustedClient(
                SandboxIssuer,
                Tenant: null,
                FhirServers: [],
                embedded,
                new Dictionary<string, JwksSource>(StringComparer.Ordinal) { [SandboxJku] = embedded }.ToFrozenDictionary(StringComparer.Ordinal),
                DevelopmentOnly: true));
        }

        return (clients, clients.ToFrozenDictionary(c => c.Issuer, StringComparer.Ordinal));
    }

    private static TrustedClient FromOptions(CdsClientOptions client)
    {
        var jku = new Dictionary<string, JwksSource>(StringComparer.Ordinal);
        JwksSource defaultKeySet;
        if (!string.IsNullOrWhiteSpace(client.JwksUri))
        {
            defaultKeySet = new JwksSource(JwksSourceKind.Url, client.JwksUri);
            jku[client.JwksUri] = defaultKeySet;
        }
        else
        {
            defaultKeySet = new JwksSource(JwksSourceKind.File, Path.GetFullPath(client.JwksFile!));
        }

        foreach (var allowed in client.AllowedJku)
        {
            jku.TryAdd(allowed, new JwksSource(JwksSourceKind.Url, allowed));
        }

        return new TrustedClient(
            client.Issuer!,
            string.IsNullOrWhiteSpace(client.Tenant) ? null : client.Tenant,
            [.. client.FhirServers.Select(s => new Uri(s, UriKind.Absolute))],
            defaultKeySet,
            jku.ToFrozenDictionary(StringComparer.Ordinal),
            DevelopmentOnly: false);
    }
}
