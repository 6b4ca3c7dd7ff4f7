using System.Security.Cryptography;
using System.Text;

namespace CdsService.Fhir.Cards;

/// <summary>
/// Name-based UUIDs (RFC 9562 §5.8, version 8, SHA-256 as in its Appendix B.2) from the hookInstance and the card or
/// suggestion it names. Stable for one call, so golden files need no normalisation and a repeated call yields the
/// same card ids; unique across calls because hookInstance is (CDS Hooks 2.0: a UUID per hook invocation).
/// </summary>
internal static class DeterministicUuid
{
    public static string Create(string hookInstance, string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"org.hypogonadism-cds/{hookInstance}/{name}"), hash);

        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
