using System.Runtime.CompilerServices;

namespace HandPose.Structure.Internal;

/// <summary>
/// Exponentials of non-positive arguments in float32 on any lane width, as 2^t: t = n + f with n the nearest integer
/// (adding 1.5·2²³ rounds and leaves n in the low mantissa bits: no float-to-int conversion), f ∈ [−½, ½] exact,
/// 2^f from a degree-6 polynomial fitted for relative error (2e-9 in exact arithmetic, about 1e-7 evaluated in
/// float32 by Horner steps, fused where the hardware has FMA, which changes results by at most an ulp between paths),
/// and 2^n built in the exponent bits. A result's absolute error stays below 1e-7 for any t ≤ 0: rounding t itself
/// costs 2^t·ulp(t)·ln2/2 ≤ 2e-8. Results below 2^−126 (≈1.2e-38) are returned as 0.
/// </summary>
internal static class VectorExp
{
    /// <summary>log₂e: e^x = 2^(x·log₂e). Callers that scale their argument anyway fold it into the scale.</summary>
    public const double Log2E = 1.4426950408889634;

    /// <summary>The smallest t for which 2^t is computed (2^−126, the smallest normal float).</summary>
    public const float Lowest = -126f;
    private const float RoundingBias = 12582912f;

    /// <summary>e^x for x ≤ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF ExpNonPositive<TL, TD, TF>(TF x)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct =>
        Exp2NonPositive<TL, TD, TF>(TL.MulF(x, TL.SplatF((float)Log2E)));

    /// <summary>2^t for t ≤ 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Exp2NonPositive<TL, TD, TF>(TF t)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct =>
        TL.ZeroWhereBelow(Exp2InRange<TL, TD, TF>(TL.MaxF(t, TL.SplatF(Lowest))), t, Lowest);

    /// <summary>2^t for t in [−126, 0] (no clamping: outside that range the result is meaningless).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF Exp2InRange<TL, TD, TF>(TF t)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        TF biased = TL.AddF(t, TL.SplatF(RoundingBias));
        TF f = TL.SubF(t, TL.SubF(biased, TL.SplatF(RoundingBias)));
        TF p = TL.SplatF(1.534579205326736e-4f);
        p = TL.MulAddF(p, f, TL.SplatF(1.3399929739534855e-3f));
        p = TL.MulAddF(p, f, TL.SplatF(9.618489071726799e-3f));
        p = TL.MulAddF(p, f, TL.SplatF(5.550328642129898e-2f));
        p = TL.MulAddF(p, f, TL.SplatF(0.24022646248340607f));
        p = TL.MulAddF(p, f, TL.SplatF(0.6931471824645996f));
        p = TL.MulAddF(p, f, TL.SplatF(1f));
        return TL.ScaleByPowerOfTwo(p, biased);
    }
}
