using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HandPose.Imaging.Internal;

/// <summary>
/// Bilinear sampling of an 8-bit image through a destination-to-source affine map, one destination row at a time,
/// into floats on the 0..255 scale (no rounding, so tensors keep the sub-level precision MediaPipe's float sampling has).
/// </summary>
/// <remarks>
/// Destination pixel i of row j sits at (i + 0.5, j + 0.5); its source point p = M·(i + 0.5, j + 0.5) is sampled with the
/// taps floor(p − 0.5) and floor(p − 0.5) + 1 (OpenCV <c>warpAffine</c>'s convention, computed in float instead of its
/// 5-bit fixed point). <see cref="BorderMode.Replicate"/> clamps each tap's index; <see cref="BorderMode.Zero"/> gives
/// every tap outside the image the value 0. Rows use AVX2 gathers (8 pixels at a time) where all taps are inside.
/// </remarks>
internal static class WarpKernel
{
    public static unsafe void SampleRow(ImageView source, in AffineTransform map, int y, int width, BorderMode border, Span<float> row)
    {
        int channels = source.BytesPerPixel;
        if (row.Length < width * channels)
        {
            throw new ArgumentException("Row buffer too short.", nameof(row));
        }

        double v = y + 0.5;
        double baseX = (map.A * 0.5) + (map.B * v) + map.C - 0.5;
        double baseY = (map.D * 0.5) + (map.E * v) + map.F - 0.5;
        bool gather = Avx2.IsSupported && Vector256.IsHardwareAccelerated && source.Data.Length >= 8;
        var geometry = new Geometry(source.Width, source.Height, source.Stride, channels, source.Data.Length);
        float* planes = stackalloc float[32];
        fixed (byte* data = source.Data)
        {
            fixed (float* dst = row)
            {
                for (int i = 0; i < width;)
                {
                    if (gather && i + 8 <= width && TryGather8(data, geometry, map, baseX + (i * map.A), baseY + (i * map.D), dst + (i * channels), planes))
                    {
                        i += 8;
                        continue;
                    }

                    int end = gather ? Math.Min(i + 8, width) : width;
                    for (; i < end; i++)
                    {
                        SamplePixel(source, baseX + (i * map.A), baseY + (i * map.D), border, dst + (i * channels));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Eight destination pixels at once with AVX2 gathers of 4-byte words, when all 32 taps are inside the image (buffers
    /// of at least 8 bytes, see <see cref="Tap"/>); false to let the caller use the scalar path.
    /// Coordinates are float32 here (≈1e-4 px at 2000 px; MediaPipe's GPU path samples with float32 too).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool TryGather8(byte* data, in Geometry source, in AffineTransform map, double startX, double startY, float* dst, float* planes)
    {
        int channels = source.Channels, stride = source.Stride;
        Vector256<float> lanes = Vector256.Create(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        Vector256<float> sx = Vector256.Create((float)startX) + (lanes * (float)map.A);
        Vector256<float> sy = Vector256.Create((float)startY) + (lanes * (float)map.D);
        Vector256<float> flx = Vector256.Floor(sx), fly = Vector256.Floor(sy);
        Vector256<int> x0 = Vector256.ConvertToInt32Native(flx), y0 = Vector256.ConvertToInt32Native(fly);
        Vector256<int> o00 = (y0 * stride) + (x0 * channels);
        Vector256<int> inside = Vector256.Equals(sx, sx).AsInt32() & Vector256.Equals(sy, sy).AsInt32()
            & Vector256.GreaterThanOrEqual(x0, Vector256<int>.Zero) & Vector256.LessThanOrEqual(x0, Vector256.Create(source.Width - 2))
            & Vector256.GreaterThanOrEqual(y0, Vector256<int>.Zero) & Vector256.LessThanOrEqual(y0, Vector256.Create(source.Height - 2))
            & Vector256.LessThanOrEqual(o00, Vector256.Create(source.Length - stride - (2 * channels)));
        if (!Vector256.EqualsAll(inside, Vector256<int>.AllBitsSet))
        {
            return false;
        }

        var g00 = Tap.Gather(data, o00, source);
        var g01 = Tap.Gather(data, o00 + Vector256.Create(channels), source);
        var g10 = Tap.Gather(data, o00 + Vector256.Create(stride), source);
        var g11 = Tap.Gather(data, o00 + Vector256.Create(stride + channels), source);
        Vector256<float> fx = sx - flx, fy = sy - fly;
        for (int c = 0; c < channels; c++)
        {
            Vector256<float> v00 = g00.Channel(c);
            Vector256<float> v01 = g01.Channel(c);
            Vector256<float> v10 = g10.Channel(c);
            Vector256<float> v11 = g11.Channel(c);
            Vector256<float> top = v00 + (fx * (v01 - v00));
            Vector256<float> bottom = v10 + (fx * (v11 - v10));
            (top + (fy * (bottom - top))).Store(planes + (8 * c));
        }

        if (channels == 3)
        {
            for (int k = 0; k < 8; k++)
            {
                dst[3 * k] = planes[k];
                dst[(3 * k) + 1] = planes[8 + k];
                dst[(3 * k) + 2] = planes[16 + k];
            }

            return true;
        }

        for (int k = 0; k < 8; k++)
        {
            for (int c = 0; c < channels; c++)
            {
                dst[(k * channels) + c] = planes[(8 * c) + k];
            }
        }

        return true;
    }

    private readonly record struct Geometry(int Width, int Height, int Stride, int Channels, int Length);

    /// <summary>
    /// One tap of eight pixels: a 4-byte word per lane holding the pixel's channels. A pixel within 4 bytes of the
    /// buffer's end (RGB or gray at the bottom-right) is read from the word that ends with it instead, so every pixel
    /// inside the image takes this path, whatever its pixel format (RGB and RGBA then sample identically).
    /// </summary>
    private readonly struct Tap(Vector256<int> words, Vector256<uint> shifts)
    {
        public static unsafe Tap Gather(byte* data, Vector256<int> offsets, in Geometry source)
        {
            Vector256<int> back = Vector256.GreaterThan(offsets, Vector256.Create(source.Length - 4)) & Vector256.Create(4 - source.Channels);
            Vector256<int> words = Avx2.GatherVector256((int*)data, offsets - back, 1);
            return new Tap(words, (back * 8).AsUInt32());
        }

        public Vector256<float> Channel(int c) =>
            Vector256.ConvertToSingle(Avx2.ShiftRightLogicalVariable(words, shifts + Vector256.Create((uint)(8 * c))) & Vector256.Create(0xFF));
    }

    private static unsafe void SamplePixel(ImageView source, double sx, double sy, BorderMode border, float* dst)
    {
        int channels = source.BytesPerPixel;
        int w = source.Width, h = source.Height, stride = source.Stride;
        ReadOnlySpan<byte> data = source.Data;
        // Clamped so that floor fits an int and far-away points still behave as "outside".
        sx = double.IsNaN(sx) ? -2 : Math.Clamp(sx, -2.0, w + 1.0);
        sy = double.IsNaN(sy) ? -2 : Math.Clamp(sy, -2.0, h + 1.0);
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
        else if (border == BorderMode.Replicate)
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

        for (int c = 0; c < channels; c++)
        {
            dst[c] = (w00 * data[o00 + c]) + (w01 * data[o01 + c]) + (w10 * data[o10 + c]) + (w11 * data[o11 + c]);
        }
    }
}
