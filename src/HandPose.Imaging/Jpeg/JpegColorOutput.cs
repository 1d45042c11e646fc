namespace HandPose.Imaging.Jpeg;

/// <summary>
/// Turns decoded component planes into the output image the way libjpeg-turbo does by default: "fancy" triangle
/// upsampling for 2:1 horizontal and/or vertical chroma (jdsample.c h2v1/h2v2/h1v2), pixel replication for other
/// integral factors, and the integer YCbCr to RGB tables of jdcolor.c.
/// </summary>
internal static class JpegColorOutput
{
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

        // Every byte is written below, so the buffer need not be zeroed first.
        var image = new ImageBuffer(GC.AllocateUninitializedArray<byte>(checked(width * height * 3)), width, height, PixelFormat.Rgb24);
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

    /// <summary>Produces full-resolution rows of one component.</summary>
    private sealed class RowUpsampler
    {
        private readonly JpegComponent _c;
        private readonly int _hr;
        private readonly int _vr;
        private readonly byte[] _row;
        private readonly bool _fancyH;
        private readonly byte[] _padded;
        private readonly short[] _colsum;

        public RowUpsampler(JpegComponent c, int hr, int vr, int width)
        {
            _c = c;
            _hr = hr;
            _vr = vr;
            _row = new byte[Math.Max(width, c.DownWidth * hr) + 32];
            _fancyH = hr == 2 && c.DownWidth > 2;
            _padded = new byte[c.DownWidth + 2];
            _colsum = new short[c.DownWidth + 2];
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
                JpegColorKernels.H2V1Fancy(c.Plane.AsSpan(y * c.Stride, dw), _padded, _row, dw);
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
                    JpegColorKernels.H2V2Fancy(near, farRow, _colsum, _row, dw);
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
