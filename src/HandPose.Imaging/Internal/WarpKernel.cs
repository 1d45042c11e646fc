using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HandPose.Imaging.Internal;

/// <summary>
/// Bilinear sampling of an 8-bit image through a destination-to-source affine map, one destination row at a time,
/// into floats on the 0..255 scale (no rounding, so tensors keep the sub-level precision MediaPipe's float sampling has).
/// </summary>
/// <remarks>
/// Destination pixel i of row j sits at (i + 0.5, j + 0.5); its source point p = M·(i + 0.5, j + 0.5) is sampled with the
/// taps floor(p − 0.5) and floor(p − 0.5) + 1 (OpenCV <c>warpAffine</c>'s convention, computed in float instead of its
/// 5-bit fixed point). <see cref="BorderMode.Replicate"/> clamps each tap's index; <see cref="BorderMode.Zero"/> gives
/// every tap outside the image the value 0.
/// </remarks>
internal static class WarpKernel
{
    public static void SampleRow(ImageView source, in AffineTransform map, int y, int width, BorderMode border, Span<float> row)
    {
        int channels = source.BytesPerPixel;
        int w = source.Width, h = source.Height, stride = source.Stride;
        if (row.Length < width * channels)
        {
            throw new ArgumentException("Row buffer too short.", nameof(row));
        }

        ref byte data = ref MemoryMarshal.GetReference(source.Data);
        ref float dst = ref MemoryMarshal.GetReference(row);
        double v = y + 0.5;
        double baseX = (map.A * 0.5) + (map.B * v) + map.C - 0.5;
        double baseY = (map.D * 0.5) + (map.E * v) + map.F - 0.5;
        bool replicate = border == BorderMode.Replicate;
        for (int i = 0; i < width; i++)
        {
            // Clamped so that floor fits an int and far-away points still behave as "outside".
            double sx = Math.Clamp(baseX + (i * map.A), -2.0, w + 1.0);
            double sy = Math.Clamp(baseY + (i * map.D), -2.0, h + 1.0);
            if (double.IsNaN(sx) || double.IsNaN(sy))
            {
                sx = -2;
                sy = -2;
            }

            int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
            float fx = (float)(sx - x0), fy = (float)(sy - y0);
            float w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
            int o00, o01, o10, o11;
            if ((uint)x0 < (uint)(w - 1) && (uint)y0 < (uint)(h - 1))
            {
                o00 = (y0 * stride) + (x0 * channels);
                o01 = o00 + channels;
                o10 = o00 + stride;
                o11 = o10 + channels;
            }
            else if (replicate)
            {
                int xa = Math.Clamp(x0, 0, w - 1) * channels, xb = Math.Clamp(x0 + 1, 0, w - 1) * channels;
                int ya = Math.Clamp(y0, 0, h - 1) * stride, yb = Math.Clamp(y0 + 1, 0, h - 1) * stride;
                o00 = ya + xa;
                o01 = ya + xb;
                o10 = yb + xa;
                o11 = yb + xb;
            }
            else
            {
                bool xaIn = (uint)x0 < (uint)w, xbIn = (uint)(x0 + 1) < (uint)w;
                bool yaIn = (uint)y0 < (uint)h, ybIn = (uint)(y0 + 1) < (uint)h;
                int xa = xaIn ? x0 * channels : 0, xb = xbIn ? (x0 + 1) * channels : 0;
                int ya = yaIn ? y0 * stride : 0, yb = ybIn ? (y0 + 1) * stride : 0;
                w00 = xaIn && yaIn ? w00 : 0;
                w01 = xbIn && yaIn ? w01 : 0;
                w10 = xaIn && ybIn ? w10 : 0;
                w11 = xbIn && ybIn ? w11 : 0;
                o00 = ya + xa;
                o01 = ya + xb;
                o10 = yb + xa;
                o11 = yb + xb;
            }

            ref float d = ref Unsafe.Add(ref dst, i * channels);
            for (int c = 0; c < channels; c++)
            {
                Unsafe.Add(ref d, c) =
                    (w00 * Unsafe.Add(ref data, o00 + c)) + (w01 * Unsafe.Add(ref data, o01 + c)) +
                    (w10 * Unsafe.Add(ref data, o10 + c)) + (w11 * Unsafe.Add(ref data, o11 + c));
            }
        }
    }
}
