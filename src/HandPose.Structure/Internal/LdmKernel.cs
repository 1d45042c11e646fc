using System.Runtime.CompilerServices;

namespace HandPose.Structure.Internal;

/// <summary>
/// The LDM kernel: 1 where the released code's three tests hold — along = ux·px + uy·py in [0, L] and
/// |uy·px − ux·py| ≤ w, each product and sum rounded in float64 in the released code's order, so the fragile cells on
/// the rectangle's edges come out exactly as there — else the cell is left as it is (0 after the caller's clear).
/// It visits the cells of <see cref="LimbRows"/> for a radius just above w; per row only the two products that depend on
/// the row are computed once.
/// </summary>
internal static class LdmKernel
{
    public static void Render<TL, TD, TF>(in LimbGeometry g, in LimbRows rows, Span<float> destination, ReadOnlySpan<int> channelOffsets, int width)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        int step = TL.FloatCount;
        TD ux = TL.Splat(g.Ux);
        TD uy = TL.Splat(g.Uy);
        TD ax = TL.Splat(g.Ax);
        TD length = TL.Splat(g.Length);
        TD halfWidth = TL.Splat(g.HalfWidth);
        TD zero = TL.Splat(0);
        TD one = TL.Splat(1);
        for (int r = rows.First; r <= rows.Last; r++)
        {
            rows.Columns(r, out int c0, out int c1);
            double py = r - g.Ay;
            TD uyPy = TL.Splat(g.Uy * py);
            TD uxPy = TL.Splat(g.Ux * py);
            int rowBase = r * width;
            for (int c = c0; c <= c1; c += step)
            {
                int s = Math.Min(c, width - step);
                TD low = Inside<TL, TD, TF>(s, ux, uy, ax, uyPy, uxPy, length, halfWidth, zero, one);
                TD high = TL.FloatCount > 1 ? Inside<TL, TD, TF>(s + TL.DoubleCount, ux, uy, ax, uyPy, uxPy, length, halfWidth, zero, one) : low;
                TF value = TL.Narrow(low, high);
                LimbKernel.MaxInto<TL, TD, TF>(value, destination, channelOffsets, rowBase + s);
            }
        }
    }

    /// <summary>1 or 0 for DoubleCount cells from <paramref name="column"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TD Inside<TL, TD, TF>(int column, TD ux, TD uy, TD ax, TD uyPy, TD uxPy, TD length, TD halfWidth, TD zero, TD one)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        TD px = TL.Sub(TL.Iota(column), ax);
        TD along = TL.Add(TL.Mul(ux, px), uyPy);
        TD perp = TL.Abs(TL.Sub(TL.Mul(uy, px), uxPy));
        TD inside = TL.And(
            TL.And(TL.GreaterOrEqual(along, zero), TL.LessOrEqual(along, length)),
            TL.LessOrEqual(perp, halfWidth));
        return TL.And(inside, one);
    }
}
