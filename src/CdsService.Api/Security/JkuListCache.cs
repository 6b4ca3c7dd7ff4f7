using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json;
using CdsService.Api.Logging;

namespace CdsService.Api.Security;

/// <summary>
/// The key-set URLs a client lists at its <see cref="TrustedClient.JkuListUri"/> (Oracle Health publishes them at
/// <c>https://authorization.cerner.com/jwk</c> and tells services to "confirm the token JKU is present"). Read, cached
/// and refreshed under the JWK Set rules (<see cref="ClientTokenRules.KeySetRefreshInterval"/>, <see cref="ClientTokenRules.KeySetMaxAge"/>,
/// same HTTP client: https, no redirects, size and time bounds): an unlisted jku re-reads the list at most once a minute,
/// and a failed read grants nothing. Every absolute https URL in the document (without userinfo) counts as listed,
/// whatever its JSON shape; only the configured list URL itself is the trust anchor.
/// </summary>
public sealed class JkuListCache(IHttpClientFactory httpClientFactory, TimeProvider time, ILogger<JkuListCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>Whether the client's list names <paramref name="jku"/>, reading or refreshing the list when due.</summary>
    public async Task<bool> IsListedAsync(TrustedClient client, string jku, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.JkuListUri is not { } listUri)
        {
            return false;
        }

        var entry = entries.GetOrAdd(listUri, _ => new Entry());
        if (IsFresh(entry, jku) || (IsThrottled(entry) && entry.Gate.CurrentCount > 0))
        {
            return entry.Urls?.Contains(jku) == true;
        }

        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!IsFresh(entry, jku) && !IsThrottled(entry))
            {
                entry.LastAttempt = time.GetUtcNow();
                await LoadAsync(client, listUri, entry, cancellationToken);
            }
        }
        finally
        {
            entry.Gate.Release();
        }

        return entry.Urls?.Contains(jku) == true;
    }

    /// <summary>The cached answer only (no I/O), for the token handler's synchronous key resolver.</summary>
    public bool IsListed(TrustedClient client, string jku)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.JkuListUri is { } listUri && entries.TryGetValue(listUri, out var entry) && entry.Urls?.Contains(jku) == true;
    }

    /// <summary>Every absolute https URL without userinfo anywhere in the document.</summary>
    internal static FrozenSet<string> ListedUrls(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        var urls = new HashSet<string>(StringComparer.Ordinal);
        Collect(document.RootElement, urls);
        return urls.ToFrozenSet(StringComparer.Ordinal);
    }

    private static void Collect(JsonElement element, HashSet<string> urls)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, urls);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, urls);
                }

                break;
            case JsonValueKind.String:
                if (Uri.TryCreate(element.GetString(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.UserInfo))
                {
                    urls.Add(element.GetString()!);
                }

                break;
        }
    }

    private bool IsFresh(Entry entry, string jku) =>
        entry.Urls is { } urls && urls.Contains(jku) && time.GetUtcNow() - entry.LoadedAt < ClientTokenRules.KeySetMaxAge;

    private bool IsThrottled(Entry entry) =>
        entry.LastAttempt is { } last && time.GetUtcNow() - last < ClientTokenRules.KeySetRefreshInterval;

    private async Task LoadAsync(TrustedClient client, string listUri, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            var http = httpClientFactory.CreateClient(JwksCache.HttpClientName);
            using var response = await http.GetAsync(new Uri(listUri, UriKind.Absolute), cancellationToken);
            response.EnsureSuccessStatusCode();
            var urls = ListedUrls(await response.Content.ReadAsStringAsync(cancellationToken));
            entry.Set(urls, time.GetUtcNow());
            Log.JkuListLoaded(logger, client.Issuer, urls.Count);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException
            or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Log.JkuListLoadFailed(logger, client.Issuer, ex.GetType().Name);
        }
    }

    private sealed class Entry
    {
        private Snapshot? snapshot;
        private long lastAttemptUtcTicks;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public FrozenSet<string>? Urls => Volatile.Read(ref snapshot)?.Urls;

        public DateTimeOffset LoadedAt => Volatile.Read(ref snapshot)?.LoadedAt ?? DateTimeOffset.MinValue;

        public DateTimeOffset? LastAttempt
        {
            get => Interlocked.Read(ref lastAttemptUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
            set => Interlocked.Exchange(ref lastAttemptUtcTicks, value?.UtcTicks ?? 0);
        }

        public void Set(FrozenSet<string> urls, DateTimeOffset loadedAt) => Volatile.Write(ref snapshot, new Snapshot(urls, loadedAt));

        private sealed record Snapshot(FrozenSet<string> Urls, DateTimeOffset LoadedAt);
    }
}
