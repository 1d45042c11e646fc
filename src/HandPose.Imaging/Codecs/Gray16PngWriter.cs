using System.Buffers.Binary;
using System.IO.Compression;

namespace HandPose.Imaging.Codecs;

/// <summary>
/// Writes 16-bit grayscale PNG (colour type 0, depth 16, big-endian samples, filter 0 on every row, zlib by
/// <see cref="ZLibStream"/>): depth maps in millimetres, which Skia's PNG encoder does not produce.
/// </summary>
internal static class Gray16PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(ReadOnlySpan<ushort> samples, int width, int height, Stream output, CompressionLevel level)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (samples.Length < (long)width * height)
        {
            throw new ArgumentException($"A {width}x{height} image needs {(long)width * height} samples; got {samples.Length}.", nameof(samples));
        }

        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 16; // bit depth
        ihdr[9] = 0; // gray; compression, filter and interlace bytes stay 0
        WriteChunk(output, "IHDR"u8, ihdr);

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var row = new byte[1 + (2 * width)]; // leading 0: filter type None
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<ushort> src = samples.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(row.AsSpan(1 + (2 * x)), src[x]);
                }

                z.Write(row);
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(type, data));
        output.Write(word);
    }
}
