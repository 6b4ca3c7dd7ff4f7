using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace CdsService.Cards;

/// <summary>
/// Name-based UUIDs (RFC 9562 §5.8, version 8, SHA-256 as in its Appendix B.2) from the hookInstance and the card or
/// suggestion it names. Stable for one call, so golden files need no normalisation and a repeated call yields the
/// same card ids; unique across calls because hookInstance is (CDS Hooks 2.0: a UUID per hook invocation).
/// </summary>
internal static class DeterministicUuid
{
    private const string Namespace = "org.hypogonadism-cds/";

    // hookInstance is a UUID (36 characters) in every conforming call; longer names are hashed from a heap buffer.
    private const int MaxStackNameBytes = 512;

    public static string Create(string hookInstance, string name)
    {
        var length = Encoding.UTF8.GetMaxByteCount(Namespace.Length + hookInstance.Length + 1 + name.Length);
        Span<byte> utf8 = length <= MaxStackNameBytes ? stackalloc byte[length] : new byte[length];
        if (!Utf8.TryWrite(utf8, $"{Namespace}{hookInstance}/{name}", out var written))
        {
            throw new InvalidOperationException("The UUID name did not fit its maximum UTF-8 length.");
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..written], hash);

        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
