using System.Buffers.Binary;
using System.IO.Compression;

namespace HandPose.Imaging.Png;

/// <summary>
/// Decodes PNG: every colour type and bit depth (1–16), PLTE + tRNS, Adam7, CRC-checked chunks. Output is Gray8 (gray
/// without transparency), Rgb24 (colour or palette without transparency) or Rgba32 (anything with alpha or tRNS);
/// low bit depths are scaled by 255/(2ᵈ − 1), 16-bit samples are reduced to 8 by rounding (v / 257).
/// </summary>
internal static class PngDecoder
{
    private const string Fmt = "PNG";

    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(PngEncoder.Signature);

    public static ImageInfo Identify(ReadOnlySpan<byte> data)
    {
        Header h = ReadHeader(data, out int afterIhdr);
        bool trns = false;
        int pos = afterIhdr;
        while (true)
        {
            Chunk c = NextChunk(data, ref pos);
            if (c.Is("tRNS"u8))
            {
                trns = true;
            }

            if (c.Is("IDAT"u8) || c.Is("IEND"u8))
            {
                break;
            }
        }

        int channels = h.ColorType switch
        {
            0 => 1,
            2 => 3,
            3 => trns ? 4 : 3,
            4 => 2,
            _ => 4,
        };
        return new ImageInfo(Fmt, h.Width, h.Height, channels, h.BitDepth) { Progressive = h.Interlaced };
    }

    public static ImageBuffer Decode(ReadOnlySpan<byte> data, ImageDecoderOptions options)
    {
        Header h = ReadHeader(data, out int pos);
        if ((long)h.Width * h.Height > options.MaxPixels)
        {
            throw new ImageFormatException(Fmt, $"{h.Width}x{h.Height} exceeds the pixel limit of {options.MaxPixels} (ImageDecoderOptions.MaxPixels).");
        }

        byte[]? palette = null;
        byte[]? trns = null;
        var idat = new MemoryStream();
        bool seenIdat = false, idatEnded = false;
        while (true)
        {
            Chunk c = NextChunk(data, ref pos);
            ReadOnlySpan<byte> body = data.Slice(c.Offset, c.Length);
            if (c.Is("IEND"u8))
            {
                break;
            }

            if (c.Is("IDAT"u8))
            {
                if (idatEnded)
                {
                    throw new ImageFormatException(Fmt, "IDAT chunks are not consecutive.");
                }

                seenIdat = true;
                idat.Write(body);
                continue;
            }

            idatEnded |= seenIdat;
            if (c.Is("IHDR"u8))
            {
                throw new ImageFormatException(Fmt, "more than one IHDR chunk.");
            }

            if (c.Is("PLTE"u8))
            {
                if (body.Length == 0 || body.Length % 3 != 0 || body.Length > 768 || palette is not null || seenIdat)
                {
                    throw new ImageFormatException(Fmt, $"invalid PLTE chunk ({body.Length} bytes).");
                }

                palette = body.ToArray();
            }
            else if (c.Is("tRNS"u8))
            {
                int expected = h.ColorType switch { 0 => 2, 2 => 6, 3 => -1, _ => 0 };
                bool ok = expected == -1 ? palette is not null && body.Length <= palette.Length / 3 : body.Length == expected;
                if (!ok || seenIdat)
                {
                    throw new ImageFormatException(Fmt, $"invalid tRNS chunk ({body.Length} bytes) for colour type {h.ColorType}.");
                }

                trns = body.ToArray();
            }
            else if ((c.TypeByte0 & 0x20) == 0)
            {
                throw new ImageFormatException(Fmt, $"unknown critical chunk '{c.Name}'.");
            }
        }

        if (!seenIdat)
        {
            throw new ImageFormatException(Fmt, "no IDAT chunk.");
        }

        if (h.ColorType == 3 && palette is null)
        {
            throw new ImageFormatException(Fmt, "palette image without a PLTE chunk.");
        }

        byte[] raw = Inflate(idat, RawSize(h));
        return Reconstruct(h, raw, palette, trns);
    }

    private static long RawSize(Header h)
    {
        long total = 0;
        foreach ((int w, int hh) in Passes(h))
        {
            total += w == 0 || hh == 0 ? 0 : hh * (1 + RowBytes(h, w));
        }

        return total;
    }

    private static IEnumerable<(int W, int H)> Passes(Header h)
    {
        if (!h.Interlaced)
        {
            yield return (h.Width, h.Height);
            yield break;
        }

        foreach ((int x, int y, int dx, int dy) in Adam7)
        {
            yield return ((h.Width - x + dx - 1) / dx, (h.Height - y + dy - 1) / dy);
        }
    }

    private static long RowBytes(Header h, int width) => ((long)width * h.BitsPerPixel + 7) / 8;

    private static byte[] Inflate(MemoryStream idat, long expected)
    {
        if (expected > Array.MaxLength)
        {
            throw new ImageFormatException(Fmt, $"the image data would need {expected} bytes, more than one array can hold.");
        }

        idat.Position = 0;
        // Grow with the data actually inflated, so a lying header cannot make us allocate up front.
        byte[] buffer = new byte[(int)Math.Min(expected, 1 << 20)];
        int filled = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            while (filled < expected)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(expected, (long)buffer.Length * 2));
                }

                int n = z.Read(buffer, filled, buffer.Length - filled);
                if (n == 0)
                {
                    break;
                }

                filled += n;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new ImageFormatException(Fmt, $"corrupt zlib image data: {ex.Message}", ex);
        }

        if (filled < expected)
        {
            throw new ImageFormatException(Fmt, $"image data truncated: {filled} of {expected} bytes after decompression.");
        }

        return buffer;
    }

    private static ImageBuffer Reconstruct(Header h, byte[] raw, byte[]? palette, byte[]? trns)
    {
        PixelFormat format = h.ColorType switch
        {
            0 => trns is null ? PixelFormat.Gray8 : PixelFormat.Rgba32,
            2 or 3 => trns is null ? PixelFormat.Rgb24 : PixelFormat.Rgba32,
            _ => PixelFormat.Rgba32,
        };
        var image = new ImageBuffer(h.Width, h.Height, format);
        int outBpp = format.BytesPerPixel();
        int filterBpp = Math.Max(1, h.BitsPerPixel / 8);
        var lut = new PixelUnpacker(h, palette, trns, format);
        byte[] pixels = new byte[h.Width * outBpp];
        int pos = 0;
        int pass = 0;
        foreach ((int pw, int ph) in Passes(h))
        {
            (int x0, int y0, int dx, int dy) = h.Interlaced ? Adam7[pass] : (0, 0, 1, 1);
            pass++;
            if (pw == 0 || ph == 0)
            {
                continue;
            }

            int rowBytes = (int)RowBytes(h, pw);
            var previous = new byte[rowBytes];
            for (int j = 0; j < ph; j++)
            {
                int filter = raw[pos];
                Span<byte> row = raw.AsSpan(pos + 1, rowBytes);
                pos += rowBytes + 1;
                if (!PngFilters.Unfilter(filter, row, previous, filterBpp))
                {
                    throw new ImageFormatException(Fmt, $"unknown filter type {filter} in row {j}.");
                }

                row.CopyTo(previous);
                lut.Unpack(row, pw, pixels);
                Span<byte> dst = image.GetRowSpan(y0 + (j * dy));
                if (dx == 1)
                {
                    pixels.AsSpan(0, pw * outBpp).CopyTo(dst);
                }
                else
                {
                    for (int i = 0; i < pw; i++)
                    {
                        pixels.AsSpan(i * outBpp, outBpp).CopyTo(dst[((x0 + (i * dx)) * outBpp)..]);
                    }
                }
            }
        }

        return image;
    }

    private static Header ReadHeader(ReadOnlySpan<byte> data, out int pos)
    {
        if (!IsPng(data))
        {
            throw new ImageFormatException(Fmt, "missing PNG signature.");
        }

        pos = 8;
        Chunk c = NextChunk(data, ref pos);
        if (!c.Is("IHDR"u8) || c.Length != 13)
        {
            throw new ImageFormatException(Fmt, "the first chunk is not a 13-byte IHDR.");
        }

        ReadOnlySpan<byte> b = data.Slice(c.Offset, 13);
        int width = BinaryPrimitives.ReadInt32BigEndian(b), height = BinaryPrimitives.ReadInt32BigEndian(b[4..]);
        int depth = b[8], type = b[9];
        if (width <= 0 || height <= 0)
        {
            throw new ImageFormatException(Fmt, $"invalid size {(uint)width}x{(uint)height}.");
        }

        bool depthOk = type switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!depthOk)
        {
            throw new ImageFormatException(Fmt, $"invalid colour type {type} with bit depth {depth}.");
        }

        if (b[10] != 0 || b[11] != 0 || b[12] > 1)
        {
            throw new ImageFormatException(Fmt, $"unsupported compression {b[10]}, filter {b[11]} or interlace {b[12]} method.");
        }

        return new Header(width, height, depth, type, b[12] == 1);
    }

    private static Chunk NextChunk(ReadOnlySpan<byte> data, ref int pos)
    {
        if (data.Length - pos < 12)
        {
            throw new ImageFormatException(Fmt, $"truncated at byte {pos}: chunk header or IEND missing.");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
        ReadOnlySpan<byte> type = data.Slice(pos + 4, 4);
        foreach (byte t in type)
        {
            if (!char.IsAsciiLetter((char)t))
            {
                throw new ImageFormatException(Fmt, $"invalid chunk type at byte {pos + 4}.");
            }
        }

        if (length > int.MaxValue || length > (uint)(data.Length - pos - 12))
        {
            throw new ImageFormatException(Fmt, $"chunk '{System.Text.Encoding.ASCII.GetString(type)}' declares {length} bytes but only {data.Length - pos - 12} remain.");
        }

        var chunk = new Chunk(pos + 8, (int)length, BinaryPrimitives.ReadUInt32BigEndian(type));
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
        if (Crc32.Compute(type, data.Slice(pos + 8, (int)length)) != stored)
        {
            throw new ImageFormatException(Fmt, $"CRC mismatch in chunk '{chunk.Name}' at byte {pos}.");
        }

        pos += 12 + (int)length;
        return chunk;
    }

    private readonly record struct Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
    {
        public int BitsPerPixel => BitDepth * (ColorType switch { 0 or 3 => 1, 2 => 3, 4 => 2, _ => 4 });
    }

    private readonly record struct Chunk(int Offset, int Length, uint Type)
    {
        public byte TypeByte0 => (byte)(Type >> 24);

        public string Name => string.Create(4, Type, (s, t) =>
        {
            for (int i = 0; i < 4; i++)
            {
                s[i] = (char)((t >> (24 - (8 * i))) & 0xFF);
            }
        });

        public bool Is(ReadOnlySpan<byte> name) => Type == BinaryPrimitives.ReadUInt32BigEndian(name);
    }

    /// <summary>Turns one unfiltered scanline into output pixels.</summary>
    private sealed class PixelUnpacker
    {
        private readonly Header _h;
        private readonly byte[] _palette = new byte[256 * 4];
        private readonly int _trnsGray = -1;
        private readonly int[]? _trnsRgb;
        private readonly PixelFormat _format;

        public PixelUnpacker(Header h, byte[]? palette, byte[]? trns, PixelFormat format)
        {
            _h = h;
            _format = format;
            for (int i = 0; i < 256; i++)
            {
                _palette[(i * 4) + 3] = 255;
            }

            if (palette is not null)
            {
                for (int i = 0; i < palette.Length / 3; i++)
                {
                    palette.AsSpan(i * 3, 3).CopyTo(_palette.AsSpan(i * 4));
                }
            }

            if (trns is not null)
            {
                switch (h.ColorType)
                {
                    case 0:
                        _trnsGray = BinaryPrimitives.ReadUInt16BigEndian(trns);
                        break;
                    case 2:
                        _trnsRgb = [BinaryPrimitives.ReadUInt16BigEndian(trns), BinaryPrimitives.ReadUInt16BigEndian(trns.AsSpan(2)), BinaryPrimitives.ReadUInt16BigEndian(trns.AsSpan(4))];
                        break;
                    default:
                        for (int i = 0; i < trns.Length; i++)
                        {
                            _palette[(i * 4) + 3] = trns[i];
                        }

                        break;
                }
            }
        }

        public void Unpack(ReadOnlySpan<byte> row, int width, Span<byte> dst)
        {
            int depth = _h.BitDepth;
            int channels = _h.ColorType switch { 0 or 3 => 1, 2 => 3, 4 => 2, _ => 4 };
            int bpp = _format.BytesPerPixel();
            for (int x = 0; x < width; x++)
            {
                Span<byte> o = dst.Slice(x * bpp, bpp);
                if (_h.ColorType == 3)
                {
                    int index = Sample(row, x, depth);
                    _palette.AsSpan(index * 4, bpp).CopyTo(o);
                    continue;
                }

                if (_h.ColorType == 0)
                {
                    int v = Sample(row, x, depth);
                    byte g = Scale(v, depth);
                    if (bpp == 1)
                    {
                        o[0] = g;
                    }
                    else
                    {
                        o[0] = o[1] = o[2] = g;
                        o[3] = v == _trnsGray ? (byte)0 : (byte)255;
                    }

                    continue;
                }

                int b = x * channels;
                if (_h.ColorType == 4)
                {
                    byte g = Scale(Sample(row, b, depth), depth);
                    o[0] = o[1] = o[2] = g;
                    o[3] = Scale(Sample(row, b + 1, depth), depth);
                    continue;
                }

                int r = Sample(row, b, depth), gg = Sample(row, b + 1, depth), bl = Sample(row, b + 2, depth);
                o[0] = Scale(r, depth);
                o[1] = Scale(gg, depth);
                o[2] = Scale(bl, depth);
                if (bpp == 4)
                {
                    o[3] = _h.ColorType == 6 ? Scale(Sample(row, b + 3, depth), depth)
                        : _trnsRgb is not null && r == _trnsRgb[0] && gg == _trnsRgb[1] && bl == _trnsRgb[2] ? (byte)0 : (byte)255;
                }
            }
        }

        private static int Sample(ReadOnlySpan<byte> row, int index, int depth) => depth switch
        {
            8 => row[index],
            16 => (row[index * 2] << 8) | row[(index * 2) + 1],
            _ => (row[index * depth / 8] >> (8 - depth - (index * depth % 8))) & ((1 << depth) - 1),
        };

        private static byte Scale(int v, int depth) => depth switch
        {
            8 => (byte)v,
            16 => (byte)((v + 128) / 257),
            _ => (byte)(v * 255 / ((1 << depth) - 1)),
        };
    }
}
