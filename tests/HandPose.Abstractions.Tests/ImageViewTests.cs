using HandPose.Imaging;

namespace HandPose.Abstractions.Tests;

public sealed class ImageViewTests
{
    [Test]
    public void View_with_stride_reads_rows_from_the_right_offsets()
    {
        byte[] data = new byte[(8 * 2) + 6];
        data[8] = 7;       // row 1, first byte
        data[8 + 5] = 9;   // row 1, last byte of 2 RGB pixels
        var view = new ImageView(data, 2, 3, PixelFormat.Rgb24, stride: 8);
        Assert.That(view.GetRow(1).Length, Is.EqualTo(6));
        Assert.That(view.GetRow(1)[0], Is.EqualTo(7));
        Assert.That(view.GetRow(1)[5], Is.EqualTo(9));
        Assert.That(view.BytesPerPixel, Is.EqualTo(3));
    }

    [Test]
    public void Stride_zero_means_tightly_packed()
    {
        var view = new ImageView(new byte[4 * 5 * 4], 5, 4, PixelFormat.Rgba32);
        Assert.That(view.Stride, Is.EqualTo(20));
    }

    [Test]
    public void Too_short_data_is_rejected_with_the_needed_size()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new ImageView(new byte[10], 2, 2, PixelFormat.Rgb24));
        Assert.That(ex!.Message, Does.Contain("needs 12 bytes"));
    }

    [Test]
    public void Stride_smaller_than_a_row_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new ImageView(new byte[100], 4, 2, PixelFormat.Rgb24, stride: 11));
        Assert.That(ex!.ParamName, Is.EqualTo("stride"));
    }

    [TestCase(0, 1)]
    [TestCase(1, -1)]
    public void Non_positive_sizes_are_rejected(int w, int h)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ImageView(new byte[16], w, h, PixelFormat.Gray8));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ImageBuffer(w, h, PixelFormat.Gray8));
    }

    [Test]
    public void Buffer_wraps_caller_memory_without_copying_and_CopyOf_copies()
    {
        byte[] data = new byte[2 * 2];
        var buffer = new ImageBuffer(data, 2, 2, PixelFormat.Gray8);
        buffer.GetRowSpan(1)[1] = 42;
        Assert.That(data[3], Is.EqualTo(42), "writes go to the caller's array");
        ImageBuffer copy = ImageBuffer.CopyOf(buffer.AsView());
        data[3] = 0;
        Assert.That(copy.AsView().GetRow(1)[1], Is.EqualTo(42));
    }
}
