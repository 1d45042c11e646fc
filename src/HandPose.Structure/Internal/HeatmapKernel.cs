using System.Runtime.Intrinsics;

namespace HandPose.Structure.Internal;

/// <summary>
/// Gaussian confidence map of one keypoint, written as the outer product of two 1-D Gaussians:
/// exp(−((c−X)² + (r−Y)²) / 2σ²) = exp(−(c−X)²/2σ²) · exp(−(r−Y)²/2σ²), in float32 as the released code.
/// </summary>
internal static class HeatmapKernel
{
    public static void Render(int simdWidth, float x, float y, float scale, Span<float> channel, Span<float> columnScratch, Span<float> rowScratch, int width, int height)
    {
        switch (simdWidth)
        {
            case >= 512 when width >= Lanes512.FloatCount && height >= Lanes512.FloatCount:
                Render<Lanes512, Vector512<double>, Vector512<float>>(x, y, scale, channel, columnScratch, rowScratch, width, height);
                break;
            case >= 256 when width >= Lanes256.FloatCount && height >= Lanes256.FloatCount:
                Render<Lanes256, Vector256<double>, Vector256<float>>(x, y, scale, channel, columnScratch, rowScratch, width, height);
                break;
            case >= 128 when width >= Lanes128.FloatCount && height >= Lanes128.FloatCount:
                Render<Lanes128, Vector128<double>, Vector128<float>>(x, y, scale, channel, columnScratch, rowScratch, width, height);
                break;
            default:
                Render<LanesScalar, double, float>(x, y, scale, channel, columnScratch, rowScratch, width, height);
                break;
        }
    }

    private static void Render<TL, TD, TF>(float x, float y, float scale, Span<float> channel, Span<float> gx, Span<float> gy, int width, int height)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        Gaussian1D<TL, TD, TF>(x, scale, gx, width);
        Gaussian1D<TL, TD, TF>(y, scale, gy, height);
        int step = TL.FloatCount;
        for (int r = 0; r < height; r++)
        {
            TF rowFactor = TL.SplatF(gy[r]);
            Span<float> row = channel.Slice(r * width, width);
            for (int c = 0; c < width; c += step)
            {
                int s = Math.Min(c, width - step);
                TL.Store(TL.MulF(TL.Load(gx, s), rowFactor), row, s);
            }
        }
    }

    private static void Gaussian1D<TL, TD, TF>(float center, float scale, Span<float> destination, int count)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        int step = TL.FloatCount;
        TF c0 = TL.SplatF(center);
        TF k = TL.SplatF(scale);
        for (int c = 0; c < count; c += step)
        {
            int s = Math.Min(c, count - step);
            TF d = TL.SubF(TL.IotaF(s), c0);
            TL.Store(TL.ExpF(TL.MulF(TL.MulF(d, d), k)), destination, s);
        }
    }
}
