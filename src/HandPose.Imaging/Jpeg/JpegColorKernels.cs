namespace HandPose.Imaging.Jpeg;

/// <summary>Row kernels of the colour output: fancy upsampling (jdsample.c) and YCbCr to RGB (jdcolor.c).</summary>
internal static class JpegColorKernels
{
    /// <summary>Horizontal 2:1 triangle upsampling of <paramref name="width"/> (&gt; 2) samples.</summary>
    public static void H2V1Fancy(ReadOnlySpan<byte> src, Span<byte> dst, int width)
    {
        int v = src[0];
        dst[0] = (byte)v;
        dst[1] = (byte)(((v * 3) + src[1] + 2) >> 2);
        for (int x = 1; x < width - 1; x++)
        {
            int t = src[x] * 3;
            dst[2 * x] = (byte)((t + src[x - 1] + 1) >> 2);
            dst[(2 * x) + 1] = (byte)((t + src[x + 1] + 2) >> 2);
        }

        v = src[width - 1];
        dst[(2 * width) - 2] = (byte)(((v * 3) + src[width - 2] + 1) >> 2);
        dst[(2 * width) - 1] = (byte)v;
    }

    /// <summary>2:1 × 2:1 triangle upsampling: one output row from the nearer and the farther input row.</summary>
    public static void H2V2Fancy(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> dst, int width)
    {
        int last = (near[0] * 3) + far[0];
        int cur = last;
        dst[0] = (byte)(((cur * 4) + 8) >> 4);
        for (int x = 0; x < width - 1; x++)
        {
            int next = (near[x + 1] * 3) + far[x + 1];
            if (x > 0)
            {
                dst[2 * x] = (byte)(((cur * 3) + last + 8) >> 4);
            }

            dst[(2 * x) + 1] = (byte)(((cur * 3) + next + 7) >> 4);
            last = cur;
            cur = next;
        }

        dst[(2 * width) - 2] = (byte)(((cur * 3) + last + 8) >> 4);
        dst[(2 * width) - 1] = (byte)(((cur * 4) + 7) >> 4);
    }

    /// <summary>Vertical 2:1 triangle upsampling (libjpeg-turbo's h1v2_fancy_upsample).</summary>
    public static void H1V2Fancy(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> dst, int width, int bias)
    {
        for (int x = 0; x < width; x++)
        {
            dst[x] = (byte)(((near[x] * 3) + far[x] + bias) >> 2);
        }
    }

    /// <summary>YCbCr to interleaved RGB.</summary>
    public static void YccToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> dst, int width) =>
        JpegColorOutput.YccToRgbScalar(y, cb, cr, dst, width);
}
