using System.Runtime.Intrinsics;

namespace HandPose.Imaging.Codecs;

/// <summary>Packs Skia's 4-byte RGBA rows into 3-byte RGB rows.</summary>
internal static class PixelPacking
{
    /// <summary>Copies R, G, B of each RGBA pixel (alpha dropped); <paramref name="rgb"/> holds width × 3 bytes.</summary>
    public static void RgbaToRgb(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int n = rgb.Length / 3, i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            // 4 pixels (16 bytes in) → 12 bytes out; store 16 and advance 12, so stop while 16 bytes still fit.
            Vector128<byte> shuffle = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 255, 255, 255, 255);
            for (; i + 6 <= n; i += 4)
            {
                Vector128<byte> v = Vector128.Create(rgba.Slice(i * 4, 16));
                Vector128.Shuffle(v, shuffle).CopyTo(rgb.Slice(i * 3, 16));
            }
        }

        for (; i < n; i++)
        {
            rgb[i * 3] = rgba[i * 4];
            rgb[(i * 3) + 1] = rgba[(i * 4) + 1];
            rgb[(i * 3) + 2] = rgba[(i * 4) + 2];
        }
    }
}
