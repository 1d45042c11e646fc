using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HandPose.Imaging.Jpeg;

/// <summary>
/// Row kernels of the colour output: fancy upsampling (jdsample.c h2v1/h2v2 and libjpeg-turbo's h1v2) and YCbCr to
/// RGB (jdcolor.c). Each has a scalar reference and an AVX2 path computing the same integers.
/// </summary>
internal static class JpegColorKernels
{
    private const int ScaleBits = 16;
    private const int OneHalf = 1 << (ScaleBits - 1);

    /// <summary>FIX(1.40200) of jdcolor.c: Cr contribution to R.</summary>
    internal static readonly int CrToR = Fix(1.40200);

    /// <summary>FIX(1.77200): Cb contribution to B.</summary>
    internal static readonly int CbToB = Fix(1.77200);

    /// <summary>FIX(0.71414): Cr contribution to G (subtracted).</summary>
    internal static readonly int CrToG = Fix(0.71414);

    /// <summary>FIX(0.34414): Cb contribution to G (subtracted).</summary>
    internal static readonly int CbToG = Fix(0.34414);

    /// <summary>Whether the AVX2 paths run on this machine.</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    private static int Fix(double x) => (int)((x * (1 << ScaleBits)) + 0.5);

    // Byte shuffles that interleave three 16-byte planes into 48 bytes of RGB (0x80 = zero).
    private static readonly Vector128<byte>[] RgbMasks = BuildRgbMasks();

    private static Vector128<byte>[] BuildRgbMasks()
    {
        var masks = new Vector128<byte>[9];
        for (int chunk = 0; chunk < 3; chunk++)
        {
            for (int channel = 0; channel < 3; channel++)
            {
                var m = new byte[16];
                for (int j = 0; j < 16; j++)
                {
                    int i = (16 * chunk) + j;
                    m[j] = i % 3 == channel ? (byte)(i / 3) : (byte)0x80;
                }

                masks[(3 * chunk) + channel] = Vector128.Create(m);
            }
        }

        return masks;
    }

    /// <summary>Horizontal 2:1 triangle upsampling of <paramref name="width"/> (&gt; 2) samples.</summary>
    /// <param name="src">Input samples.</param>
    /// <param name="padded">Scratch of at least width + 2 bytes.</param>
    /// <param name="dst">2 × width output samples.</param>
    /// <param name="width">Input samples.</param>
    public static void H2V1Fancy(ReadOnlySpan<byte> src, Span<byte> padded, Span<byte> dst, int width)
    {
        // Edge samples replicated: the uniform formula then equals jdsample.c's first/last column special cases.
        padded[0] = src[0];
        src[..width].CopyTo(padded[1..]);
        padded[width + 1] = src[width - 1];
        int x = 0;
        if (Avx2.IsSupported)
        {
            for (; x + 16 <= width; x += 16)
            {
                Triangle(Widen(padded.Slice(x, 16)), Widen(padded.Slice(x + 1, 16)), Widen(padded.Slice(x + 2, 16)), 1, 2, 2, dst.Slice(2 * x, 32));
            }
        }

        for (; x < width; x++)
        {
            int c3 = padded[x + 1] * 3;
            dst[2 * x] = (byte)((c3 + padded[x] + 1) >> 2);
            dst[(2 * x) + 1] = (byte)((c3 + padded[x + 2] + 2) >> 2);
        }
    }

    /// <summary>2:1 × 2:1 triangle upsampling: one output row from the nearer and the farther input row.</summary>
    /// <param name="near">The input row nearer to the output row.</param>
    /// <param name="far">The input row above (even output rows) or below (odd output rows).</param>
    /// <param name="colsum">Scratch of at least width + 2 values.</param>
    /// <param name="dst">2 × width output samples.</param>
    /// <param name="width">Input samples (&gt; 2).</param>
    public static void H2V2Fancy(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<short> colsum, Span<byte> dst, int width)
    {
        int x = 0;
        if (Avx2.IsSupported)
        {
            for (; x + 16 <= width; x += 16)
            {
                Vector256<short> nv = Widen(near.Slice(x, 16));
                (nv + nv + nv + Widen(far.Slice(x, 16))).CopyTo(colsum[(x + 1)..]);
            }
        }

        for (; x < width; x++)
        {
            colsum[x + 1] = (short)((near[x] * 3) + far[x]);
        }

        colsum[0] = colsum[1];
        colsum[width + 1] = colsum[width];
        x = 0;
        if (Avx2.IsSupported)
        {
            ReadOnlySpan<short> sums = colsum;
            for (; x + 16 <= width; x += 16)
            {
                Triangle(Vector256.Create(sums.Slice(x, 16)), Vector256.Create(sums.Slice(x + 1, 16)), Vector256.Create(sums.Slice(x + 2, 16)), 8, 7, 4, dst.Slice(2 * x, 32));
            }
        }

        for (; x < width; x++)
        {
            int c3 = colsum[x + 1] * 3;
            dst[2 * x] = (byte)((c3 + colsum[x] + 8) >> 4);
            dst[(2 * x) + 1] = (byte)((c3 + colsum[x + 2] + 7) >> 4);
        }
    }

    /// <summary>Vertical 2:1 triangle upsampling (libjpeg-turbo's h1v2_fancy_upsample).</summary>
    /// <param name="near">The nearer input row.</param>
    /// <param name="far">The farther input row.</param>
    /// <param name="dst">Output samples.</param>
    /// <param name="width">Samples.</param>
    /// <param name="bias">1 for even output rows, 2 for odd ones.</param>
    public static void H1V2Fancy(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> dst, int width, int bias)
    {
        int x = 0;
        if (Avx2.IsSupported)
        {
            Vector256<short> b = Vector256.Create((short)bias);
            for (; x + 16 <= width; x += 16)
            {
                Vector256<short> nv = Widen(near.Slice(x, 16));
                Vector256<short> v = Vector256.ShiftRightArithmetic(nv + nv + nv + Widen(far.Slice(x, 16)) + b, 2);
                Vector256<byte> packed = Avx2.PackUnsignedSaturate(v, v);
                Avx2.Permute4x64(packed.AsUInt64(), 0b1000).AsByte().GetLower().CopyTo(dst.Slice(x, 16));
            }
        }

        for (; x < width; x++)
        {
            dst[x] = (byte)(((near[x] * 3) + far[x] + bias) >> 2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen(ReadOnlySpan<byte> sixteen) => Avx2.ConvertToVector256Int16(Vector128.Create(sixteen));

    /// <summary>The triangle filter: even = (3c + p + evenBias) &gt;&gt; shift, odd = (3c + n + oddBias) &gt;&gt; shift, stored interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Triangle(Vector256<short> p, Vector256<short> c, Vector256<short> n, short evenBias, short oddBias, int shift, Span<byte> dst)
    {
        Vector256<short> c3 = c + c + c;
        StoreInterleaved(
            Vector256.ShiftRightArithmetic(c3 + p + Vector256.Create(evenBias), shift),
            Vector256.ShiftRightArithmetic(c3 + n + Vector256.Create(oddBias), shift),
            dst);
    }

    /// <summary>Stores e0 o0 e1 o1 ... e15 o15 (values already in 0..255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreInterleaved(Vector256<short> even, Vector256<short> odd, Span<byte> dst)
    {
        // Pack gives [e0..7 o0..7 | e8..15 o8..15]; a per-lane byte shuffle interleaves each half in place.
        Vector256<byte> packed = Avx2.PackUnsignedSaturate(even, odd);
        Vector256<byte> mask = Vector256.Create((byte)0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
        Avx2.Shuffle(packed, mask).CopyTo(dst);
    }

    /// <summary>YCbCr to interleaved RGB with jdcolor.c's integer arithmetic.</summary>
    public static void YccToRgb(ReadOnlySpan<byte> y, ReadOnlySpan<byte> cb, ReadOnlySpan<byte> cr, Span<byte> dst, int width)
    {
        int x = 0;
        if (Avx2.IsSupported)
        {
            for (; x + 16 <= width; x += 16)
            {
                Vector128<byte> yv = Vector128.Create(y.Slice(x, 16));
                Vector128<byte> cbv = Vector128.Create(cb.Slice(x, 16));
                Vector128<byte> crv = Vector128.Create(cr.Slice(x, 16));
                (Vector256<int> r0, Vector256<int> g0, Vector256<int> b0) = Ycc8(yv, cbv, crv);
                (Vector256<int> r1, Vector256<int> g1, Vector256<int> b1) = Ycc8(Sse2.ShiftRightLogical128BitLane(yv, 8), Sse2.ShiftRightLogical128BitLane(cbv, 8), Sse2.ShiftRightLogical128BitLane(crv, 8));
                Vector128<byte> r = PackBytes(r0, r1), g = PackBytes(g0, g1), b = PackBytes(b0, b1);
                Span<byte> o = dst.Slice(3 * x, 48);
                Vector128<byte>[] m = RgbMasks;
                (Ssse3.Shuffle(r, m[0]) | Ssse3.Shuffle(g, m[1]) | Ssse3.Shuffle(b, m[2])).CopyTo(o);
                (Ssse3.Shuffle(r, m[3]) | Ssse3.Shuffle(g, m[4]) | Ssse3.Shuffle(b, m[5])).CopyTo(o[16..]);
                (Ssse3.Shuffle(r, m[6]) | Ssse3.Shuffle(g, m[7]) | Ssse3.Shuffle(b, m[8])).CopyTo(o[32..]);
            }
        }

        YccToRgbScalar(y[x..], cb[x..], cr[x..], dst[(3 * x)..], width - x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<int> R, Vector256<int> G, Vector256<int> B) Ycc8(Vector128<byte> y, Vector128<byte> cb, Vector128<byte> cr)
    {
        Vector256<int> center = Vector256.Create(128), half = Vector256.Create(OneHalf);
        Vector256<int> yy = Avx2.ConvertToVector256Int32(y);
        Vector256<int> cbx = Avx2.ConvertToVector256Int32(cb) - center;
        Vector256<int> crx = Avx2.ConvertToVector256Int32(cr) - center;
        Vector256<int> r = yy + Vector256.ShiftRightArithmetic((crx * Vector256.Create(CrToR)) + half, ScaleBits);
        Vector256<int> g = yy + Vector256.ShiftRightArithmetic((cbx * Vector256.Create(-CbToG)) + (crx * Vector256.Create(-CrToG)) + half, ScaleBits);
        Vector256<int> b = yy + Vector256.ShiftRightArithmetic((cbx * Vector256.Create(CbToB)) + half, ScaleBits);
        return (r, g, b);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PackBytes(Vector256<int> lo, Vector256<int> hi)
    {
        Vector256<short> s = Avx2.Permute4x64(Avx2.PackSignedSaturate(lo, hi).AsInt64(), 0b11011000).AsInt16();
        return Sse2.PackUnsignedSaturate(s.GetLower(), s.GetUpper());
    }

    /// <summary>Scalar reference of the colour conversion (jdcolor.c ycc_rgb_convert, table-free but the same integers).</summary>
    public static void YccToRgbScalar(ReadOnlySpan<byte> yRow, ReadOnlySpan<byte> cbRow, ReadOnlySpan<byte> crRow, Span<byte> dst, int width)
    {
        int crToR = CrToR, cbToB = CbToB, crToG = CrToG, cbToG = CbToG;
        for (int x = 0; x < width; x++)
        {
            int y = yRow[x], cb = cbRow[x] - 128, cr = crRow[x] - 128;
            dst[3 * x] = Clamp(y + (((crToR * cr) + OneHalf) >> ScaleBits));
            dst[(3 * x) + 1] = Clamp(y + (((-cbToG * cb) + (-crToG * cr) + OneHalf) >> ScaleBits));
            dst[(3 * x) + 2] = Clamp(y + (((cbToB * cb) + OneHalf) >> ScaleBits));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Clamp(int v) => (byte)((uint)v <= 255 ? v : (v < 0 ? 0 : 255));
}
