using System.Runtime.CompilerServices;

namespace HandPose.Structure.Internal;

/// <summary>
/// exp(x) for x ≤ 0 in float32 on any lane width: Cody–Waite range reduction x = n·ln2 + f, a degree-6 minimax
/// polynomial for e^f (Cephes' expf coefficients, relative error about 1e-7; Horner steps fused where the hardware
/// has FMA, which changes results by at most an ulp between paths), and 2^n built in the exponent bits (n is
/// rounded by adding 1.5·2²³, which also leaves it in the low mantissa bits: no float-to-int conversion).
/// Results below e^−87.3 (≈1.2e-38) are returned as 0.
/// </summary>
internal static class VectorExp
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float Lowest = -87.3365448f;
    private const float RoundingBias = 12582912f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TF ExpNonPositive<TL, TD, TF>(TF x)
        where TL : ILanes<TD, TF>
        where TD : struct
        where TF : struct
    {
        TF clamped = TL.MaxF(x, TL.SplatF(Lowest));
        // Adding 1.5·2²³ rounds to the nearest integer (ties to even, as Round) and leaves n in the low mantissa bits.
        TF biased = TL.AddF(TL.MulF(clamped, TL.SplatF(Log2E)), TL.SplatF(RoundingBias));
        TF n = TL.SubF(biased, TL.SplatF(RoundingBias));
        TF f = TL.SubF(TL.SubF(clamped, TL.MulF(n, TL.SplatF(Ln2High))), TL.MulF(n, TL.SplatF(Ln2Low)));
        TF p = TL.SplatF(1.9875691500e-4f);
        p = TL.MulAddF(p, f, TL.SplatF(1.3981999507e-3f));
        p = TL.MulAddF(p, f, TL.SplatF(8.3334519073e-3f));
        p = TL.MulAddF(p, f, TL.SplatF(4.1665795894e-2f));
        p = TL.MulAddF(p, f, TL.SplatF(1.6666665459e-1f));
        p = TL.MulAddF(p, f, TL.SplatF(5.0000001201e-1f));
        TF y = TL.AddF(TL.AddF(TL.MulF(TL.MulF(p, f), f), f), TL.SplatF(1f));
        return TL.ZeroWhereBelow(TL.ScaleByPowerOfTwo(y, biased), x, Lowest);
    }
}
