using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using CdsService.Api.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CdsService.Api.Security;

/// <summary>
/// The signing keys of trusted clients, by key set and kid (docs/security.md §3, Trust configuration and key rotation):
/// <list type="bullet">
/// <item>a key set is read only from an allowlisted source (<see cref="TrustedClient.KeySetFor"/> decides that);</item>
/// <item>it is cached, re-read on an unknown kid at most once per <see cref="ClientTokenRules.KeySetRefreshInterval"/>,
/// and re-read when older than <see cref="ClientTokenRules.KeySetMaxAge"/>;</item>
/// <item>a failed read grants nothing: the previous keys (if any) stay, an unknown kid stays unknown → 401;</item>
/// <item>only asymmetric signing keys (kty RSA or EC) are kept: an "oct" key in a JWK Set would reopen the HMAC
/// key-confusion attack.</item>
/// </list>
/// Loading is async and happens before token validation (<see cref="ClientTokenEvents"/>); the library's synchronous key
/// resolver then only reads the cache (<see cref="CachedKeys"/>).
/// </summary>
/// In Production a key whose private half is public (<see cref="PublishedKeys"/>) is left out of every set read.
public sealed class JwksCache(
    IHttpClientFactory httpClientFactory,
    JkuListCache jkuLists,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<JwksCache> logger)
{
    public const string HttpClientName = "cds-jwks";

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<SecurityKey>> ResolveAsync(TrustedClient client, JwksSource source, string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(source);
        var entry = entries.GetOrAdd(source.Id, _ => new Entry());

        // Throttled and nobody reading: answer from the cache. While a read is in flight (the gate is taken) wait for
        // it instead: the first calls after start, or after a key rotation, arrive together, and answering them from a
        // cache that is still empty refused valid tokens (found by the fuzz tests, which call with two threads).
        if (IsFresh(entry, kid) || (IsThrottled(entry) && entry.Gate.CurrentCount > 0))
        {
            return entry.Keys?.Find(kid) ?? [];
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(entry, kid) && !IsThrottled(entry))
            {
                entry.LastAttempt = time.GetUtcNow();
                await LoadAsync(client, source, entry, cancellationToken);
            }
        }
        finally
        {
            entry.Gate.Release();
        }

        return entry.Keys?.Find(kid) ?? [];
    }

    /// <summary>
    /// Reads a client's local key sets (a configured file, the embedded dev set) before its first call, so that call does
    /// not pay for the read and the key import (it was ~7 % of cold start, docs/performance.md). URL key sets stay fetched on first use: no
    /// outbound request to every EHR each time a pod starts. A preload is not a refresh attempt: after a failed one
    /// (logged as KeySetLoadFailed) the first call reads the set again instead of being throttled for a minute.
    /// </summary>
    public async Task PreloadLocalKeySetsAsync(TrustedClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var local = client.JkuSources.Values.Prepend(client.DefaultKeySet)
            .Where(s => s.Kind != JwksSourceKind.Url)
            .DistinctBy(s => s.Id, StringComparer.Ordinal);
        foreach (var source in local)
        {
            var entry = entries.GetOrAdd(source.Id, _ => new Entry());
            await entry.Gate.WaitAsync(cancellationToken);
            try
            {
                // A call that arrived first has loaded it already.
                if (entry.Keys is null)
                {
                    await LoadAsync(client, source, entry, cancellationToken);
                }
            }
            finally
            {
                entry.Gate.Release();
            }
        }
    }

    /// <summary>
    /// The keys already loaded for this token's client, jku, kid and alg (no I/O: called inside the token handler). A
    /// key bound to another algorithm by its JWK <c>alg</c> is left out (<see cref="ClientTokenRules.KeyAllows"/>).
    /// </summary>
    public IReadOnlyList<SecurityKey> CachedKeys(ClientRegistry registry, SecurityToken token, string kid)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (token is not JsonWebToken jwt
            || registry.Find(jwt.Issuer, jwt.TryGetPayloadValue<string>("tenant", out var tenant) ? tenant : null).Client is not { } client)
        {
            return [];
        }

        var jku = jwt.TryGetHeaderValue<string>(JwtHeaderParameterNames.Jku, out var value) ? value : null;
        return CachedSourceFor(client, jku) is { } source && entries.TryGetValue(source.Id, out var entry)
            ? [.. (entry.Keys?.Find(kid) ?? []).Where(k => ClientTokenRules.KeyAllows(k, jwt.Alg))]
            : [];
    }

    /// <summary>
    /// The key set a token's <c>jku</c> may be answered from: the client's own allowlist (configured, pinned), else —
    /// for a client with a key-set list (<see cref="TrustedClient.JkuListUri"/>) — the jku itself when the list names
    /// it (the list is read or refreshed here). Null: not allowed, and never fetched.
    /// </summary>
    public async Task<JwksSource?> SourceForAsync(TrustedClient client, string? jku, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.KeySetFor(jku) is { } configured)
        {
            return configured;
        }

        return client.JkuListUri is not null && jku is not null && await jkuLists.IsListedAsync(client, jku, cancellationToken)
            ? new JwksSource(JwksSourceKind.Url, jku)
            : null;
    }

    private JwksSource? CachedSourceFor(TrustedClient client, string? jku) =>
        client.KeySetFor(jku)
        ?? (client.JkuListUri is not null && jku is not null && jkuLists.IsListed(client, jku) ? new JwksSource(JwksSourceKind.Url, jku) : null);

    private bool IsFresh(Entry entry, string kid) =>
        entry.Keys is { } keys && keys.Find(kid).Length > 0 && time.GetUtcNow() - keys.LoadedAt < ClientTokenRules.KeySetMaxAge;

    private bool IsThrottled(Entry entry) =>
        entry.LastAttempt is { } last && time.GetUtcNow() - last < ClientTokenRules.KeySetRefreshInterval;

    private async Task LoadAsync(TrustedClient client, JwksSource source, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            var json = await ReadAsync(source, cancellationToken);
            var keys = ClientTokenRules.SigningKeysByKid(json, refusePublished: environment.IsProduction());
            entry.Keys = new KeySnapshot(keys, time.GetUtcNow());
            Log.KeySetLoaded(logger, client.Issuer, source.Kind, keys.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or UnauthorizedAccessException or JsonException
            or ArgumentException or InvalidOperationException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.KeySetLoadFailed(logger, client.Issuer, source.Kind, ex.GetType().Name);
        }
    }

    private async Task<string> ReadAsync(JwksSource source, CancellationToken cancellationToken)
    {
        switch (source.Kind)
        {
            case JwksSourceKind.Url:
                var http = httpClientFactory.CreateClient(HttpClientName);
                using (var response = await http.GetAsync(new Uri(source.Location, UriKind.Absolute), cancellationToken))
                {
                    // Redirects are not followed (handler setting): a 3xx lands here and is a failure.
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync(cancellationToken);
                }

            case JwksSourceKind.File:
                var info = new FileInfo(source.Location);
                if (info.Length > ClientTokenRules.KeySetMaxBytes)
                {
                    throw new InvalidOperationException("The JWK Set file is larger than allowed.");
                }

                return await File.ReadAllTextAsync(source.Location, cancellationToken);

            default:
                await using (var stream = typeof(JwksCache).Assembly.GetManifestResourceStream(source.Location)
                    ?? throw new InvalidOperationException("Embedded JWK Set not found."))
                using (var reader = new StreamReader(stream))
                {
                    return await reader.ReadToEndAsync(cancellationToken);
                }
        }
    }

    private sealed class Entry
    {
        private KeySnapshot? keys;
        private long lastAttemptUtcTicks;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public KeySnapshot? Keys
        {
            get => Volatile.Read(ref keys);
            set => Volatile.Write(ref keys, value);
        }

        /// <summary>When the set was last read (successfully or not); null before the first read.</summary>
        public DateTimeOffset? LastAttempt
        {
            get => Interlocked.Read(ref lastAttemptUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
            set => Interlocked.Exchange(ref lastAttemptUtcTicks, value?.UtcTicks ?? 0);
        }
    }

    private sealed record KeySnapshot(FrozenDictionary<string, SecurityKey[]> ByKid, DateTimeOffset LoadedAt)
    {
        public int Count => ByKid.Count;

        public SecurityKey[] Find(string kid) => ByKid.GetValueOrDefault(kid) ?? [];
    }
}
