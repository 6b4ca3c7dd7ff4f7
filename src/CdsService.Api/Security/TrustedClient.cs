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
/// header values: each maps to the key set it may be answered from (fetched when it is a URL source; a pinned jku and the
/// dev sandbox map to a local copy). A token without <c>jku</c> uses <see cref="DefaultKeySet"/>. With
/// <see cref="JkuListUri"/>, a jku listed in that document is allowed too (<see cref="JkuListCache"/>).
/// </summary>
public sealed record TrustedClient(
    string Issuer,
    string? Tenant,
    IReadOnlyList<Uri> FhirServers,
    JwksSource DefaultKeySet,
    FrozenDictionary<string, JwksSource> JkuSources,
    bool DevelopmentOnly,
    string? JkuListUri = null)
{
    /// <summary>
    /// The client's rate-limit partition: the issuer, subdivided only by a <em>configured</em> tenant. The tenant claim
    /// of a client without one is the token's choice, so it never makes a new budget (docs/security.md §5).
    /// </summary>
    public string RatePartition => Tenant is null ? Issuer : string.Concat(Issuer, "\n", Tenant);

    /// <summary>
    /// The key set for a token's <c>jku</c>, or null when that jku is not allowlisted here (never fetched; a client with
    /// a <see cref="JkuListUri"/> may still allow it through the list).
    /// </summary>
    public JwksSource? KeySetFor(string? jku) =>
        string.IsNullOrEmpty(jku) ? DefaultKeySet : JkuSources.GetValueOrDefault(jku);
}

/// <summary>The client a token's <c>iss</c> and <c>tenant</c> select, or why none does.</summary>
public readonly record struct ClientMatch(TrustedClient? Client, ClientAuthFailure? Failure);

/// <summary>
/// The trusted clients: configured ones, plus — in Development only — the public CDS Hooks sandbox, whose private key is
/// public (Security/DevOnly/README.md). An issuer maps to one client, or — when it serves several tenants (Oracle
/// Health's one issuer for every tenant) — to one client per configured tenant.
/// </summary>
public sealed class ClientRegistry
{
    public const string SandboxIssuer = "https://sandbox.cds-hooks.org";
    public const string SandboxJku = "https://sandbox.cds-hooks.org/.well-known/jwks.json";
    public const string SandboxKeySetResource = "CdsService.Api.DevOnly.cds-hooks-sandbox.jwks.json";

    private readonly Lazy<(IReadOnlyList<TrustedClient> Clients, FrozenDictionary<string, TrustedClient[]> ByIssuer)> state;

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

    /// <summary>The distinct trusted issuers (each has its own share of the replay cache).</summary>
    public IReadOnlyCollection<string> Issuers => state.Value.ByIssuer.Keys;

    public bool IsTrustedIssuer(string? issuer) => !string.IsNullOrEmpty(issuer) && state.Value.ByIssuer.ContainsKey(issuer);

    /// <summary>
    /// The client for this issuer and tenant claim: the issuer's only client when it has no configured tenant, else the
    /// one whose tenant equals the claim (ordinal). <see cref="ClientAuthFailure.MissingTenant"/> when a tenant is
    /// required and the token has none, <see cref="ClientAuthFailure.TenantMismatch"/> when it names another.
    /// </summary>
    public ClientMatch Find(string? issuer, string? tenant)
    {
        if (string.IsNullOrEmpty(issuer) || !state.Value.ByIssuer.TryGetValue(issuer, out var candidates))
        {
            return new(null, ClientAuthFailure.UnknownIssuer);
        }

        if (candidates is [{ Tenant: null } only])
        {
            return new(only, null);
        }

        if (string.IsNullOrEmpty(tenant))
        {
            return new(null, ClientAuthFailure.MissingTenant);
        }

        return Array.Find(candidates, c => string.Equals(c.Tenant, tenant, StringComparison.Ordinal)) is { } match
            ? new(match, null)
            : new(null, ClientAuthFailure.TenantMismatch);
    }

    private static (IReadOnlyList<TrustedClient>, FrozenDictionary<string, TrustedClient[]>) Build(CdsHooksOptions options, IHostEnvironment environment)
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

        return (clients, clients.GroupBy(c => c.Issuer, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal));
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

        // A pinned jku wins over a fetched one of the same URL: the operator said where its keys are.
        foreach (var pinned in client.PinnedJku)
        {
            jku[pinned.Url!] = new JwksSource(JwksSourceKind.File, Path.GetFullPath(pinned.File!));
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
            DevelopmentOnly: false,
            string.IsNullOrWhiteSpace(client.JkuListUri) ? null : client.JkuListUri);
    }
}
