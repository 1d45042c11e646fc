namespace HandPose.Imaging.Tests;

/// <summary>Straightforward float64 reference implementations (per pixel, no shared code with the library).</summary>
internal static class Reference
{
    /// <summary>Source sample at integer pixel (x, y), channel c, with the border rule.</summary>
    public static double Pixel(ImageBuffer src, int x, int y, int c, BorderMode border)
    {
        if (x < 0 || y < 0 || x >= src.Width || y >= src.Height)
        {
            if (border == BorderMode.Zero)
            {
                return 0;
            }

            x = Math.Clamp(x, 0, src.Width - 1);
            y = Math.Clamp(y, 0, src.Height - 1);
        }

        int bpp = src.Format.BytesPerPixel();
        return src.Memory.Span[(y * src.Stride) + (x * bpp) + c];
    }

    /// <summary>Bilinear value at the continuous point (px, py) (pixel centres at + 0.5).</summary>
    public static double Bilinear(ImageBuffer src, double px, double py, int c, BorderMode border)
    {
        double x = px - 0.5, y = py - 0.5;
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        return ((1 - fx) * (1 - fy) * Pixel(src, x0, y0, c, border)) + (fx * (1 - fy) * Pixel(src, x0 + 1, y0, c, border))
            + ((1 - fx) * fy * Pixel(src, x0, y0 + 1, c, border)) + (fx * fy * Pixel(src, x0 + 1, y0 + 1, c, border));
    }

    /// <summary>MediaPipe's ROI crop written from its description: pixel (i, j) samples centre + R(r)·(((i+.5)/dw − .5)·w, ((j+.5)/dh − .5)·h).</summary>
    public static double[] RotatedCrop(ImageBuffer src, RotatedRect roi, int dw, int dh, BorderMode border)
    {
        int ch = src.Format.BytesPerPixel();
        var result = new double[dw * dh * ch];
        double cos = Math.Cos(roi.Rotation), sin = Math.Sin(roi.Rotation);
        for (int j = 0; j < dh; j++)
        {
            for (int i = 0; i < dw; i++)
            {
                double lx = (((i + 0.5) / dw) - 0.5) * roi.Width, ly = (((j + 0.5) / dh) - 0.5) * roi.Height;
                double px = roi.CenterX + (cos * lx) - (sin * ly), py = roi.CenterY + (sin * lx) + (cos * ly);
                for (int c = 0; c < ch; c++)
                {
                    result[(((j * dw) + i) * ch) + c] = Bilinear(src, px, py, c, border);
                }
            }
        }

        return result;
    }

    /// <summary>2-tap half-pixel resize (OpenCV INTER_LINEAR / torch align_corners=False geometry), per pixel.</summary>
    public static double[] Resize(ImageBuffer src, int dw, int dh)
    {
        int ch = src.Format.BytesPerPixel();
        var result = new double[dw * dh * ch];
        for (int j = 0; j < dh; j++)
        {
            double sy = Math.Max(0, ((j + 0.5) * src.Height / dh) - 0.5);
            for (int i = 0; i < dw; i++)
            {
                double sx = Math.Max(0, ((i + 0.5) * src.Width / dw) - 0.5);
                for (int c = 0; c < ch; c++)
                {
                    // Clamped source coordinates with replicate taps are exactly the clamp-at-edges rule.
                    result[(((j * dw) + i) * ch) + c] = Bilinear(src, sx + 0.5, sy + 0.5, c, BorderMode.Replicate);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Pillow 9's BILINEAR resample written from its algorithm (for enlarging, where its filter support is one pixel):
    /// horizontal pass, then vertical, each with 22-bit fixed-point weights and the intermediate rounded to 8 bits.
    /// </summary>
    public static byte[] PillowBilinearUpscale(ImageBuffer src, int dw, int dh)
    {
        int ch = src.Format.BytesPerPixel();
        byte[] Pass(byte[] input, int inW, int inH, int outW, int outH, bool horizontal)
        {
            int inSize = horizontal ? inW : inH, outSize = horizontal ? outW : outH;
            double scale = (double)inSize / outSize;
            var output = new byte[outW * outH * ch];
            for (int o = 0; o < outSize; o++)
            {
                double center = (o + 0.5) * scale;
                int xmin = Math.Max((int)(center - 1 + 0.5), 0);
                int xmax = Math.Min((int)(center + 1 + 0.5), inSize) - xmin;
                double[] w = Enumerable.Range(0, xmax).Select(k => Math.Max(0, 1 - Math.Abs(k + xmin - center + 0.5))).ToArray();
                double total = w.Sum();
                int[] kk = w.Select(v => (int)((v / total * (1 << 22)) + 0.5)).ToArray();
                int others = horizontal ? outH : outW;
                for (int q = 0; q < others; q++)
                {
                    for (int c = 0; c < ch; c++)
                    {
                        long ss = 1 << 21;
                        for (int k = 0; k < xmax; k++)
                        {
                            int idx = horizontal ? (((q * inW) + xmin + k) * ch) + c : ((((xmin + k) * inW) + q) * ch) + c;
                            ss += input[idx] * (long)kk[k];
                        }

                        int outIdx = horizontal ? (((q * outW) + o) * ch) + c : (((o * outW) + q) * ch) + c;
                        output[outIdx] = (byte)Math.Clamp(ss >> 22, 0, 255);
                    }
                }
            }

            return output;
        }

        byte[] h = Pass(src.Memory.ToArray(), src.Width, src.Height, dw, src.Height, horizontal: true);
        return Pass(h, dw, src.Height, dw, dh, horizontal: false);
    }

    /// <summary>Asserts |actual − round(expected)| ≤ 1 everywhere and equality for at least <paramref name="exactFraction"/>.</summary>
    public static void AssertBytesNear(ReadOnlySpan<byte> actual, double[] expected, double exactFraction, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), what);
        int exact = 0, worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(actual[i] - (int)Math.Round(expected[i], MidpointRounding.AwayFromZero));
            if (d == 1 && Math.Abs(expected[i] - Math.Floor(expected[i]) - 0.5) < 1e-3)
            {
                d = 0; // a tie: float and float64 may round it either way
            }

            worst = Math.Max(worst, d);
            exact += d == 0 ? 1 : 0;
        }

        TestContext.Out.WriteLine($"{what}: max difference {worst}, identical {(double)exact / expected.Length:P3}");
        Assert.That(worst, Is.LessThanOrEqualTo(1), $"{what}: max difference");
        Assert.That((double)exact / expected.Length, Is.GreaterThanOrEqualTo(exactFraction), $"{what}: fraction identical");
    }
}
