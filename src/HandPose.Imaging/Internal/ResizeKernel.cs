using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HandPose.Imaging.Internal;

/// <summary>
/// Separable 2-tap bilinear resize with half-pixel centres (OpenCV <c>INTER_LINEAR</c>, TensorFlow
/// <c>half_pixel_centers=true</c>, PyTorch <c>align_corners=False, antialias=False</c>): destination pixel i samples
/// source x = (i + 0.5)·srcW/dstW − 0.5, clamped to the image (a negative x uses pixel 0 alone, x ≥ W − 1 the last pixel).
/// Computed in float; 8-bit results are rounded to nearest.
/// </summary>
internal sealed class ResizeKernel
{
    private readonly int _channels;
    private readonly int _dstWidth;
    private readonly int[] _x0;
    private readonly int[] _x1;
    private readonly float[] _fx;
    private readonly int[] _y0;
    private readonly int[] _y1;
    private readonly float[] _fy;

    public ResizeKernel(int srcWidth, int srcHeight, int dstWidth, int dstHeight, int channels)
    {
        _channels = channels;
        _dstWidth = dstWidth;
        (_x0, _x1, _fx) = Taps(srcWidth, dstWidth, channels);
        (_y0, _y1, _fy) = Taps(srcHeight, dstHeight, 1);
    }

    public int RowLength => _dstWidth * _channels;

    /// <summary>Computes destination row <paramref name="y"/> as floats (0..255 scale).</summary>
    public void Row(ImageView source, int y, Span<float> top, Span<float> bottom, Span<float> row, ref int cachedTop, ref int cachedBottom)
    {
        int ya = _y0[y], yb = _y1[y];
        if (cachedTop != ya)
        {
            if (cachedBottom == ya)
            {
                bottom.CopyTo(top);
            }
            else
            {
                Horizontal(source.GetRow(ya), top);
            }

            cachedTop = ya;
        }

        if (cachedBottom != yb)
        {
            if (yb == ya)
            {
                top.CopyTo(bottom);
            }
            else
            {
                Horizontal(source.GetRow(yb), bottom);
            }

            cachedBottom = yb;
        }

        int n = RowLength;
        float f = _fy[y];
        if (f == 0)
        {
            top[..n].CopyTo(row);
            return;
        }

        // row = top + f·(bottom − top)
        TensorPrimitives.Subtract(bottom[..n], top[..n], row[..n]);
        TensorPrimitives.MultiplyAdd(row[..n], f, top[..n], row[..n]);
    }

    private void Horizontal(ReadOnlySpan<byte> src, Span<float> dst)
    {
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref float d = ref MemoryMarshal.GetReference(dst);
        int c = _channels;
        if (c == 3)
        {
            for (int i = 0; i < _dstWidth; i++)
            {
                int a = _x0[i], b = _x1[i];
                float f = _fx[i];
                ref float o = ref Unsafe.Add(ref d, i * 3);
                float p0 = Unsafe.Add(ref s, a), p1 = Unsafe.Add(ref s, a + 1), p2 = Unsafe.Add(ref s, a + 2);
                o = p0 + (f * (Unsafe.Add(ref s, b) - p0));
                Unsafe.Add(ref o, 1) = p1 + (f * (Unsafe.Add(ref s, b + 1) - p1));
                Unsafe.Add(ref o, 2) = p2 + (f * (Unsafe.Add(ref s, b + 2) - p2));
            }

            return;
        }

        for (int i = 0; i < _dstWidth; i++)
        {
            int a = _x0[i], b = _x1[i];
            float f = _fx[i];
            ref float o = ref Unsafe.Add(ref d, i * c);
            for (int k = 0; k < c; k++)
            {
                float p = Unsafe.Add(ref s, a + k);
                Unsafe.Add(ref o, k) = p + (f * (Unsafe.Add(ref s, b + k) - p));
            }
        }
    }

    private static (int[] Lo, int[] Hi, float[] Frac) Taps(int src, int dst, int step)
    {
        var lo = new int[dst];
        var hi = new int[dst];
        var frac = new float[dst];
        double scale = (double)src / dst;
        for (int i = 0; i < dst; i++)
        {
            double x = ((i + 0.5) * scale) - 0.5;
            int x0 = (int)Math.Floor(x);
            double f = x - x0;
            if (x0 < 0)
            {
                x0 = 0;
                f = 0;
            }

            if (x0 >= src - 1)
            {
                x0 = src - 1;
                f = 0;
            }

            lo[i] = x0 * step;
            hi[i] = Math.Min(x0 + 1, src - 1) * step;
            frac[i] = (float)f;
        }

        return (lo, hi, frac);
    }
}
