using System.Collections.Concurrent;
using CdsService.Api.Logging;

namespace CdsService.Api.Security;

/// <summary>
/// Logs client token refusals (ClientAuthenticationFailed, 3001) at most once per issuer and reason per
/// <see cref="Window"/>: anyone can send bad tokens, and one warning per refused call would let them flood the log and
/// the SIEM. The refusals in between are counted and reported (ClientAuthenticationFailuresSuppressed, 3050) with the
/// next event of that issuer and reason. The keys are bounded: the issuer is a configured one or "(none)", the reason an
/// enum. Time comes from the injected clock.
/// </summary>
public sealed class ClientAuthFailureLog(TimeProvider time, ILogger<ClientTokenEvents> logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<(string Issuer, ClientAuthFailure Reason), Counter> windows = new();

    public void Refused(ClientAuthFailure reason, string issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var now = time.GetUtcNow();
        var counter = windows.GetOrAdd((issuer, reason), _ => new Counter());
        int suppressed;
        lock (counter)
        {
            if (counter.Start is { } start && now - start < Window)
            {
                counter.Suppressed++;
                return;
            }

            suppressed = counter.Suppressed;
            counter.Start = now;
            counter.Suppressed = 0;
        }

        if (suppressed > 0)
        {
            Log.ClientAuthenticationFailuresSuppressed(logger, suppressed, reason, issuer, Window);
        }

        Log.ClientAuthenticationFailed(logger, reason, issuer);
    }

    private sealed class Counter
    {
        public DateTimeOffset? Start { get; set; }

        public int Suppressed { get; set; }
    }
}
