using System.Buffers.Binary;
using System.IO.Compression;

namespace HandPose.Imaging.Tests;

/// <summary>Builds PNG files from raw (already filtered) scanline bytes, with correct CRCs.</summary>
internal static class PngBuilder
{
    public static byte[] Build(int width, int height, int depth, int colorType, byte[] filteredRows, int interlace = 0) =>
        Build(width, height, depth, colorType, zs => zs.Write(filteredRows), interlace);

    /// <summary>A PNG whose filtered rows are written by <paramref name="writeRows"/> into the zlib stream (for images too large to hold raw).</summary>
    public static byte[] Build(int width, int height, int depth, int colorType, Action<Stream> writeRows, int interlace = 0)
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = (byte)depth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)interlace;
        Chunk(ms, "IHDR", ihdr);
        using var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true))
        {
            writeRows(zs);
        }

        Chunk(ms, "IDAT", z.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    public static void Chunk(Stream s, string type, byte[] data)
    {
        byte[] head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(head, 4);
        s.Write(head);
        s.Write(data);
        byte[] crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc(head.AsSpan(4), data));
        s.Write(crc);
    }

    private static uint Crc(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        uint c = 0xFFFFFFFF;
        foreach (byte b in (byte[])[.. type, .. data])
        {
            c ^= b;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }
        }

        return ~c;
    }
}
