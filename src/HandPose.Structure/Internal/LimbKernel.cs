using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace HandPose.Structure.Internal;

/// <summary>What a limb kernel computes per pixel.</summary>
internal enum LimbShade
{
    /// <summary>LDM: 1 inside the flat-ended rectangle of half-width w around the segment, else 0.</summary>
    Deterministic,

    /// <summary>LPM as the released code computes it (operator-precedence quirk included).</summary>
    ProbabilisticOfficial,

    /// <summary>LPM as a Gaussian of the true point-to-segment distance.</summary>
    ProbabilisticPaper,
}

/// <summary>Per-limb constants, computed once per limb in float64 exactly as NSRM orders them.</summary>
internal readonly struct LimbGeometry
{
    public LimbGeometry(double ax, double ay, double bx, double by, double halfWidth, double sigma)
    {
        Ax = ax;
        Ay = ay;
        Bx = bx;
        By = by;
        Dx = bx - ax;
        Dy = by - ay;
        double ex = ax - bx;
        double ey = ay - by;
        Length = Math.Sqrt((ex * ex) + (ey * ey));
        Ux = Dx / (Length + 1e-8);
        Uy = Dy / (Length + 1e-8);
        HalfWidth = halfWidth;
        LengthSquared = (Dx * Dx) + (Dy * Dy);
        ExpScale = -0.5 / sigma / sigma;
    }

    public double Ax { get; }

    public double Ay { get; }

    public double Bx { get; }

    public double By { get; }

    public double Dx { get; }

    public double Dy { get; }

    public double Length { get; }

    public double Ux { get; }

    public double Uy { get; }

    public double HalfWidth { get; }

    public double LengthSquared { get; }

    public double ExpScale { get; }

    public bool IsDegenerate => Dx == 0 && Dy == 0;
}

/// <summary>
/// Renders one limb into the channels it belongs to (per-pixel maximum, which is OR for 0/1 masks), over the
/// limb's region of influence only (the cells of <see cref="LimbRows"/>). Every pixel farther than
/// <c>radius</c> from the segment is left untouched (the caller zero-fills first). LDM limbs go to <see cref="LdmKernel"/>
/// and LPM limbs that are not nearly zero-length to <see cref="LpmKernel"/>; this kernel keeps the short LPM limbs,
/// where the released code's formula is evaluated as written. Limbs whose rows span at most 8 cells run on 256-bit
/// lanes even where 512-bit lanes exist.
/// </summary>
internal static class LimbKernel
{
    public static void Render(int simdWidth, LimbShade shade, in LimbGeometry g, double radius, Span<float> destination, ReadOnlySpan<int> channelOffsets, int width, int height)
    {
        var rows = new LimbRows(g, radius, width, height);
        if (rows.First > rows.Last)
        {
            return;
        }

        switch (simdWidth)
        {
            case >= 512 when width >= Lanes512.FloatCount && rows.MaxColumns > Lanes256.FloatCount:
                Render<Lanes512, Vector512<double>, Vector512<float>>(shade, g, rows, destination, channelOffsets, width);
                break;
            case >= 256 when width >= Lanes256.FloatCount:
                Render<Lanes256, Vector256<double>, Vector256<float>>(shade, g, rows, destination, channelOffsets, width);
                break;
            case >= 128 when width >= Lanes128.FloatCount:
                Render<Lanes128, Vector128<double>, Vector128<float>>(shade, g, rows, destination, channelOffsets, width);
                break;
            default:
                Render<LanesScalar, double, float>(shade, g, rows, destination, channelOffsets, width);
                break;
        }
    }

    private static void Render<TL, TD, TF>(LimbShade shade, in LimbGeometry g, in LimbRows rows, Span<float> destination, ReadOnlySpan<int> channelOffsets, int width)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        if (shade == LimbShade.Deterministic)
        {
            LdmKernel.Render<TL, TD, TF>(g, rows, destination, channelOffsets, width);
            return;
        }

        if (g.LengthSquared >= LpmKernel.MinLengthSquared)
        {
            LpmKernel.Render<TL, TD, TF>(shade == LimbShade.ProbabilisticOfficial, g, rows, destination, channelOffsets, width);
            return;
        }

        // Nearly zero-length limbs: the released formula as written (see LpmKernel for why the fast one needs l2 ≥ 1e-2).
        double inverseOfficial = 1.0 / (g.LengthSquared + 1e-8);
        double inverse = g.LengthSquared > 0 ? 1.0 / g.LengthSquared : 0.0;
        int step = TL.FloatCount;
        for (int r = rows.First; r <= rows.Last; r++)
        {
            rows.Columns(r, out int c0, out int c1);
            int rowBase = r * width;
            for (int c = c0; c <= c1; c += step)
            {
                int s = Math.Min(c, width - step);
                TF value = Shade<TL, TD, TF>(shade, g, inverseOfficial, inverse, s, r);
                MaxInto<TL, TD, TF>(value, destination, channelOffsets, rowBase + s);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TF Shade<TL, TD, TF>(LimbShade shade, in LimbGeometry g, double inverseOfficial, double inverse, int column, int row)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        TD low = ShadeHalf<TL, TD, TF>(shade, g, inverseOfficial, inverse, column, row);
        TD high = TL.FloatCount > 1 ? ShadeHalf<TL, TD, TF>(shade, g, inverseOfficial, inverse, column + TL.DoubleCount, row) : low;
        return VectorExp.ExpNonPositive<TL, TD, TF>(TL.Narrow(low, high));
    }

    /// <summary>The LPM exponent argument for DoubleCount pixels starting at (column, row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TD ShadeHalf<TL, TD, TF>(LimbShade shade, in LimbGeometry g, double inverseOfficial, double inverse, int column, int row)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        TD c = TL.Iota(column);
        TD r = TL.Splat(row);
        TD px = TL.Sub(c, TL.Splat(g.Ax));
        TD py = TL.Sub(r, TL.Splat(g.Ay));
        TD zero = TL.Splat(0);
        switch (shade)
        {
            case LimbShade.ProbabilisticOfficial:
            {
                TD dx = TL.Splat(g.Dx);
                TD dy = TL.Splat(g.Dy);
                TD cross = TL.Add(TL.Mul(dx, px), TL.Mul(dy, py));
                TD m1 = TL.LessOrEqual(cross, zero);
                TD m2 = TL.GreaterOrEqual(cross, TL.Splat(g.LengthSquared));
                TD distA = TL.Add(TL.Mul(px, px), TL.Mul(py, py));
                TD bx = TL.Sub(c, TL.Splat(g.Bx));
                TD by = TL.Sub(r, TL.Splat(g.By));
                TD distB = TL.Add(TL.Mul(bx, bx), TL.Mul(by, by));
                TD t = TL.Mul(TL.Add(cross, TL.Splat(1e-8)), TL.Splat(inverseOfficial));
                TD qx = TL.Sub(c, TL.Add(TL.Splat(g.Ax), TL.Mul(t, dx)));
                TD qy = TL.Sub(TL.Add(TL.Splat(g.Ay), TL.Mul(t, dy)), r);
                TD distQ = TL.Add(TL.Mul(qx, qx), TL.Mul(qy, qy));

                // The released code's third mask is (NOT m1) OR m2; it is false exactly where m1 AND NOT m2.
                TD d2 = TL.Add(TL.Add(TL.And(m1, distA), TL.And(m2, distB)), TL.AndNot(distQ, TL.AndNot(m1, m2)));
                return TL.Mul(d2, TL.Splat(g.ExpScale));
            }

            default:
            {
                TD dx = TL.Splat(g.Dx);
                TD dy = TL.Splat(g.Dy);
                TD cross = TL.Add(TL.Mul(dx, px), TL.Mul(dy, py));
                TD t = TL.Min(TL.Max(TL.Mul(cross, TL.Splat(inverse)), zero), TL.Splat(1));
                TD qx = TL.Sub(px, TL.Mul(t, dx));
                TD qy = TL.Sub(py, TL.Mul(t, dy));
                return TL.Mul(TL.Add(TL.Mul(qx, qx), TL.Mul(qy, qy)), TL.Splat(g.ExpScale));
            }
        }
    }

    /// <summary>Composes one step of a limb into each of its channels: cell-wise maximum (OR for 0/1 masks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MaxInto<TL, TD, TF>(TF value, Span<float> destination, ReadOnlySpan<int> channelOffsets, int cell)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        foreach (int channel in channelOffsets)
        {
            int at = channel + cell;
            TL.Store(TL.MaxF(TL.Load(destination, at), value), destination, at);
        }
    }

    internal static int ClampToIndex(double value, int count) =>
        value <= 0 ? 0 : value >= count - 1 ? count - 1 : (int)value;
}

/// <summary>
/// The cells a limb kernel visits: rows within <c>radius</c> of its vertical extent and, per row, the columns within
/// <c>radius</c> of the limb's line (centre Ax + (dx/dy)(r − Ay), half-width radius·L/|dy|) and of its horizontal
/// extent. Every cell within <c>radius</c> of the segment is inside (it is that close to the line and to the bounding
/// box); two bounds per row, no division or square root per row.
/// </summary>
internal readonly struct LimbRows
{
    private readonly double _ax;
    private readonly double _ay;
    private readonly double _slope;
    private readonly double _half;
    private readonly double _xMin;
    private readonly double _xMax;
    private readonly int _width;

    public LimbRows(in LimbGeometry g, double radius, int width, int height)
    {
        _ax = g.Ax;
        _ay = g.Ay;
        _width = width;
        double inverseDy = 1 / g.Dy; // ±∞ for a horizontal limb: its band is unbounded, the bounding box bounds it
        _slope = g.Dy != 0 ? g.Dx * inverseDy : 0;
        _half = g.Dy != 0 ? radius * g.Length * Math.Abs(inverseDy) : double.PositiveInfinity;
        // Plain comparisons rather than Math.Min/Max (see Columns): every coordinate here is finite.
        _xMin = (g.Ax < g.Bx ? g.Ax : g.Bx) - radius;
        _xMax = (g.Ax > g.Bx ? g.Ax : g.Bx) + radius;
        double yMin = (g.Ay < g.By ? g.Ay : g.By) - radius;
        double yMax = (g.Ay > g.By ? g.Ay : g.By) + radius;
        First = LimbKernel.ClampToIndex(Math.Ceiling(yMin), height);
        Last = LimbKernel.ClampToIndex(Math.Floor(yMax), height);
        if (!(yMax >= 0 && yMin <= height - 1 && _xMax >= 0 && _xMin <= width - 1))
        {
            (First, Last) = (1, 0);
        }
    }

    /// <summary>
    /// An upper bound of the columns any row visits: the narrower of the line band's width and the bounding box's,
    /// plus one. Limbs whose rows fit in 8 cells are cheaper on 256-bit lanes even where 512-bit lanes exist (half the
    /// lanes would be idle).
    /// </summary>
    public double MaxColumns => (2 * _half < _xMax - _xMin ? 2 * _half : _xMax - _xMin) + 1;

    /// <summary>First row to visit.</summary>
    public int First { get; }

    /// <summary>Last row to visit (below <see cref="First"/> when none).</summary>
    public int Last { get; }

    /// <summary>The columns of <paramref name="row"/> to visit (empty when <paramref name="c1"/> &lt; <paramref name="c0"/>).</summary>
    /// <remarks>
    /// Called for every row of every limb, so it avoids Math.Max/Min and saturating conversions (each several
    /// instructions for their NaN and signed-zero rules, irrelevant here: every value is finite).
    /// </remarks>
    public void Columns(int row, out int c0, out int c1)
    {
        double centre = _ax + (_slope * (row - _ay));
        double lo = centre - _half;
        double hi = centre + _half;
        lo = lo > _xMin ? lo : _xMin;
        hi = hi < _xMax ? hi : _xMax;
        lo = lo > 0 ? lo : 0;
        hi = hi < _width - 1 ? hi : _width - 1;
        hi = hi > -1 ? hi : -1;
        c0 = lo <= _width ? double.ConvertToIntegerNative<int>(Math.Ceiling(lo)) : _width;
        c1 = double.ConvertToIntegerNative<int>(Math.Floor(hi));
    }
}
