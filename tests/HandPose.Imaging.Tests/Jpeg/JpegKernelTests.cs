using HandPose.Imaging.Jpeg;

namespace HandPose.Imaging.Tests.Jpeg;

/// <summary>
/// The vectorised kernels against scalar references written from libjpeg's C (jidctint.c, jdsample.c, jdcolor.c),
/// at every tail length; scripts/test.sh re-runs them with AVX-512, AVX2 and all intrinsics switched off.
/// </summary>
[TestFixture]
[Category("Simd")]
public sealed class JpegKernelTests
{
    private static IEnumerable<int> Widths() => Enumerable.Range(3, 255);

    [Test]
    public void Kernels_use_the_expected_instruction_set()
    {
        string? expected = Environment.GetEnvironmentVariable("HANDPOSE_EXPECT_SIMD");
        if (expected is null)
        {
            Assert.That(JpegIdct.IsAccelerated, Is.EqualTo(System.Runtime.Intrinsics.X86.Avx2.IsSupported));
            return;
        }

        // The kernels have AVX2 and scalar paths: 512/256 run AVX2, 128 and 0 the scalar code.
        bool avx2 = int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture) >= 256;
        Assert.That((JpegIdct.IsAccelerated, JpegColorKernels.IsAccelerated), Is.EqualTo((avx2, avx2)));
    }

    [Test]
    public void Idct_matches_the_scalar_reference_on_random_blocks()
    {
        var rng = new Random(7);
        var coefs = new short[64];
        var quant = new int[64];
        var actual = new byte[8 * 11];
        var expected = new byte[8 * 11];
        for (int trial = 0; trial < 20_000; trial++)
        {
            // Realistic magnitudes (dequantised values within +-2^14), sparse like real blocks, some DC-only columns.
            int nonZero = rng.Next(65);
            Array.Clear(coefs);
            for (int k = 0; k < nonZero; k++)
            {
                coefs[rng.Next(64)] = (short)rng.Next(-200, 201);
            }

            for (int k = 0; k < 64; k++)
            {
                quant[k] = rng.Next(1, 81);
            }

            JpegIdct.Transform(coefs, quant, actual, 11);
            JpegIdct.TransformScalar(coefs, quant, expected, 11);
            for (int row = 0; row < 8; row++)
            {
                Assert.That(actual.AsSpan(row * 11, 8).ToArray(), Is.EqualTo(expected.AsSpan(row * 11, 8).ToArray()), $"trial {trial} row {row}");
            }
        }
    }

    [Test]
    public void Idct_of_a_dc_only_block_is_flat_and_matches_the_full_transform()
    {
        var coefs = new short[64];
        var quant = Enumerable.Range(1, 64).ToArray();
        var flat = new byte[64];
        var full = new byte[64];
        for (int dc = -300; dc <= 300; dc += 7)
        {
            coefs[0] = (short)dc;
            JpegIdct.TransformDcOnly((short)dc, quant[0], flat, 8);
            JpegIdct.TransformScalar(coefs, quant, full, 8);
            Assert.That(flat, Is.EqualTo(full), $"dc {dc}");
        }
    }

    [TestCaseSource(nameof(Widths))]
    public void Upsampling_and_colour_match_libjpeg_reference(int width)
    {
        var rng = new Random(width);
        byte[] a = RandomRow(rng, width), b = RandomRow(rng, width), c = RandomRow(rng, width);

        var h2v1 = new byte[2 * width];
        JpegColorKernels.H2V1Fancy(a, new byte[width + 2], h2v1, width);
        Assert.That(h2v1, Is.EqualTo(Reference.H2V1(a, width)), "h2v1");

        var h2v2 = new byte[2 * width];
        JpegColorKernels.H2V2Fancy(a, b, new short[width + 2], h2v2, width);
        Assert.That(h2v2, Is.EqualTo(Reference.H2V2(a, b, width)), "h2v2");

        foreach (int bias in new[] { 1, 2 })
        {
            var h1v2 = new byte[width];
            JpegColorKernels.H1V2Fancy(a, b, h1v2, width, bias);
            Assert.That(h1v2, Is.EqualTo(a.Zip(b, (n, f) => (byte)(((n * 3) + f + bias) >> 2)).ToArray()), $"h1v2 bias {bias}");
        }

        var rgb = new byte[3 * width];
        JpegColorKernels.YccToRgb(a, b, c, rgb, width);
        Assert.That(rgb, Is.EqualTo(Reference.YccToRgb(a, b, c, width)), "ycc->rgb");
    }

    private static byte[] RandomRow(Random rng, int width)
    {
        var row = new byte[width];
        rng.NextBytes(row);
        row[0] = 0;
        row[width - 1] = 255; // the extremes exercise the clamps
        return row;
    }

    /// <summary>Straight transcriptions of the C loops, with their first/last column special cases and tables.</summary>
    private static class Reference
    {
        public static byte[] H2V1(byte[] s, int w)
        {
            var o = new byte[2 * w];
            o[0] = s[0];
            o[1] = (byte)(((s[0] * 3) + s[1] + 2) >> 2);
            for (int x = 1; x < w - 1; x++)
            {
                o[2 * x] = (byte)(((s[x] * 3) + s[x - 1] + 1) >> 2);
                o[(2 * x) + 1] = (byte)(((s[x] * 3) + s[x + 1] + 2) >> 2);
            }

            o[(2 * w) - 2] = (byte)(((s[w - 1] * 3) + s[w - 2] + 1) >> 2);
            o[(2 * w) - 1] = s[w - 1];
            return o;
        }

        public static byte[] H2V2(byte[] near, byte[] far, int w)
        {
            var o = new byte[2 * w];
            int i = 0;
            int thiscolsum = (near[0] * 3) + far[0], nextcolsum = (near[1] * 3) + far[1], lastcolsum;
            o[i++] = (byte)(((thiscolsum * 4) + 8) >> 4);
            o[i++] = (byte)(((thiscolsum * 3) + nextcolsum + 7) >> 4);
            lastcolsum = thiscolsum;
            thiscolsum = nextcolsum;
            for (int col = 2; col < w; col++)
            {
                nextcolsum = (near[col] * 3) + far[col];
                o[i++] = (byte)(((thiscolsum * 3) + lastcolsum + 8) >> 4);
                o[i++] = (byte)(((thiscolsum * 3) + nextcolsum + 7) >> 4);
                lastcolsum = thiscolsum;
                thiscolsum = nextcolsum;
            }

            o[i++] = (byte)(((thiscolsum * 3) + lastcolsum + 8) >> 4);
            o[i] = (byte)(((thiscolsum * 4) + 7) >> 4);
            return o;
        }

        public static byte[] YccToRgb(byte[] y, byte[] cb, byte[] cr, int w)
        {
            // jdcolor.c build_ycc_rgb_table + ycc_rgb_convert, SCALEBITS 16.
            static int Fix(double v) => (int)((v * 65536) + 0.5);
            var o = new byte[3 * w];
            for (int x = 0; x < w; x++)
            {
                int cbx = cb[x] - 128, crx = cr[x] - 128;
                int crR = ((Fix(1.40200) * crx) + 32768) >> 16;
                int cbB = ((Fix(1.77200) * cbx) + 32768) >> 16;
                int crG = -Fix(0.71414) * crx;
                int cbG = (-Fix(0.34414) * cbx) + 32768;
                o[3 * x] = (byte)Math.Clamp(y[x] + crR, 0, 255);
                o[(3 * x) + 1] = (byte)Math.Clamp(y[x] + ((cbG + crG) >> 16), 0, 255);
                o[(3 * x) + 2] = (byte)Math.Clamp(y[x] + cbB, 0, 255);
            }

            return o;
        }
    }
}
