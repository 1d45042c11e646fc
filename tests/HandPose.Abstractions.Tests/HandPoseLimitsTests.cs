using System.Text;
using HandPose.IO;

namespace HandPose.Abstractions.Tests;

[NonParallelizable] // some tests change the process-wide limits
public sealed class HandPoseLimitsTests
{
    [Test]
    public void CheckElements_returns_the_product_within_the_limit()
    {
        Assert.That(HandPoseLimits.CheckElements([21, 64, 48], "maps"), Is.EqualTo(21 * 64 * 48));
        Assert.That(HandPoseLimits.CheckElements([], "scalar"), Is.EqualTo(1));
        Assert.That(HandPoseLimits.CheckElements([1L << 28], "vector"), Is.EqualTo(1 << 28), "exactly the default limit passes");
    }

    [Test]
    public void CheckElements_with_a_zero_dimension_is_empty_even_when_other_dimensions_are_huge()
    {
        Assert.That(HandPoseLimits.CheckElements([0, long.MaxValue, 7], "empty"), Is.Zero);
    }

    [Test]
    public void CheckElements_over_the_limit_names_the_limit_and_its_variable_without_overflowing()
    {
        var ex = Assert.Throws<LimitExceededException>(() => HandPoseLimits.CheckElements([21, 16384, 16384], "heatmaps"))!;
        Assert.That(ex.LimitName, Is.EqualTo("MaxTensorElements"));
        Assert.That(ex.Limit, Is.EqualTo(HandPoseLimits.DefaultMaxTensorElements));
        Assert.That(ex.Message, Does.Contain("heatmaps of shape [21, 16384, 16384] holds 5,637,144,576 elements"));
        Assert.That(ex.Message, Does.Contain("HANDPOSE_MAX_TENSOR_ELEMENTS"));
        Assert.That(ex.Request, Does.StartWith("heatmaps of shape"));

        // The product of these wraps around to a small positive number in 64-bit arithmetic (2^64 + 1).
        Assert.Throws<LimitExceededException>(() => HandPoseLimits.CheckElements([4294967296, 4294967296, 1], "wrapped"));
        Assert.Throws<LimitExceededException>(() => HandPoseLimits.CheckElements([int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue], "five"));
    }

    [Test]
    public void CheckElements_rejects_negative_dimensions()
    {
        Assert.Throws<ArgumentException>(() => HandPoseLimits.CheckElements([3, -1], "bad"));
    }

    [Test]
    public void CheckImage_uses_the_pixel_limit()
    {
        HandPoseLimits.CheckImage(16384, 16384, "ok.png");
        var ex = Assert.Throws<LimitExceededException>(() => HandPoseLimits.CheckImage(16385, 16384, "big.png"))!;
        Assert.That(ex.LimitName, Is.EqualTo("MaxImagePixels"));
        Assert.That(ex.Message, Does.Contain("big.png is 16385 x 16384"));
        Assert.Throws<ArgumentOutOfRangeException>(() => HandPoseLimits.CheckImage(0, 5, "zero"));
    }

    [Test]
    public void Limits_are_configurable_and_validated()
    {
        long before = HandPoseLimits.MaxTensorElements;
        try
        {
            HandPoseLimits.MaxTensorElements = 100;
            Assert.That(HandPoseLimits.CheckElements([10, 10], "at"), Is.EqualTo(100));
            Assert.Throws<LimitExceededException>(() => HandPoseLimits.CheckElements([101], "over"));
            Assert.Throws<ArgumentOutOfRangeException>(() => HandPoseLimits.MaxTensorElements = 0);
            Assert.Throws<ArgumentOutOfRangeException>(() => HandPoseLimits.MaxImagePixels = HandPoseLimits.Ceiling + 1);
        }
        finally
        {
            HandPoseLimits.MaxTensorElements = before;
        }
    }

    [Test]
    public void Npy_header_with_a_huge_shape_fails_before_allocating()
    {
        byte[] file = NpyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 3), }");
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<LimitExceededException>(() => NpyArray.Read(file))!;
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - allocated, Is.LessThan(1 << 20));
        Assert.That(ex.Message, Does.Contain(".npy array of shape [65536, 65536, 3]"));
    }

    [Test]
    public void Npy_dimension_beyond_int_is_a_format_error()
    {
        byte[] file = NpyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 99999999999), }");
        var ex = Assert.Throws<DataFormatException>(() => NpyArray.Read(file))!;
        Assert.That(ex.Message, Does.Contain("99999999999"));
    }

    [Test]
    public void Npy_version_2_header_length_beyond_int_is_a_format_error()
    {
        // Found by the fuzz stage: a version-2 header length of 0x9CC8B03F overflowed a checked cast.
        byte[] file = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0x3F, 0xB0, 0xC8, 0x9C, .. new byte[64]];
        var ex = Assert.Throws<DataFormatException>(() => NpyArray.Read(file))!;
        Assert.That(ex.Message, Does.Contain("Truncated .npy header"));
    }

    private static byte[] NpyWithHeader(string header)
    {
        header = header.PadRight(118) + "\n";
        byte[] h = Encoding.Latin1.GetBytes(header);
        return [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)h.Length, (byte)(h.Length >> 8), .. h];
    }
}
