using System.Collections.Concurrent;
using CdsService.Api.Logging;

namespace CdsService.Api.Security;

/// <summary>
/// Says, once per origin, that the service's CORS policy refused a browser origin, with the configured list beside it.
/// Without it a refused origin leaves only "OPTIONS answered 204" in the log (the CORS middleware answers a refused
/// preflight 204 without CORS headers, and the browser blocks the call), so an integrator cannot see why the CDS Hooks
/// sandbox or an EHR's web client fails. Bounded: an attacker can send any Origin header, so after
/// <see cref="MaxRemembered"/> distinct refused origins the rest are no longer logged.
/// </summary>
public sealed class CorsRefusalLog(ILogger<CorsRefusalLog> logger)
{
    public const int MaxRemembered = 100;

    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);

    /// <summary>Records a refused origin (logged the first time only) and returns false, the policy's answer.</summary>
    public bool Refuse(string origin, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        if (_seen.Count < MaxRemembered && _seen.TryAdd(origin, 0))
        {
            Log.CorsOriginRefused(logger, origin, allowed.Count == 0 ? "none" : string.Join(", ", allowed));
        }

        return false;
    }
}
