using System.Buffers.Binary;

namespace HandPose.Imaging.Tests.Jpeg;

/// <summary>Header reading, options, EXIF orientation and the rejections of the JPEG path of <see cref="ImageDecoder"/> (SkiaSharp).</summary>
[TestFixture]
public sealed class JpegDecoderTests
{
    private static byte[] Fuzz(string name) => File.ReadAllBytes(JpegReference.Fixture(Path.Combine("fuzz", name)));

    [Test]
    public void DetectFormat_checks_the_SOI_marker()
    {
        Assert.That(ImageDecoder.DetectFormat(File.ReadAllBytes(JpegReference.Fixture("two_hands_tfjs.jpg"))), Is.EqualTo("JPEG"));
        Assert.That(ImageDecoder.DetectFormat([0x89, (byte)'P', (byte)'N', (byte)'G']), Is.EqualTo("PNG"));
        Assert.That(ImageDecoder.DetectFormat([0xFF]), Is.Null);
        Assert.That(ImageDecoder.DetectFormat([]), Is.Null);
    }

    [TestCase("two_hands_tfjs.jpg", 720, 382)]
    [TestCase("hagrid_four_15a73593.jpg", 384, 512)]
    public void Identify_photo_reports_size_and_colour(string name, int width, int height)
    {
        ImageInfo info = ImageDecoder.Identify(File.ReadAllBytes(JpegReference.Fixture(name)));
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
        ImageInfo info = ImageDecoder.Identify(JpegReference.Cjpeg(source, switches));
        Assert.That((info.Subsampling, info.Progressive, info.Channels), Is.EqualTo((subsampling, progressive, subsampling is null ? 1 : 3)));
    }

    [Test]
    public void Decode_grayscale_returns_Gray8()
    {
        ImageBuffer image = ImageDecoder.Decode(Fuzz("gray.jpg"));
        Assert.That((image.Format, image.Width, image.Height), Is.EqualTo((PixelFormat.Gray8, 40, 30)));
    }

    [Test]
    public void Decode_respects_MaxPixels_exactly()
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        Assert.That(ImageDecoder.Decode(jpeg, new ImageDecoderOptions { MaxPixels = 40 * 30 }).Width, Is.EqualTo(40));
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg, new ImageDecoderOptions { MaxPixels = (40 * 30) - 1 }))!;
        Assert.That(e.Message, Does.Contain("40x30").And.Contain("MaxPixels"));
    }

    [Test]
    public void Identify_reads_EXIF_orientation_and_Decode_applies_it_only_on_request()
    {
        byte[] jpeg = Fuzz("exif_orientation6.jpg");
        Assert.That(ImageDecoder.Identify(jpeg).Orientation, Is.EqualTo(6));
        ImageBuffer stored = ImageDecoder.Decode(jpeg);
        ImageBuffer upright = ImageDecoder.Decode(jpeg, new ImageDecoderOptions { ApplyExifOrientation = true });
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
        ImageBuffer result = Orientation.Apply(image, orientation);
        Assert.That(result.Width, Is.EqualTo(width));
        Assert.That(result.Memory.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Decode_arithmetic_coding_matches_djpeg()
    {
        // Skia's libjpeg-turbo is built with arithmetic decoding (our hand-written decoder rejected it).
        JpegReference.RequireTools();
        byte[] jpeg = JpegReference.Cjpeg(JpegReference.Djpeg(Fuzz("baseline420.jpg")), "-arithmetic");
        Parity.Of(ImageDecoder.Decode(jpeg), JpegReference.Djpeg(jpeg)).AssertAcceptable("arithmetic");
    }

    [TestCase(12)]
    [TestCase(16)]
    public void Decode_other_precisions_are_rejected(int precision)
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        jpeg[FindMarker(jpeg, 0xC0) + 4] = (byte)precision;
        AssertRejected(jpeg);
    }

    [TestCase(0xC3)]
    [TestCase(0xC5)]
    public void Decode_unsupported_processes_are_rejected(int sof)
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        jpeg[FindMarker(jpeg, 0xC0) + 1] = (byte)sof;
        AssertRejected(jpeg);
    }

    [Test]
    public void Decode_cmyk_is_identified_and_decodes_to_rgb()
    {
        byte[] jpeg = File.ReadAllBytes(JpegReference.Fixture("reject_cmyk_16x16.jpg"));
        Assert.That(ImageDecoder.Identify(jpeg).Channels, Is.EqualTo(4));
        ImageBuffer image = ImageDecoder.Decode(jpeg);
        Assert.That((image.Format, image.Width, image.Height), Is.EqualTo((PixelFormat.Rgb24, 16, 16)));
    }

    [Test]
    public void Decode_truncated_scan_is_reported_as_truncated()
    {
        byte[] jpeg = File.ReadAllBytes(JpegReference.Fixture("two_hands_tfjs.jpg"));
        byte[] half = jpeg.AsSpan(0, jpeg.Length / 2).ToArray();
        AssertRejected(half, "truncated");

        // On request the decoded rows come back, the rest filled: the top matches the full decode.
        ImageBuffer partial = ImageDecoder.Decode(half, new ImageDecoderOptions { AllowIncompleteInput = true });
        ImageBuffer full = ImageDecoder.Decode(jpeg);
        Assert.That(partial.GetRowSpan(0).SequenceEqual(full.GetRowSpan(0)), Is.True);
    }

    [Test]
    public void Decode_missing_restart_marker_resynchronises()
    {
        // libjpeg-turbo inside Skia warns and resynchronises (djpeg instead stops at the stray SOF marker): the result
        // has the declared size; the restart interval after the damage differs from the undamaged decode.
        byte[] jpeg = Fuzz("baseline444_restart.jpg");
        ImageBuffer intact = ImageDecoder.Decode(jpeg);
        int sos = FindMarker(jpeg, 0xDA);
        int rst = FindRst(jpeg, sos);
        jpeg[rst + 1] = 0xC8; // not an RST marker any more
        ImageBuffer image = ImageDecoder.Decode(jpeg);
        Assert.That((image.Width, image.Height), Is.EqualTo((intact.Width, intact.Height)));
        Assert.That(image.Memory.Span.SequenceEqual(intact.Memory.Span), Is.False);
    }

    [Test]
    public void Decode_missing_EOI_is_incomplete_input_unless_allowed()
    {
        byte[] jpeg = Fuzz("baseline420.jpg");
        Assert.That(BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(jpeg.Length - 2)), Is.EqualTo(0xFFD9));
        ImageBuffer full = ImageDecoder.Decode(jpeg);
        byte[] cutBytes = jpeg.AsSpan(0, jpeg.Length - 2).ToArray();
        AssertRejected(cutBytes, "truncated");
        ImageBuffer cut = ImageDecoder.Decode(cutBytes, new ImageDecoderOptions { AllowIncompleteInput = true });
        Assert.That((cut.Width, cut.Height), Is.EqualTo((full.Width, full.Height)));
        Assert.That(cut.GetRowSpan(0).SequenceEqual(full.GetRowSpan(0)), Is.True, "the rows read before the end are kept");
    }

    private static void AssertRejected(byte[] jpeg, string message = "")
    {
        ImageFormatException e = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg))!;
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
