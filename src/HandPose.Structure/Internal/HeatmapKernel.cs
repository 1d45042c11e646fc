using System.Runtime.Intrinsics;

namespace HandPose.Structure.Internal;

/// <summary>
/// Gaussian confidence maps as outer products of two 1-D Gaussians:
/// exp(−((c−X)² + (r−Y)²) / 2σ²) = exp(−(c−X)²/2σ²) · exp(−(r−Y)²/2σ²), in float32 as the released code.
/// The caller computes the two 1-D Gaussians (<see cref="Arguments"/>), then writes the map (<see cref="OuterProduct"/>).
/// </summary>
internal static class HeatmapKernel
{
    /// <summary>Writes exp((i − center)² · scale) for i = 0 .. destination.Length − 1.</summary>
    public static void Arguments(int simdWidth, float center, float scale, Span<float> destination)
    {
        int n = destination.Length;
        switch (simdWidth)
        {
            case >= 512 when n >= Lanes512.FloatCount:
                Arguments<Lanes512, Vector512<double>, Vector512<float>>(center, scale, destination);
                break;
            case >= 256 when n >= Lanes256.FloatCount:
                Arguments<Lanes256, Vector256<double>, Vector256<float>>(center, scale, destination);
                break;
            case >= 128 when n >= Lanes128.FloatCount:
                Arguments<Lanes128, Vector128<double>, Vector128<float>>(center, scale, destination);
                break;
            default:
                Arguments<LanesScalar, double, float>(center, scale, destination);
                break;
        }
    }

    /// <summary>channel[r, c] = columns[c] · rows[r].</summary>
    public static void OuterProduct(int simdWidth, ReadOnlySpan<float> columns, ReadOnlySpan<float> rows, Span<float> channel)
    {
        int width = columns.Length;
        switch (simdWidth)
        {
            case >= 512 when width >= Lanes512.FloatCount:
                OuterProduct<Lanes512, Vector512<double>, Vector512<float>>(columns, rows, channel);
                break;
            case >= 256 when width >= Lanes256.FloatCount:
                OuterProduct<Lanes256, Vector256<double>, Vector256<float>>(columns, rows, channel);
                break;
            case >= 128 when width >= Lanes128.FloatCount:
                OuterProduct<Lanes128, Vector128<double>, Vector128<float>>(columns, rows, channel);
                break;
            default:
                OuterProduct<LanesScalar, double, float>(columns, rows, channel);
                break;
        }
    }

    private static void OuterProduct<TL, TD, TF>(ReadOnlySpan<float> columns, ReadOnlySpan<float> rows, Span<float> channel)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        int width = columns.Length;
        int step = TL.FloatCount;
        int chunks = (width + step - 1) / step;
        if (chunks <= 4)
        {
            // Narrow maps (46 or 64 wide with 512-bit lanes): keep the row's Gaussian in registers. The last chunk is
            // shifted left to end at the row's end (re-writing a few cells with the same values).
            int s1 = Math.Min(step, width - step);
            int s2 = Math.Min(2 * step, width - step);
            int s3 = Math.Min(3 * step, width - step);
            TF g0 = TL.Load(columns, 0);
            TF g1 = chunks > 1 ? TL.Load(columns, s1) : g0;
            TF g2 = chunks > 2 ? TL.Load(columns, s2) : g0;
            TF g3 = chunks > 3 ? TL.Load(columns, s3) : g0;
            for (int r = 0; r < rows.Length; r++)
            {
                TF f = TL.SplatF(rows[r]);
                Span<float> row = channel.Slice(r * width, width);
                TL.Store(TL.MulF(g0, f), row, 0);
                if (chunks > 1)
                {
                    TL.Store(TL.MulF(g1, f), row, s1);
                }

                if (chunks > 2)
                {
                    TL.Store(TL.MulF(g2, f), row, s2);
                }

                if (chunks > 3)
                {
                    TL.Store(TL.MulF(g3, f), row, s3);
                }
            }

            return;
        }

        for (int r = 0; r < rows.Length; r++)
        {
            TF rowFactor = TL.SplatF(rows[r]);
            int rowBase = r * width;
            for (int c = 0; c < width; c += step)
            {
                int s = Math.Min(c, width - step);
                TL.Store(TL.MulF(TL.Load(columns, s), rowFactor), channel, rowBase + s);
            }
        }
    }

    private static void Arguments<TL, TD, TF>(float center, float scale, Span<float> destination)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        int count = destination.Length;
        int step = TL.FloatCount;
        TF c0 = TL.SplatF(center);
        TF k = TL.SplatF(scale);
        for (int c = 0; c < count; c += step)
        {
            int s = Math.Min(c, count - step);
            TF d = TL.SubF(TL.IotaF(s), c0);
            TL.Store(VectorExp.ExpNonPositive<TL, TD, TF>(TL.MulF(TL.MulF(d, d), k)), destination, s);
        }
    }
}
