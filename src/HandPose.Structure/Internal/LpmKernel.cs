using System.Runtime.CompilerServices;

namespace HandPose.Structure.Internal;

/// <summary>
/// The fast LPM kernel for limbs that are not (nearly) zero-length. With along = the signed distance of the cell's
/// projection from A, p = its perpendicular distance from the limb's line, L the length and e = max(−along, along − L,
/// 0) (how far the projection falls outside the segment), the distances are
/// <list type="bullet">
/// <item>Paper: D² = e² + p² (the true distance to the segment);</item>
/// <item>OfficialCode: the same, plus p² again beyond B (the released code's |P−B|² + |P−Q|² where cross ≥ l2).</item>
/// </list>
/// along, p and the released code's cross (in its own float64 expression, so the jump at the line through B falls on
/// exactly the same cells) are evaluated in float64 lane by lane, so every SIMD path gives the same values; the squares
/// and the exponential run in float32. The released code's Q differs from the foot point by
/// 1e-8·(L − along) / (l2 + 1e-8) along the limb; for l2 ≥ <see cref="MinLengthSquared"/> that changes D² by less than
/// 1e-9, so shorter limbs use <see cref="LimbKernel"/> instead. Each row visits the columns within the radius of the
/// limb's line (centre and half-width linear in the row, no division per row) and of its bounding box — a superset
/// of the capsule of that radius around the segment, with no scalar work per row beyond two bounds.
/// </summary>
internal static class LpmKernel
{
    /// <summary>Limbs with a squared length below this are left to <see cref="LimbKernel"/>.</summary>
    public const double MinLengthSquared = 1e-2;

    public static void Render<TL, TD, TF>(bool official, in LimbGeometry g, in LimbRows rows, Span<float> destination, ReadOnlySpan<int> channelOffsets, int width)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        if (official)
        {
            Render<TL, TD, TF, OfficialVariant>(g, rows, destination, channelOffsets, width);
        }
        else
        {
            Render<TL, TD, TF, PaperVariant>(g, rows, destination, channelOffsets, width);
        }
    }

    private static void Render<TL, TD, TF, TV>(in LimbGeometry g, in LimbRows rows, Span<float> destination, ReadOnlySpan<int> channelOffsets, int width)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
        where TV : struct, IVariant
    {
        int step = TL.FloatCount;
        double length = g.Length;
        double ux = g.Dx / length;
        double uy = g.Dy / length;

        TD alongSlope = TL.Splat(ux);
        TD perpSlope = TL.Splat(-uy);
        TD halfLength = TL.Splat(length / 2);
        TD zero = TL.Splat(0);
        TD dx = TL.Splat(g.Dx);
        TD ax = TL.Splat(g.Ax);
        TD l2 = TL.Splat(g.LengthSquared);
        TD sqrt2 = TL.Splat(Math.Sqrt(2));
        TD one = TL.Splat(1);
        TF scale = TL.SplatF((float)(g.ExpScale * VectorExp.Log2E));
        TF lowest = TL.SplatF(VectorExp.Lowest);
        for (int r = rows.First; r <= rows.Last; r++)
        {
            rows.Columns(r, out int c0, out int c1);

            double py = r - g.Ay;
            TD alongRow = TL.Splat((uy * py) - (ux * g.Ax) - (length / 2));
            TD perpRow = TL.Splat((ux * py) + (uy * g.Ax));
            TD crossRow = TL.Splat(g.Dy * py);
            int rowBase = r * width;
            for (int c = c0; c <= c1; c += step)
            {
                int s = Math.Min(c, width - step);
                TD eLow = Distances<TL, TD, TF, TV>(s, alongSlope, alongRow, perpSlope, perpRow, halfLength, zero, dx, ax, crossRow, l2, sqrt2, one, out TD pLow);
                TD eHigh = eLow;
                TD pHigh = pLow;
                if (TL.FloatCount > 1)
                {
                    eHigh = Distances<TL, TD, TF, TV>(s + TL.DoubleCount, alongSlope, alongRow, perpSlope, perpRow, halfLength, zero, dx, ax, crossRow, l2, sqrt2, one, out pHigh);
                }

                TF e = TL.Narrow(eLow, eHigh);
                TF p = TL.Narrow(pLow, pHigh);
                TF d2 = TL.AddF(TL.MulF(e, e), TL.MulF(p, p));
                // Clamped at 2^−126 instead of flushed to 0 below it: such cells get ≈1e-38, far below the 1e-7 cutoff.
                TF value = VectorExp.Exp2InRange<TL, TD, TF>(TL.MaxF(TL.MulF(d2, scale), lowest));
                LimbKernel.MaxInto<TL, TD, TF>(value, destination, channelOffsets, rowBase + s);
            }
        }
    }

    /// <summary>
    /// For DoubleCount cells from <paramref name="column"/>: e (distance of the projection outside the segment) and, in
    /// <paramref name="p"/>, the perpendicular distance — times √2 where the released code adds |P−Q|² a second time
    /// (cross ≥ l2, evaluated as it does).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TD Distances<TL, TD, TF, TV>(int column, TD alongSlope, TD alongRow, TD perpSlope, TD perpRow, TD halfLength, TD zero, TD dx, TD ax, TD crossRow, TD l2, TD sqrt2, TD one, out TD p)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
        where TV : struct, IVariant
    {
        TD c = TL.Iota(column);
        TD along = TL.MulAdd(alongSlope, c, alongRow); // measured from the limb's midpoint
        p = TL.MulAdd(perpSlope, c, perpRow);
        if (TV.IsOfficial)
        {
            TD beyond = TL.GreaterOrEqual(TL.Add(TL.Mul(dx, TL.Sub(c, ax)), crossRow), l2);
            p = TL.Mul(p, TL.Select(beyond, sqrt2, one));
        }

        return TL.Max(TL.Sub(TL.Abs(along), halfLength), zero);
    }

    private interface IVariant
    {
        static abstract bool IsOfficial { get; }
    }

    private readonly struct OfficialVariant : IVariant
    {
        public static bool IsOfficial => true;
    }

    private readonly struct PaperVariant : IVariant
    {
        public static bool IsOfficial => false;
    }
}
