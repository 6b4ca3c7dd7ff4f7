using System.Net;
using System.Net.Sockets;

namespace CdsService.Fhir.Data;

/// <summary>
/// Where the service's own outbound connections (FHIR servers, client JWK Sets) may go, decided on the address a name
/// resolves to at connection time (<see cref="SocketsHttpHandler.ConnectCallback"/>), not on the name in the URL: a name
/// that passed the allowlist can be re-pointed by its DNS owner at 127.0.0.1, the pod network or the cloud metadata
/// endpoint between check and use (DNS rebinding). Loopback, link-local (metadata 169.254.169.254, fe80::/10), private
/// (RFC 1918, CGNAT 100.64/10, IPv6 ULA fc00::/7), unspecified and multicast addresses are refused unless the operator
/// lists their network in <c>Outbound:AllowedPrivateNetworks</c> (the local sandbox and the tests list loopback).
/// Link-local is never allowed: no FHIR server or key set lives there, the metadata endpoint does.
/// </summary>
public sealed class OutboundAddressGuard
{
    public const string SectionName = "Outbound";

    private static readonly IPNetwork[] Restricted =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork[] NeverAllowed = [IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("fe80::/10")];

    private readonly IPNetwork[] allowed;

    /// <param name="allowedPrivateNetworks">CIDR networks the operator explicitly allows (e.g. "127.0.0.0/8", "10.20.0.0/16").</param>
    public OutboundAddressGuard(IEnumerable<string> allowedPrivateNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedPrivateNetworks);
        allowed = [.. allowedPrivateNetworks.Select(IPNetwork.Parse)];
    }

    /// <summary>Whether each entry is a CIDR network (start-up validation).</summary>
    public static bool AreNetworks(IEnumerable<string> networks) => networks.All(n => IPNetwork.TryParse(n, out _));

    /// <summary>True when the address is loopback, link-local, private, unspecified or multicast.</summary>
    public static bool IsRestricted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        return Restricted.Any(n => n.Contains(normalized));
    }

    /// <summary>True for link-local addresses (the cloud metadata endpoint): refused at start in any URL setting.</summary>
    public static bool IsLinkLocal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        return NeverAllowed.Any(n => n.Contains(normalized));
    }

    public bool IsAllowed(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var normalized = Normalize(address);
        return !IsRestricted(normalized) || (!IsLinkLocal(normalized) && allowed.Any(n => n.Contains(normalized)));
    }

    /// <summary>
    /// The <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the name, keeps only allowed addresses, and
    /// connects to those (the connection is made to the checked address, so no second lookup can differ).
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var permitted = addresses.Where(IsAllowed).ToArray();
        if (permitted.Length == 0)
        {
            // No address is named: the message reaches logs as an exception type only, and the host is in the URL anyway.
            throw new HttpRequestException(HttpRequestError.ConnectionError,
                "Outbound connection refused: the host resolves only to loopback, link-local, private or otherwise restricted addresses (Outbound:AllowedPrivateNetworks).");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(permitted, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
