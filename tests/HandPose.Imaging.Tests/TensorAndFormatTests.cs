namespace HandPose.Imaging.Tests;

public sealed class TensorAndFormatTests
{
    [Test]
    public void ToTensor_writes_nhwc_and_nchw_with_mean_std()
    {
        byte[] pixels = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120];
        var view = new ImageView(pixels, 2, 2, PixelFormat.Rgb24);
        float[] nhwc = new float[12], nchw = new float[12];
        ImageTransforms.ToTensor(view, nhwc, TensorLayout.Nhwc, PixelNormalization.ImageNet);
        ImageTransforms.ToTensor(view, nchw, TensorLayout.Nchw, PixelNormalization.ImageNet);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        for (int p = 0; p < 4; p++)
        {
            for (int c = 0; c < 3; c++)
            {
                double expected = ((pixels[(p * 3) + c] / 255.0) - mean[c]) / std[c];
                Assert.That(nhwc[(p * 3) + c], Is.EqualTo(expected).Within(1e-5));
                Assert.That(nchw[(c * 4) + p], Is.EqualTo(expected).Within(1e-5));
            }
        }
    }

    [Test]
    public void ToTensor_repeats_gray_and_ignores_alpha()
    {
        float[] t = new float[3];
        ImageTransforms.ToTensor(new ImageView([51], 1, 1, PixelFormat.Gray8), t);
        Assert.That(t, Is.EqualTo(new[] { 0.2f, 0.2f, 0.2f }).Within(1e-6));
        ImageTransforms.ToTensor(new ImageView([255, 0, 102, 0], 1, 1, PixelFormat.Rgba32), t, normalization: PixelNormalization.MinusOneToOne);
        Assert.That(t, Is.EqualTo(new[] { 1f, -1f, -0.2f }).Within(1e-6));
    }

    [Test]
    public void ToTensor_rejects_a_short_destination()
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageTransforms.ToTensor(new ImageView(new byte[12], 2, 2, PixelFormat.Rgb24), new float[11]));
        Assert.That(ex!.Message, Does.Contain("needs 12 floats"));
    }

    [Test]
    public void ConvertFormat_uses_pillow_luma_and_drops_alpha()
    {
        var rgba = new ImageView([255, 0, 0, 7, 10, 200, 30, 255], 2, 1, PixelFormat.Rgba32);
        Assert.That(ImageTransforms.ConvertFormat(rgba, PixelFormat.Rgb24).Memory.ToArray(), Is.EqualTo(new byte[] { 255, 0, 0, 10, 200, 30 }));
        // Pillow: L = R*299/1000 + G*587/1000 + B*114/1000 in 16-bit fixed point.
        Assert.That(ImageTransforms.ConvertFormat(rgba, PixelFormat.Gray8).Memory.ToArray(), Is.EqualTo(new byte[] { 76, 124 }));
        var gray = new ImageView([9], 1, 1, PixelFormat.Gray8);
        Assert.That(ImageTransforms.ConvertFormat(gray, PixelFormat.Rgba32).Memory.ToArray(), Is.EqualTo(new byte[] { 9, 9, 9, 255 }));
    }

    [Test]
    public void FlattenAlpha_composites_over_the_background()
    {
        var rgba = new ImageView([200, 100, 0, 128, 1, 2, 3, 0], 2, 1, PixelFormat.Rgba32);
        byte[] flat = ImageTransforms.FlattenAlpha(rgba, ColorRgb.White).Memory.ToArray();
        Assert.That(flat, Is.EqualTo(new byte[] { 227, 177, 127, 255, 255, 255 }));
    }

    [Test]
    public void Crop_is_a_view_sharing_memory()
    {
        ImageBuffer src = Fixtures.RandomImage(10, 8, PixelFormat.Rgb24, 2);
        ImageView part = ImageTransforms.Crop(src.AsView(), 3, 2, 4, 5);
        Assert.That(part.GetRow(0)[0], Is.EqualTo(src.GetRowSpan(2)[9]));
        Assert.That(part.GetRow(4).ToArray(), Is.EqualTo(src.GetRowSpan(6).Slice(9, 12).ToArray()));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.Crop(src.AsView(), 7, 0, 4, 1));
    }
}
