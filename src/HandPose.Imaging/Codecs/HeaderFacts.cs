using System.Buffers.Binary;

namespace HandPose.Imaging.Codecs;

/// <summary>
/// Stored details Skia does not expose (it reports what it would decode to): the PNG IHDR's bit depth, channels and
/// interlacing, and the JPEG frame header's components, subsampling and progressive flag. Reads header fields only.
/// </summary>
internal static class HeaderFacts
{
    /// <summary>Channels, bit depth, subsampling and progressive/interlaced from the header, or null when not PNG/JPEG or unreadable.</summary>
    /// <param name="d">The file bytes.</param>
    /// <param name="format">The format Skia recognised.</param>
    /// <param name="decodesWithAlpha">Whether Skia decodes it with alpha (a PNG palette with tRNS then counts 4 channels).</param>
    public static (int Channels, int BitDepth, string? Subsampling, bool Progressive)? Read(ReadOnlySpan<byte> d, string format, bool decodesWithAlpha) => format switch
    {
        "PNG" => Png(d, decodesWithAlpha),
        "JPEG" => Jpeg(d),
        _ => null,
    };

    private static (int, int, string?, bool)? Png(ReadOnlySpan<byte> d, bool decodesWithAlpha)
    {
        // Signature (8), IHDR length (4) + type (4), width (4), height (4), bit depth, colour type, compression, filter, interlace.
        if (d.Length < 29 || !d[12..16].SequenceEqual("IHDR"u8))
        {
            return null;
        }

        int channels = d[25] switch { 0 => 1, 2 => 3, 3 => decodesWithAlpha ? 4 : 3, 4 => 2, 6 => 4, _ => 0 };
        return channels == 0 ? null : (channels, d[24], null, d[28] == 1);
    }

    private static (int, int, string?, bool)? Jpeg(ReadOnlySpan<byte> d)
    {
        int pos = 2;
        while (pos + 4 <= d.Length)
        {
            if (d[pos] != 0xFF)
            {
                return null;
            }

            byte marker = d[pos + 1];
            if (marker == 0xFF)
            {
                pos++; // fill byte
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(d[(pos + 2)..]);
            bool sof = marker is >= 0xC0 and <= 0xCF && marker is not (0xC4 or 0xC8 or 0xCC);
            if (sof)
            {
                ReadOnlySpan<byte> s = d[(pos + 4)..];
                if (s.Length < 6 || s.Length < 6 + (3 * s[5]))
                {
                    return null;
                }

                int n = s[5];
                return (n, s[0], n >= 3 ? Subsampling(s.Slice(6, 3 * n)) : null, marker is 0xC2 or 0xC6 or 0xCA or 0xCE);
            }

            if (marker is 0xD9 or 0xDA)
            {
                return null;
            }

            pos += 2 + length;
        }

        return null;
    }

    /// <summary>"4:2:0" etc. from the component sampling factors (Y first, then Cb and Cr), or "HxV,HxV,HxV" when unusual.</summary>
    private static string Subsampling(ReadOnlySpan<byte> components)
    {
        int yh = components[1] >> 4, yv = components[1] & 15, ch = components[4] >> 4, cv = components[4] & 15;
        bool regular = ch > 0 && cv > 0 && components[7] == components[4] && yh % ch == 0 && yv % cv == 0;
        string? named = !regular ? null : (yh / ch, yv / cv) switch
        {
            (1, 1) => "4:4:4",
            (2, 1) => "4:2:2",
            (2, 2) => "4:2:0",
            (1, 2) => "4:4:0",
            (4, 1) => "4:1:1",
            (4, 2) => "4:1:0",
            _ => null,
        };
        return named ?? $"{yh}x{yv},{ch}x{cv},{components[7] >> 4}x{components[7] & 15}";
    }
}
