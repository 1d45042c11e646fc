using HandPose.Imaging.Internal;

namespace HandPose.Imaging.Tests;

[Category("Simd")]
public sealed class WarpTests
{
    private static readonly RotatedRect[] Rois =
    [
        new(60.3f, 41.7f, 80.5f, 80.5f, 0.7f),          // inside, rotated
        new(10f, 90f, 130f, 130f, -2.9f),               // mostly outside: exercises the borders
        new(64f, 48f, 128f, 96f, 0f),                   // axis aligned, exactly the image
        new(30f, 20f, 20f, 35f, (float)Math.PI / 2),    // non-square, quarter turn
    ];

    [Test]
    public void Rotated_crop_matches_the_float64_reference([Values] BorderMode border, [Values(PixelFormat.Gray8, PixelFormat.Rgb24, PixelFormat.Rgba32)] PixelFormat format)
    {
        ImageBuffer src = Fixtures.SmoothImage(128, 96, format);
        foreach (RotatedRect roi in Rois)
        {
            var dst = new ImageBuffer(56, 48, format);
            ImageTransforms.CropRotated(src.AsView(), roi, dst, border);
            Reference.AssertBytesNear(dst.Memory.Span, Reference.RotatedCrop(src, roi, 56, 48, border), 0.995, $"{roi} {border}");
        }
    }

    [Test]
    public void Rotated_crop_to_tensor_is_not_quantized([Values] BorderMode border, [Values] TensorLayout layout)
    {
        ImageBuffer src = Fixtures.RandomImage(90, 70, PixelFormat.Rgb24, 11);
        var roi = new RotatedRect(40.2f, 33.9f, 61f, 61f, 2.1f);
        const int W = 31, H = 29;
        float[] tensor = new float[3 * W * H];
        ImageTransforms.CropRotatedToTensor(src.AsView(), roi, W, H, border, tensor, layout);
        double[] expected = Reference.RotatedCrop(src, roi, W, H, border);
        double worst = 0;
        for (int j = 0; j < H; j++)
        {
            for (int i = 0; i < W; i++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int t = layout == TensorLayout.Nhwc ? (((j * W) + i) * 3) + c : (c * W * H) + (j * W) + i;
                    worst = Math.Max(worst, Math.Abs(tensor[t] - (expected[(((j * W) + i) * 3) + c] / 255)));
                }
            }
        }

        Assert.That(worst, Is.LessThan(5e-5), "float32 coordinates: far below one 8-bit level (2e-3)");
    }

    [Test]
    public void MediaPipe_hand_crop_224_with_replicate_border_matches_reference()
    {
        ImageBuffer src = Fixtures.SmoothImage(384, 512, PixelFormat.Rgb24);
        // A hand ROI typical of the pipeline: 2.6x palm size, rotated, partly outside the image.
        var roi = new RotatedRect(300.5f, 420.25f, 260f, 260f, -0.45f);
        var dst = new ImageBuffer(224, 224, PixelFormat.Rgb24);
        ImageTransforms.CropRotated(src.AsView(), roi, dst, BorderMode.Replicate);
        Reference.AssertBytesNear(dst.Memory.Span, Reference.RotatedCrop(src, roi, 224, 224, BorderMode.Replicate), 0.995, "224 crop");
    }

    [Test]
    public void Letterbox_pads_with_zeros_and_maps_coordinates_back()
    {
        ImageBuffer src = Fixtures.SmoothImage(120, 60, PixelFormat.Rgb24);
        var dst = new ImageBuffer(64, 64, PixelFormat.Rgb24);
        LetterboxResult box = ImageTransforms.Letterbox(src.AsView(), dst);

        Assert.That(box.Scale, Is.EqualTo(64.0 / 120).Within(1e-12));
        Assert.That(box.OffsetX, Is.Zero.Within(1e-12));
        Assert.That(box.OffsetY, Is.EqualTo(16).Within(1e-12));
        Assert.That(box.PadTop, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(box.ToSource(32, 32), Is.EqualTo((60.0, 30.0)));
        Assert.That(box.ToDestination(120, 60), Is.EqualTo((64.0, 48.0)));
        // Rows 0..14 are padding (the image starts at y = 16, row 15 straddles by half a sample).
        Assert.That(dst.GetRowSpan(0).ToArray().All(b => b == 0), Is.True);
        Assert.That(dst.GetRowSpan(14).ToArray().All(b => b == 0), Is.True);
        Assert.That(dst.GetRowSpan(63).ToArray().All(b => b == 0), Is.True);
        // MediaPipe's letterbox is the crop of the centred square of side max(W, H): same pixels as that rotated crop.
        var square = new ImageBuffer(64, 64, PixelFormat.Rgb24);
        ImageTransforms.CropRotated(src.AsView(), new RotatedRect(60, 30, 120, 120, 0), square, BorderMode.Zero);
        Assert.That(dst.Memory.ToArray(), Is.EqualTo(square.Memory.ToArray()));
    }

    [Test]
    public void Letterbox_to_tensor_matches_letterbox_in_float()
    {
        ImageBuffer src = Fixtures.RandomImage(50, 80, PixelFormat.Rgba32, 4);
        float[] tensor = new float[3 * 24 * 24];
        LetterboxResult box = ImageTransforms.LetterboxToTensor(src.AsView(), 24, 24, tensor, TensorLayout.Nchw);
        double[] expected = Reference.RotatedCrop(src, new RotatedRect(25, 40, 80, 80, 0), 24, 24, BorderMode.Zero);
        Assert.That(box.OffsetX, Is.EqualTo((24 - (50 * 0.3)) / 2).Within(1e-12));
        for (int p = 0; p < 24 * 24; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                Assert.That(tensor[(c * 576) + p], Is.EqualTo(expected[(p * 4) + c] / 255).Within(5e-5));
            }
        }
    }

    [Test]
    public void Warp_kernel_takes_the_expected_vector_path()
    {
        // 512: 16 pixels per step with AVX-512 VBMI byte permutes; 256: AVX2 gathers of 8; 0: scalar (float64 coordinates).
        string? expected = Environment.GetEnvironmentVariable("HANDPOSE_EXPECT_SIMD");
        if (string.IsNullOrEmpty(expected))
        {
            Assert.That(WarpKernel.VectorPath, Is.AnyOf(0, 256, 512));
            return;
        }

        int simd = int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(HandPoseEnvironment.SimdWidth, Is.EqualTo(simd));
        int path = simd switch
        {
            >= 512 when System.Runtime.Intrinsics.X86.Avx512Vbmi.IsSupported => 512,
            >= 256 => 256,
            _ => 0,
        };
        Assert.That(WarpKernel.VectorPath, Is.EqualTo(path));
    }

    // Maps that put 16-pixel runs fully inside, across the right and bottom edges (where an 8-byte read would pass the
    // buffer's end), and fully outside; widths with 8-pixel and shorter tails.
    private static readonly RotatedRect[] KernelRois =
    [
        new(40.3f, 30.7f, 50f, 40f, 0.31f),
        new(70.5f, 52.5f, 30f, 30f, -0.2f),
        new(37.5f, 28.5f, 75f, 57f, 0f),
        new(20f, 70f, 200f, 150f, 2.5f),
        new(-90f, 10f, 60f, 60f, 1f),
    ];

    [Test]
    public void Warp_to_bytes_is_bit_identical_to_the_row_sampler([Values] BorderMode border, [Values(PixelFormat.Gray8, PixelFormat.Rgb24, PixelFormat.Rgba32)] PixelFormat format, [Values(45, 40)] int width)
    {
        // A cropped view (stride > row, buffer ending at the view's last pixel) of a random image.
        ImageBuffer big = Fixtures.RandomImage(80, 58, format, 21);
        ImageView src = ImageTransforms.Crop(big.AsView(), 5, 2, 75, 56);
        int channels = format.BytesPerPixel();
        float[] row = new float[width * channels];
        foreach (RotatedRect roi in KernelRois)
        {
            var dst = new ImageBuffer(width, 19, format);
            AffineTransform map = roi.ToSourceTransform(width, 19);
            ImageTransforms.WarpAffine(src, map, dst, border);
            for (int y = 0; y < 19; y++)
            {
                WarpKernel.SampleRow(src, map, y, width, border, row);
                byte[] expected = new byte[width * channels];
                PixelRows.ToBytes(row, expected);
                Assert.That(dst.GetRowSpan(y).ToArray(), Is.EqualTo(expected), $"{roi} row {y}");
            }
        }
    }

    [TestCase(1, 30, BorderMode.Replicate)]
    [TestCase(30, 1, BorderMode.Replicate)]
    [TestCase(30, 1, BorderMode.Zero)]
    [TestCase(2, 2, BorderMode.Zero)]
    public void Warp_of_a_thin_source_matches_the_float64_reference(int width, int height, BorderMode border)
    {
        // Sources too thin for any 2x2 tap square inside: every group takes the scalar sampler.
        ImageBuffer src = Fixtures.RandomImage(width, height, PixelFormat.Rgb24, width + height);
        var roi = new RotatedRect(width / 2f, height / 2f, width * 1.3f, height * 1.3f, 0.2f);
        var dst = new ImageBuffer(40, 17, PixelFormat.Rgb24);
        ImageTransforms.CropRotated(src.AsView(), roi, dst, border);
        Reference.AssertBytesNear(dst.Memory.Span, Reference.RotatedCrop(src, roi, 40, 17, border), 0.995, $"{width}x{height}");
    }

    [Test]
    public void Warp_to_tensor_is_bit_identical_to_the_row_sampler([Values] BorderMode border, [Values(PixelFormat.Gray8, PixelFormat.Rgb24, PixelFormat.Rgba32)] PixelFormat format, [Values] TensorLayout layout)
    {
        ImageBuffer big = Fixtures.RandomImage(80, 58, format, 22);
        ImageView src = ImageTransforms.Crop(big.AsView(), 5, 2, 75, 56);
        const int W = 53, H = 17;
        int channels = format.BytesPerPixel();
        float[] scale = new float[3], bias = new float[3], row = new float[W * channels];
        PixelNormalization.ImageNet.GetScaleBias(scale, bias);
        foreach (RotatedRect roi in KernelRois)
        {
            AffineTransform map = roi.ToSourceTransform(W, H);
            float[] actual = new float[3 * W * H], expected = new float[3 * W * H];
            ImageTransforms.WarpAffineToTensor(src, map, W, H, border, actual, layout, PixelNormalization.ImageNet);
            for (int y = 0; y < H; y++)
            {
                WarpKernel.SampleRow(src, map, y, W, border, row);
                PixelRows.ToTensor(row, channels, 0, W, W, H, y, expected, layout, scale, bias);
            }

            Assert.That(actual, Is.EqualTo(expected), $"{roi}");
        }
    }

    [Test]
    public void Gray_rgb_and_rgba_sample_identically_up_to_the_buffers_last_byte([Values(61, 64)] int width)
    {
        // Tightly packed sources: the bottom-right taps are the buffers' last bytes, where 4- and 8-byte loads of a
        // 1- or 3-byte pixel would run past the end; each format must still take the same float32 path.
        const int H = 47;
        ImageBuffer gray = Fixtures.RandomImage(width, H, PixelFormat.Gray8, 31);
        var rgb = new ImageBuffer(width, H, PixelFormat.Rgb24);
        var rgba = new ImageBuffer(width, H, PixelFormat.Rgba32);
        Span<byte> g = gray.Memory.Span, c3 = rgb.Memory.Span, c4 = rgba.Memory.Span;
        for (int i = 0; i < width * H; i++)
        {
            c3[3 * i] = c3[(3 * i) + 1] = c3[(3 * i) + 2] = g[i];
            c4[4 * i] = c4[(4 * i) + 1] = c4[(4 * i) + 2] = g[i];
            c4[(4 * i) + 3] = (byte)(i * 37);
        }

        Assert.That(c3.Length, Is.EqualTo(3 * width * H), "tightly packed");
        float[] fromGray = new float[192 * 192 * 3], fromRgb = new float[fromGray.Length], fromRgba = new float[fromGray.Length];
        ImageTransforms.LetterboxToTensor(gray.AsView(), 192, 192, fromGray);
        ImageTransforms.LetterboxToTensor(rgb.AsView(), 192, 192, fromRgb);
        ImageTransforms.LetterboxToTensor(rgba.AsView(), 192, 192, fromRgba);
        Assert.That(fromRgb, Is.EqualTo(fromRgba), "RGB vs RGBA");
        Assert.That(fromGray, Is.EqualTo(fromRgb), "gray vs RGB");
    }

    [Test]
    public void Identity_warp_reproduces_the_source()
    {
        ImageBuffer src = Fixtures.RandomImage(23, 19, PixelFormat.Rgb24, 8);
        var dst = new ImageBuffer(23, 19, PixelFormat.Rgb24);
        ImageTransforms.WarpAffine(src.AsView(), AffineTransform.Identity, dst, BorderMode.Zero);
        Assert.That(dst.Memory.ToArray(), Is.EqualTo(src.Memory.ToArray()));
    }

    [Test]
    public void Affine_invert_round_trips()
    {
        AffineTransform m = new RotatedRect(10, 20, 30, 40, 0.3f).ToSourceTransform(7, 9);
        (double x, double y) = m.Invert().Apply(m.Apply(3.5, -2).X, m.Apply(3.5, -2).Y);
        Assert.That(x, Is.EqualTo(3.5).Within(1e-9));
        Assert.That(y, Is.EqualTo(-2).Within(1e-9));
        Assert.Throws<InvalidOperationException>(() => new AffineTransform(1, 2, 0, 2, 4, 0).Invert());
    }
}
