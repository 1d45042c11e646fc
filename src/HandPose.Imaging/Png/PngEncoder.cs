using System.Buffers.Binary;
using System.IO.Compression;

namespace HandPose.Imaging.Png;

/// <summary>Writes 8-bit gray, RGB or RGBA and 16-bit gray PNG (non-interlaced, adaptive per-row filters, zlib via <see cref="ZLibStream"/>).</summary>
internal static class PngEncoder
{
    internal static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static void Write(ImageView image, Stream output, CompressionLevel level)
    {
        byte colorType = image.Format switch
        {
            PixelFormat.Gray8 => 0,
            PixelFormat.Rgb24 => 2,
            _ => 6,
        };
        Write(image, 8, colorType, output, level);
    }

    /// <summary>Writes 16-bit grayscale: the samples go big-endian into a two-byte-per-pixel row, then the same filters.</summary>
    public static void WriteGray16(ReadOnlySpan<ushort> pixels, int width, int height, Stream output, CompressionLevel level)
    {
        byte[] bytes = new byte[checked(pixels.Length * 2)];
        for (int i = 0; i < pixels.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2 * i), pixels[i]);
        }

        // A Gray8 view twice as wide carries exactly the row bytes; the filters use 2 bytes per pixel.
        Write(new ImageView(bytes, 2 * width, height, PixelFormat.Gray8), 16, 0, output, level, bytesPerPixel: 2);
    }

    private static void Write(ImageView image, byte bitDepth, byte colorType, Stream output, CompressionLevel level, int bytesPerPixel = 0)
    {
        int bpp = bytesPerPixel > 0 ? bytesPerPixel : image.BytesPerPixel;
        int width = bytesPerPixel > 0 ? image.Width * image.BytesPerPixel / bytesPerPixel : image.Width;

        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], image.Height);
        ihdr[8] = bitDepth;
        ihdr[9] = colorType;
        ihdr[10] = 0;
        ihdr[11] = 0;
        ihdr[12] = 0;
        WriteChunk(output, "IHDR"u8, ihdr);

        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, level, leaveOpen: true))
        {
            int rowBytes = width * bpp;
            var previous = new byte[rowBytes];
            var candidates = new byte[5][];
            for (int f = 0; f < 5; f++)
            {
                candidates[f] = new byte[rowBytes + 1];
                candidates[f][0] = (byte)f;
            }

            for (int y = 0; y < image.Height; y++)
            {
                ReadOnlySpan<byte> row = image.GetRow(y);
                byte[] best = candidates[0];
                long bestScore = long.MaxValue;
                for (int f = 0; f < 5; f++)
                {
                    long score = Filter(f, row, previous, bpp, candidates[f].AsSpan(1));
                    if (score < bestScore)
                    {
                        bestScore = score;
                        best = candidates[f];
                    }
                }

                z.Write(best);
                row.CopyTo(previous);
            }
        }

        WriteChunk(output, "IDAT"u8, compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        WriteChunk(output, "IEND"u8, []);
    }

    /// <summary>Applies PNG filter <paramref name="type"/>; returns the sum of |signed bytes| (libpng's heuristic).</summary>
    private static long Filter(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> up, int bpp, Span<byte> dst)
    {
        long score = 0;
        for (int i = 0; i < row.Length; i++)
        {
            int a = i >= bpp ? row[i - bpp] : 0, b = up[i], c = i >= bpp ? up[i - bpp] : 0;
            int predictor = type switch
            {
                0 => 0,
                1 => a,
                2 => b,
                3 => (a + b) >> 1,
                _ => PngFilters.Paeth(a, b, c),
            };
            byte v = (byte)(row[i] - predictor);
            dst[i] = v;
            score += Math.Abs((int)(sbyte)v);
        }

        return score;
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        type.CopyTo(header[4..]);
        output.Write(header);
        output.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.Compute(type, data));
        output.Write(crc);
    }
}
