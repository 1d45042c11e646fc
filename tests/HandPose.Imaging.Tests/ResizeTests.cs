using HandPose.Testing;

namespace HandPose.Imaging.Tests;

[Category("Simd")]
public sealed class ResizeTests
{
    [Test]
    public void Active_simd_path_is_the_expected_one()
    {
        string? expected = Environment.GetEnvironmentVariable("HANDPOSE_EXPECT_SIMD");
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.That(HandPoseEnvironment.SimdWidth, Is.EqualTo(int.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
        }
        else
        {
            Assert.That(HandPoseEnvironment.SimdWidth, Is.AnyOf(0, 128, 256, 512));
        }
    }

    [TestCase(41, 29, 100, 70, PixelFormat.Rgb24)]
    [TestCase(41, 29, 13, 9, PixelFormat.Rgb24)]
    [TestCase(640, 480, 224, 224, PixelFormat.Rgba32)]
    [TestCase(17, 5, 17, 5, PixelFormat.Gray8)]
    [TestCase(7, 300, 3, 1021, PixelFormat.Gray8)]
    [TestCase(1, 1, 5, 3, PixelFormat.Rgb24)]
    public void Resize_matches_the_float64_reference(int sw, int sh, int dw, int dh, PixelFormat format)
    {
        ImageBuffer src = Fixtures.RandomImage(sw, sh, format, sw + dh);
        ImageBuffer dst = ImageTransforms.ResizeBilinear(src.AsView(), dw, dh);
        Reference.AssertBytesNear(dst.Memory.Span, Reference.Resize(src, dw, dh), 0.999, "resize");
    }

    [Test]
    public void Same_size_resize_is_the_identity()
    {
        ImageBuffer src = Fixtures.RandomImage(33, 20, PixelFormat.Rgb24, 5);
        Assert.That(ImageTransforms.ResizeBilinear(src.AsView(), 33, 20).Memory.ToArray(), Is.EqualTo(src.Memory.ToArray()));
    }

    [Test]
    public void Upscale_matches_pillow_bilinear_within_one_level()
    {
        ImageBuffer src = LoadSource();
        byte[] pillow = File.ReadAllBytes(Fixtures.Data("resize", "pillow_up_100x70_rgb.raw"));
        ImageBuffer dst = ImageTransforms.ResizeBilinear(src.AsView(), 100, 70);
        // Pillow rounds its horizontal pass to 8 bits before the vertical one, so it differs from the exact result by
        // at most one level; an emulation of that algorithm reproduces Pillow exactly, proving the geometry is the same.
        Assert.That(Reference.PillowBilinearUpscale(src, 100, 70), Is.EqualTo(pillow), "Pillow emulation");
        Reference.AssertBytesNear(dst.Memory.Span, pillow.Select(b => (double)b).ToArray(), 0.75, "vs Pillow");
    }

    [TestCase(13, 9)]
    [TestCase(100, 70)]
    public void Resize_matches_pytorch_align_corners_false(int dw, int dh)
    {
        ImageBuffer src = LoadSource();
        double[] torch = Tolerance.ReadF64(Fixtures.Data("resize", $"torch_{dw}x{dh}_rgb.f64"));
        ImageBuffer dst = ImageTransforms.ResizeBilinear(src.AsView(), dw, dh);
        Reference.AssertBytesNear(dst.Memory.Span, torch, 0.999, "vs PyTorch");
        Reference.AssertBytesNear(dst.Memory.Span, Reference.Resize(src, dw, dh), 0.999, "vs float64 reference");
    }

    [Test]
    public void Resize_rejects_a_destination_of_another_format()
    {
        ImageBuffer src = Fixtures.RandomImage(4, 4, PixelFormat.Rgb24, 1);
        Assert.Throws<ArgumentException>(() => ImageTransforms.ResizeBilinear(src.AsView(), new ImageBuffer(2, 2, PixelFormat.Gray8)));
    }

    private static ImageBuffer LoadSource() =>
        new(File.ReadAllBytes(Fixtures.Data("resize", "src_41x29_rgb.raw")), 41, 29, PixelFormat.Rgb24);
}
