using System.Buffers.Binary;
using HandPose.Imaging.Jpeg;

namespace HandPose.Imaging.Tests.Jpeg;

/// <summary>Header reading, options, EXIF orientation and the rejections of <see cref="JpegDecoder"/>.</summary>
[TestFixture]
public sealed class JpegDecoderTests
{
    private static byte[] Fuzz(string name) => File.ReadAllBytes(JpegReference.Fixture(Path.Combine("fuzz", name)));

    [Test]
    public void IsJpeg_checks_the_SOI_marker()
    {
        Assert.That(JpegDecoder.IsJpeg(File.ReadAllBytes(JpegReference.Fixture("two_hands_tfjs.jpg"))), Is.True);
        Assert.That(JpegDecoder.IsJpeg([0x89, (byte)'P', (byte)'N', (byte)'G']), Is.False);
        Assert.That(JpegDecoder.IsJpeg([0xFF, 0xD8]), Is.False);
        Assert.That(JpegDecoder.IsJpeg([]), Is.False);
    }

    [TestCase("two_hands_tfjs.jpg", 720, 382)]
    [TestCase("hagrid_four_15a73593.jpg", 384, 512)]
    public void Identify_photo_reports_size_and_colour(string name, int width, int height)
    {
        ImageInfo info = JpegDecoder.Identify(File.ReadAllBytes(JpegReference.Fixture(name)));
        Assert.That((info.Format, info.Width, info.Height, info.Channels, info.BitDepth), Is.EqualTo(("JPEG", width, height, 3, 8)));
        Assert.That(info.Orientation, Is.EqualTo(1));
    }

    [TestCase("-sample 1x1", "4:4:4", false)]
    [TestCase("-sample 2x1", "4:2:2", false)]
    [TestCase("-sample 2x2", "4:2:0", false)]
    [TestCase("-sample 1x2", "4:4:0", false)]
    [TestCase("-sample 4x1", "4:1:1", false)]
    [TestCase("-sample 2x2 -progressive", "4:2:0", true)]
    [TestCase("-grayscale", null, false)]
    public void Identify_cjpeg_output_reports_subsampling_and_progressive(string switches, string? subsampling, bool progressive)
    {
        JpegReference.RequireTools();
        Pnm source = JpegReference.Djpeg(Fuzz("baseline444_restart.jpg"));
        ImageInfo info = JpegDecoder.Identify(JpegReference.Cjpeg(source, switches));
        Assert.That((info.Subsampling, info.Progressive, info.Channels), Is.EqualTo((subsampling, progressive, subsampling is null ? 1 : 3)));
    }

    [Test]
    public void Decode_grayscale_returns_Gray8()
    {
        ImageBuffer image = JpegDecoder.Decode(Fuzz("gray.jpg"), ImageDecoderOptions.Default);
        Assert.That((image.Format, image.Width, image.Height), Is.EqualTo((PixelFormat.Gray8, 40, 30)));
    }

    [Test]
    public void Decode_respects_MaxPixels_exactly()
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        Assert.That(JpegDecoder.Decode(jpeg, new ImageDecoderOptions { MaxPixels = 40 * 30 }).Width, Is.EqualTo(40));
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => JpegDecoder.Decode(jpeg, new ImageDecoderOptions { MaxPixels = (40 * 30) - 1 }))!;
        Assert.That(e.Message, Does.Contain("40x30").And.Contain("MaxPixels"));
    }

    [Test]
    public void Identify_reads_EXIF_orientation_and_Decode_applies_it_only_on_request()
    {
        byte[] jpeg = Fuzz("exif_orientation6.jpg");
        Assert.That(JpegDecoder.Identify(jpeg).Orientation, Is.EqualTo(6));
        ImageBuffer stored = JpegDecoder.Decode(jpeg, ImageDecoderOptions.Default);
        ImageBuffer upright = JpegDecoder.Decode(jpeg, new ImageDecoderOptions { ApplyExifOrientation = true });
        Assert.That((stored.Width, stored.Height, upright.Width, upright.Height), Is.EqualTo((40, 30, 30, 40)));

        // Orientation 6 = the stored picture turned 90° clockwise: displayed (x, y) is stored (y, h - 1 - x).
        ReadOnlySpan<byte> s = stored.Memory.Span, u = upright.Memory.Span;
        for (int y = 0; y < 40; y++)
        {
            for (int x = 0; x < 30; x++)
            {
                int from = ((((30 - 1 - x) * 40) + y) * 3), to = ((y * 30) + x) * 3;
                Assert.That(u.Slice(to, 3).SequenceEqual(s.Slice(from, 3)), Is.True, $"pixel ({x},{y})");
            }
        }
    }

    // The stored 3x2 image 1 2 3 / 4 5 6 as displayed under each EXIF orientation (EXIF 2.3, tag 0x0112).
    [TestCase(1, 3, new byte[] { 1, 2, 3, 4, 5, 6 })]
    [TestCase(2, 3, new byte[] { 3, 2, 1, 6, 5, 4 })]
    [TestCase(3, 3, new byte[] { 6, 5, 4, 3, 2, 1 })]
    [TestCase(4, 3, new byte[] { 4, 5, 6, 1, 2, 3 })]
    [TestCase(5, 2, new byte[] { 1, 4, 2, 5, 3, 6 })]
    [TestCase(6, 2, new byte[] { 4, 1, 5, 2, 6, 3 })]
    [TestCase(7, 2, new byte[] { 6, 3, 5, 2, 4, 1 })]
    [TestCase(8, 2, new byte[] { 3, 6, 2, 5, 1, 4 })]
    public void ExifOrientation_Apply_turns_the_image_upright(int orientation, int width, byte[] expected)
    {
        var image = new ImageBuffer(new byte[] { 1, 2, 3, 4, 5, 6 }, 3, 2, PixelFormat.Gray8);
        ImageBuffer result = ExifOrientation.Apply(image, orientation);
        Assert.That(result.Width, Is.EqualTo(width));
        Assert.That(result.Memory.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Decode_arithmetic_coding_is_rejected_clearly()
    {
        JpegReference.RequireTools();
        byte[] jpeg = JpegReference.Cjpeg(JpegReference.Djpeg(Fuzz("baseline420.jpg")), "-arithmetic");
        AssertRejected(jpeg, "arithmetic");
    }

    [TestCase(12, "12-bit")]
    [TestCase(16, "16-bit")]
    public void Decode_other_precisions_are_rejected_clearly(int precision, string message)
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        jpeg[FindMarker(jpeg, 0xC0) + 4] = (byte)precision;
        AssertRejected(jpeg, message);
    }

    [TestCase(0xC3, "lossless")]
    [TestCase(0xC5, "hierarchical")]
    [TestCase(0xC9, "arithmetic")]
    public void Decode_unsupported_processes_are_rejected_clearly(int sof, string message)
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        jpeg[FindMarker(jpeg, 0xC0) + 1] = (byte)sof;
        AssertRejected(jpeg, message);
    }

    [Test]
    public void Decode_cmyk_is_rejected_clearly_but_identified()
    {
        byte[] jpeg = File.ReadAllBytes(JpegReference.Fixture("reject_cmyk_16x16.jpg"));
        Assert.That(JpegDecoder.Identify(jpeg).Channels, Is.EqualTo(4));
        AssertRejected(jpeg, "CMYK");
    }

    [Test]
    public void Decode_truncated_scan_is_reported_as_truncated()
    {
        byte[] jpeg = File.ReadAllBytes(JpegReference.Fixture("two_hands_tfjs.jpg"));
        AssertRejected(jpeg.AsSpan(0, jpeg.Length / 2).ToArray(), "truncated");
    }

    [Test]
    public void Decode_missing_restart_marker_is_rejected()
    {
        byte[] jpeg = Fuzz("baseline444_restart.jpg");
        int sos = FindMarker(jpeg, 0xDA);
        int rst = FindRst(jpeg, sos);
        jpeg[rst + 1] = 0xC8; // not an RST marker any more
        Assert.Throws<ImageFormatException>(() => JpegDecoder.Decode(jpeg, ImageDecoderOptions.Default));
    }

    [Test]
    public void Decode_missing_EOI_is_accepted_like_libjpeg()
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(jpeg.Length - 2)), Is.EqualTo(0xFFD9));
        ImageBuffer full = JpegDecoder.Decode(jpeg, ImageDecoderOptions.Default);
        ImageBuffer cut = JpegDecoder.Decode(jpeg.AsSpan(0, jpeg.Length - 2), ImageDecoderOptions.Default);
        Assert.That(cut.Memory.ToArray(), Is.EqualTo(full.Memory.ToArray()));
    }

    private static void AssertRejected(byte[] jpeg, string message)
    {
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => JpegDecoder.Decode(jpeg, ImageDecoderOptions.Default))!;
        Assert.That(e.Message, Does.Contain(message).IgnoreCase);
        Assert.That(e.Format, Is.EqualTo("JPEG"));
    }

    private static int FindMarker(byte[] data, byte marker)
    {
        for (int i = 0; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"marker {marker:X2} not found");
    }

    private static int FindRst(byte[] data, int from)
    {
        for (int i = from; i + 1 < data.Length; i++)
        {
            if (data[i] == 0xFF && data[i + 1] is >= 0xD0 and <= 0xD7)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no restart marker");
    }
}
