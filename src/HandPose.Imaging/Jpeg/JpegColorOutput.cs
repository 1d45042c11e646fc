namespace HandPose.Imaging.Jpeg;

/// <summary>
/// Turns decoded component planes into the output image the way libjpeg-turbo does by default: "fancy" triangle
/// upsampling for 2:1 horizontal and/or vertical chroma (jdsample.c h2v1/h2v2/h1v2), pixel replication for other
/// integral factors, and the integer YCbCr to RGB tables of jdcolor.c.
/// </summary>
internal static class JpegColorOutput
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    /// <summary>Cr contribution to R, per sample value.</summary>
    internal static readonly int[] CrR = new int[256];

    /// <summary>Cb contribution to B.</summary>
    internal static readonly int[] CbB = new int[256];

    /// <summary>Cr contribution to G, scaled by 2^16.</summary>
    internal static readonly int[] CrG = new int[256];

    /// <summary>Cb contribution to G, scaled by 2^16, including the rounding half.</summary>
    internal static readonly int[] CbG = new int[256];

    static JpegColorOutput()
    {
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            CrR[i] = ((Fix(1.40200) * x) + OneHalf) >> ScaleBits;
            CbB[i] = ((Fix(1.77200) * x) + OneHalf) >> ScaleBits;
            CrG[i] = -Fix(0.71414) * x;
            CbG[i] = (-Fix(0.34414) * x) + OneHalf;
        }
    }

    private static int Fix(double x) => (int)((x * (1 << ScaleBits)) + 0.5);

    /// <summary>Builds the output image from the frame's planes.</summary>
    public static ImageBuffer Render(JpegFrame frame)
    {
        int width = frame.Width, height = frame.Height;
        JpegComponent[] comps = frame.Components;
        if (comps.Length == 1)
        {
            var gray = new ImageBuffer(width, height, PixelFormat.Gray8);
            JpegComponent c = comps[0];
            Span<byte> dst = gray.Memory.Span;
            for (int y = 0; y < height; y++)
            {
                c.Plane.AsSpan(y * c.Stride, width).CopyTo(dst.Slice(y * width, width));
            }

            return gray;
        }

        var image = new ImageBuffer(width, height, PixelFormat.Rgb24);
        Span<byte> pixels = image.Memory.Span;
        var upsamplers = new RowUpsampler[3];
        for (int i = 0; i < 3; i++)
        {
            upsamplers[i] = new RowUpsampler(comps[i], frame.MaxH / comps[i].H, frame.MaxV / comps[i].V, width);
        }

        bool rgb = frame.IsRgb;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> c0 = upsamplers[0].Row(y);
            ReadOnlySpan<byte> c1 = upsamplers[1].Row(y);
            ReadOnlySpan<byte> c2 = upsamplers[2].Row(y);
            Span<byte> dst = pixels.Slice(y * width * 3, width * 3);
            if (rgb)
            {
                Interleave(c0, c1, c2, dst, width);
            }
            else
            {
                JpegColorKernels.YccToRgb(c0, c1, c2, dst, width);
            }
        }

        return image;
    }

    private static void Interleave(ReadOnlySpan<byte> r, ReadOnlySpan<byte> g, ReadOnlySpan<byte> b, Span<byte> dst, int width)
    {
        for (int x = 0; x < width; x++)
        {
            dst[3 * x] = r[x];
            dst[(3 * x) + 1] = g[x];
            dst[(3 * x) + 2] = b[x];
        }
    }

    /// <summary>Scalar reference of the colour conversion (jdcolor.c ycc_rgb_convert).</summary>
    public static void YccToRgbScalar(ReadOnlySpan<byte> yRow, ReadOnlySpan<byte> cbRow, ReadOnlySpan<byte> crRow, Span<byte> dst, int width)
    {
        for (int x = 0; x < width; x++)
        {
            int y = yRow[x], cb = cbRow[x], cr = crRow[x];
            dst[3 * x] = (byte)Math.Clamp(y + CrR[cr], 0, 255);
            dst[(3 * x) + 1] = (byte)Math.Clamp(y + ((CbG[cb] + CrG[cr]) >> ScaleBits), 0, 255);
            dst[(3 * x) + 2] = (byte)Math.Clamp(y + CbB[cb], 0, 255);
        }
    }

    /// <summary>Produces full-resolution rows of one component.</summary>
    private sealed class RowUpsampler
    {
        private readonly JpegComponent _c;
        private readonly int _hr;
        private readonly int _vr;
        private readonly byte[] _row;
        private readonly bool _fancyH;

        public RowUpsampler(JpegComponent c, int hr, int vr, int width)
        {
            _c = c;
            _hr = hr;
            _vr = vr;
            _row = new byte[Math.Max(width, c.DownWidth * hr) + 32];
            _fancyH = hr == 2 && c.DownWidth > 2;
        }

        public ReadOnlySpan<byte> Row(int y)
        {
            JpegComponent c = _c;
            int dw = c.DownWidth;
            if (_hr == 1 && _vr == 1)
            {
                return c.Plane.AsSpan(y * c.Stride, dw);
            }

            if (_vr == 1 && _fancyH)
            {
                JpegColorKernels.H2V1Fancy(c.Plane.AsSpan(y * c.Stride, dw), _row, dw);
                return _row;
            }

            if (_vr == 2 && ((_hr == 2 && _fancyH) || _hr == 1))
            {
                int r = y >> 1;
                int far = (y & 1) == 0 ? Math.Max(r - 1, 0) : Math.Min(r + 1, c.DownHeight - 1);
                ReadOnlySpan<byte> near = c.Plane.AsSpan(r * c.Stride, dw);
                ReadOnlySpan<byte> farRow = c.Plane.AsSpan(far * c.Stride, dw);
                if (_hr == 2)
                {
                    JpegColorKernels.H2V2Fancy(near, farRow, _row, dw);
                }
                else
                {
                    JpegColorKernels.H1V2Fancy(near, farRow, _row, dw, (y & 1) == 0 ? 1 : 2);
                }

                return _row;
            }

            // Replication (libjpeg's int_upsample / h2v1_upsample / h2v2_upsample).
            ReadOnlySpan<byte> src = c.Plane.AsSpan(y / _vr * c.Stride, dw);
            int hr = _hr;
            for (int x = 0; x < dw; x++)
            {
                _row.AsSpan(x * hr, hr).Fill(src[x]);
            }

            return _row;
        }
    }
}
