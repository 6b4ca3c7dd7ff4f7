using System.Buffers.Binary;

namespace CdsService.Api.Preview;

/// <summary>
/// The preview page's favicon: a 16×16 ICO (one 32-bit BMP image, the format every browser reads for /favicon.ico),
/// a filled circle in the page's accent colour. Drawn in code so the repository holds no binary file for it.
/// </summary>
internal static class PreviewFavicon
{
    private const int Size = 16;

    public static byte[] Bytes { get; } = Draw();

    private static byte[] Draw()
    {
        const int headerBytes = 6 + 16;            // ICONDIR + one ICONDIRENTRY
        const int infoBytes = 40;                  // BITMAPINFOHEADER
        const int pixelBytes = Size * Size * 4;    // BGRA, bottom-up
        const int maskBytes = Size * 4;            // 1-bit AND mask, rows padded to 32 bits (all zero: alpha decides)
        var ico = new byte[headerBytes + infoBytes + pixelBytes + maskBytes];
        var span = ico.AsSpan();

        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], 1);                   // type: icon
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 1);                   // one image
        span[6] = Size;
        span[7] = Size;
        BinaryPrimitives.WriteUInt16LittleEndian(span[10..], 1);                  // colour planes
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], 32);                 // bits per pixel
        BinaryPrimitives.WriteUInt32LittleEndian(span[14..], infoBytes + pixelBytes + maskBytes);
        BinaryPrimitives.WriteUInt32LittleEndian(span[18..], headerBytes);

        var info = span[headerBytes..];
        BinaryPrimitives.WriteUInt32LittleEndian(info, infoBytes);
        BinaryPrimitives.WriteInt32LittleEndian(info[4..], Size);
        BinaryPrimitives.WriteInt32LittleEndian(info[8..], Size * 2);             // ICO: height counts image + mask
        BinaryPrimitives.WriteUInt16LittleEndian(info[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(info[14..], 32);
        BinaryPrimitives.WriteUInt32LittleEndian(info[20..], pixelBytes + maskBytes);

        var pixels = span[(headerBytes + infoBytes)..];
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                var dx = x - 7.5;
                var dy = y - 7.5;
                var inside = (dx * dx) + (dy * dy) <= 7.5 * 7.5;
                var p = pixels.Slice(((y * Size) + x) * 4, 4);
                (p[0], p[1], p[2], p[3]) = inside ? ((byte)0x8A, (byte)0x4B, (byte)0x1F, (byte)0xFF) : ((byte)0, (byte)0, (byte)0, (byte)0);
            }
        }

        return ico;
    }
}
