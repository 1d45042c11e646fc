using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HandPose.Imaging.Jpeg;

/// <summary>
/// The "islow" integer inverse DCT of libjpeg (jidctint.c: Loeffler-Ligtenberg-Moschytz with 13-bit constants, two
/// passes with 2 extra bits in between), with dequantisation. The AVX2 path computes the same integers 8 columns at a
/// time; both clamp like libjpeg-turbo's SIMD code (saturation), which equals the C table for every valid stream.
/// </summary>
internal static class JpegIdct
{
    private const int ConstBits = 13;
    private const int Pass1Bits = 2;
    private const int Fix0298631336 = 2446;
    private const int Fix0390180644 = 3196;
    private const int Fix0541196100 = 4433;
    private const int Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373;
    private const int Fix1175875602 = 9633;
    private const int Fix1501321110 = 12299;
    private const int Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069;
    private const int Fix2053119869 = 16819;
    private const int Fix2562915447 = 20995;
    private const int Fix3072711026 = 25172;

    /// <summary>Whether the vectorised path is used on this machine.</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    /// <summary>Dequantises and transforms one block into 8 rows of 8 samples.</summary>
    /// <param name="coefs">64 coefficients in natural order.</param>
    /// <param name="quant">64 quantisation steps in natural order.</param>
    /// <param name="output">Top-left sample of the block.</param>
    /// <param name="stride">Bytes between output rows.</param>
    public static void Transform(ReadOnlySpan<short> coefs, ReadOnlySpan<int> quant, Span<byte> output, int stride)
    {
        if (Avx2.IsSupported)
        {
            TransformAvx2(coefs, quant, output, stride);
        }
        else
        {
            TransformScalar(coefs, quant, output, stride);
        }
    }

    /// <summary>A block whose AC coefficients are all zero: one constant value.</summary>
    public static void TransformDcOnly(short dc, int quant0, Span<byte> output, int stride)
    {
        int v = ((dc * quant0 * 4) + 16) >> 5;
        byte value = Limit(v);
        for (int row = 0; row < 8; row++)
        {
            output.Slice(row * stride, 8).Fill(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Limit(int x) => (byte)Math.Clamp(x + 128, 0, 255);

    /// <summary>The reference: jidctint.c's two passes, one column/row at a time.</summary>
    public static void TransformScalar(ReadOnlySpan<short> coefs, ReadOnlySpan<int> quant, Span<byte> output, int stride)
    {
        Span<int> ws = stackalloc int[64];
        for (int col = 0; col < 8; col++)
        {
            if (coefs[8 + col] == 0 && coefs[16 + col] == 0 && coefs[24 + col] == 0 && coefs[32 + col] == 0
                && coefs[40 + col] == 0 && coefs[48 + col] == 0 && coefs[56 + col] == 0)
            {
                int dcval = coefs[col] * quant[col] << Pass1Bits;
                for (int k = 0; k < 8; k++)
                {
                    ws[(k * 8) + col] = dcval;
                }

                continue;
            }

            Butterfly(
                coefs[col] * quant[col], coefs[8 + col] * quant[8 + col], coefs[16 + col] * quant[16 + col], coefs[24 + col] * quant[24 + col],
                coefs[32 + col] * quant[32 + col], coefs[40 + col] * quant[40 + col], coefs[48 + col] * quant[48 + col], coefs[56 + col] * quant[56 + col],
                ConstBits - Pass1Bits, out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);
            ws[col] = o0;
            ws[8 + col] = o1;
            ws[16 + col] = o2;
            ws[24 + col] = o3;
            ws[32 + col] = o4;
            ws[40 + col] = o5;
            ws[48 + col] = o6;
            ws[56 + col] = o7;
        }

        const int shift2 = ConstBits + Pass1Bits + 3;
        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<int> w = ws.Slice(row * 8, 8);
            Span<byte> dst = output.Slice(row * stride, 8);
            if (w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0 && w[6] == 0 && w[7] == 0)
            {
                dst.Fill(Limit((w[0] + (1 << (Pass1Bits + 2))) >> (Pass1Bits + 3)));
                continue;
            }

            Butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7], shift2,
                out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7);
            dst[0] = Limit(o0);
            dst[1] = Limit(o1);
            dst[2] = Limit(o2);
            dst[3] = Limit(o3);
            dst[4] = Limit(o4);
            dst[5] = Limit(o5);
            dst[6] = Limit(o6);
            dst[7] = Limit(o7);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterfly(
        int i0, int i1, int i2, int i3, int i4, int i5, int i6, int i7, int shift,
        out int o0, out int o1, out int o2, out int o3, out int o4, out int o5, out int o6, out int o7)
    {
        // Even part.
        int z1 = (i2 + i6) * Fix0541196100;
        int tmp2 = z1 + (i6 * -Fix1847759065);
        int tmp3 = z1 + (i2 * Fix0765366865);
        int tmp0 = (i0 + i4) << ConstBits;
        int tmp1 = (i0 - i4) << ConstBits;
        int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        // Odd part.
        tmp0 = i7;
        tmp1 = i5;
        tmp2 = i3;
        tmp3 = i1;
        z1 = tmp0 + tmp3;
        int z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3;
        int z5 = (z3 + z4) * Fix1175875602;
        tmp0 *= Fix0298631336;
        tmp1 *= Fix2053119869;
        tmp2 *= Fix3072711026;
        tmp3 *= Fix1501321110;
        z1 *= -Fix0899976223;
        z2 *= -Fix2562915447;
        z3 = (z3 * -Fix1961570560) + z5;
        z4 = (z4 * -Fix0390180644) + z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;

        int round = 1 << (shift - 1);
        o0 = (tmp10 + tmp3 + round) >> shift;
        o7 = (tmp10 - tmp3 + round) >> shift;
        o1 = (tmp11 + tmp2 + round) >> shift;
        o6 = (tmp11 - tmp2 + round) >> shift;
        o2 = (tmp12 + tmp1 + round) >> shift;
        o5 = (tmp12 - tmp1 + round) >> shift;
        o3 = (tmp13 + tmp0 + round) >> shift;
        o4 = (tmp13 - tmp0 + round) >> shift;
    }

    private static void TransformAvx2(ReadOnlySpan<short> coefs, ReadOnlySpan<int> quant, Span<byte> output, int stride)
    {
        // Rows of dequantised coefficients: lane = column.
        Vector256<int> r0 = Load(coefs, quant, 0), r1 = Load(coefs, quant, 8), r2 = Load(coefs, quant, 16), r3 = Load(coefs, quant, 24);
        Vector256<int> r4 = Load(coefs, quant, 32), r5 = Load(coefs, quant, 40), r6 = Load(coefs, quant, 48), r7 = Load(coefs, quant, 56);

        // Pass 1 over columns (all 8 at once); the all-zero-AC shortcut of jidctint gives the same integers.
        ButterflyV(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ConstBits - Pass1Bits);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        // Pass 2 over rows: lane = row, r_k = column k.
        ButterflyV(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7, ConstBits + Pass1Bits + 3);
        Transpose(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);

        Vector256<int> center = Vector256.Create(128);
        Vector256<byte> rows0123 = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(r0 + center, r1 + center), Avx2.PackSignedSaturate(r2 + center, r3 + center));
        Vector256<byte> rows4567 = Avx2.PackUnsignedSaturate(Avx2.PackSignedSaturate(r4 + center, r5 + center), Avx2.PackSignedSaturate(r6 + center, r7 + center));
        Vector256<int> order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        Vector256<ulong> a = Avx2.PermuteVar8x32(rows0123.AsInt32(), order).AsUInt64();
        Vector256<ulong> b = Avx2.PermuteVar8x32(rows4567.AsInt32(), order).AsUInt64();
        BinaryPrimitives.WriteUInt64LittleEndian(output[..8], a.GetElement(0));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(stride, 8), a.GetElement(1));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(2 * stride, 8), a.GetElement(2));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(3 * stride, 8), a.GetElement(3));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(4 * stride, 8), b.GetElement(0));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(5 * stride, 8), b.GetElement(1));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(6 * stride, 8), b.GetElement(2));
        BinaryPrimitives.WriteUInt64LittleEndian(output.Slice(7 * stride, 8), b.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Load(ReadOnlySpan<short> coefs, ReadOnlySpan<int> quant, int offset) =>
        Avx2.ConvertToVector256Int32(Vector128.Create(coefs.Slice(offset, 8))) * Vector256.Create(quant.Slice(offset, 8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ButterflyV(
        ref Vector256<int> i0, ref Vector256<int> i1, ref Vector256<int> i2, ref Vector256<int> i3,
        ref Vector256<int> i4, ref Vector256<int> i5, ref Vector256<int> i6, ref Vector256<int> i7, int shift)
    {
        Vector256<int> z1 = (i2 + i6) * Vector256.Create(Fix0541196100);
        Vector256<int> tmp2 = z1 + (i6 * Vector256.Create(-Fix1847759065));
        Vector256<int> tmp3 = z1 + (i2 * Vector256.Create(Fix0765366865));
        Vector256<int> tmp0 = (i0 + i4) << ConstBits;
        Vector256<int> tmp1 = (i0 - i4) << ConstBits;
        Vector256<int> tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

        tmp0 = i7;
        tmp1 = i5;
        tmp2 = i3;
        tmp3 = i1;
        z1 = tmp0 + tmp3;
        Vector256<int> z2 = tmp1 + tmp2, z3 = tmp0 + tmp2, z4 = tmp1 + tmp3;
        Vector256<int> z5 = (z3 + z4) * Vector256.Create(Fix1175875602);
        tmp0 *= Vector256.Create(Fix0298631336);
        tmp1 *= Vector256.Create(Fix2053119869);
        tmp2 *= Vector256.Create(Fix3072711026);
        tmp3 *= Vector256.Create(Fix1501321110);
        z1 *= Vector256.Create(-Fix0899976223);
        z2 *= Vector256.Create(-Fix2562915447);
        z3 = (z3 * Vector256.Create(-Fix1961570560)) + z5;
        z4 = (z4 * Vector256.Create(-Fix0390180644)) + z5;
        tmp0 += z1 + z3;
        tmp1 += z2 + z4;
        tmp2 += z2 + z3;
        tmp3 += z1 + z4;

        Vector256<int> round = Vector256.Create(1 << (shift - 1));
        tmp10 += round;
        tmp11 += round;
        tmp12 += round;
        tmp13 += round;
        i0 = Vector256.ShiftRightArithmetic(tmp10 + tmp3, shift);
        i7 = Vector256.ShiftRightArithmetic(tmp10 - tmp3, shift);
        i1 = Vector256.ShiftRightArithmetic(tmp11 + tmp2, shift);
        i6 = Vector256.ShiftRightArithmetic(tmp11 - tmp2, shift);
        i2 = Vector256.ShiftRightArithmetic(tmp12 + tmp1, shift);
        i5 = Vector256.ShiftRightArithmetic(tmp12 - tmp1, shift);
        i3 = Vector256.ShiftRightArithmetic(tmp13 + tmp0, shift);
        i4 = Vector256.ShiftRightArithmetic(tmp13 - tmp0, shift);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(
        ref Vector256<int> r0, ref Vector256<int> r1, ref Vector256<int> r2, ref Vector256<int> r3,
        ref Vector256<int> r4, ref Vector256<int> r5, ref Vector256<int> r6, ref Vector256<int> r7)
    {
        Vector256<long> t0 = Avx2.UnpackLow(r0, r1).AsInt64(), t1 = Avx2.UnpackHigh(r0, r1).AsInt64();
        Vector256<long> t2 = Avx2.UnpackLow(r2, r3).AsInt64(), t3 = Avx2.UnpackHigh(r2, r3).AsInt64();
        Vector256<long> t4 = Avx2.UnpackLow(r4, r5).AsInt64(), t5 = Avx2.UnpackHigh(r4, r5).AsInt64();
        Vector256<long> t6 = Avx2.UnpackLow(r6, r7).AsInt64(), t7 = Avx2.UnpackHigh(r6, r7).AsInt64();
        Vector256<int> u0 = Avx2.UnpackLow(t0, t2).AsInt32(), u1 = Avx2.UnpackHigh(t0, t2).AsInt32();
        Vector256<int> u2 = Avx2.UnpackLow(t1, t3).AsInt32(), u3 = Avx2.UnpackHigh(t1, t3).AsInt32();
        Vector256<int> u4 = Avx2.UnpackLow(t4, t6).AsInt32(), u5 = Avx2.UnpackHigh(t4, t6).AsInt32();
        Vector256<int> u6 = Avx2.UnpackLow(t5, t7).AsInt32(), u7 = Avx2.UnpackHigh(t5, t7).AsInt32();
        r0 = Avx2.Permute2x128(u0, u4, 0x20);
        r4 = Avx2.Permute2x128(u0, u4, 0x31);
        r1 = Avx2.Permute2x128(u1, u5, 0x20);
        r5 = Avx2.Permute2x128(u1, u5, 0x31);
        r2 = Avx2.Permute2x128(u2, u6, 0x20);
        r6 = Avx2.Permute2x128(u2, u6, 0x31);
        r3 = Avx2.Permute2x128(u3, u7, 0x20);
        r7 = Avx2.Permute2x128(u3, u7, 0x31);
    }
}
