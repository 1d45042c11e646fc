using HandPose.Testing;

namespace HandPose.Imaging.Tests;

public sealed class PngEncoderTests
{
    [TestCase(PixelFormat.Gray8)]
    [TestCase(PixelFormat.Rgb24)]
    [TestCase(PixelFormat.Rgba32)]
    public void Encode_then_decode_round_trips_exactly(PixelFormat format)
    {
        ImageBuffer noisy = Fixtures.RandomImage(37, 23, format, 7);
        ImageBuffer smooth = Fixtures.SmoothImage(64, 48, format);
        foreach (ImageBuffer image in new[] { noisy, smooth })
        {
            ImageBuffer back = ImageDecoder.Decode(ImageEncoder.EncodePng(image.AsView()));
            Assert.That(back.Format, Is.EqualTo(format));
            Assert.That(back.Memory.ToArray(), Is.EqualTo(image.Memory.ToArray()));
        }
    }

    [Test]
    public void Encode_honours_the_view_stride()
    {
        ImageBuffer big = Fixtures.RandomImage(20, 10, PixelFormat.Rgb24, 3);
        ImageView part = ImageTransforms.Crop(big.AsView(), 5, 2, 7, 6);
        ImageBuffer back = ImageDecoder.Decode(ImageEncoder.EncodePng(part));
        Assert.That(back.Memory.ToArray(), Is.EqualTo(ImageBuffer.CopyOf(part).Memory.ToArray()));
    }

    [Test]
    public void Pillow_reads_what_we_write()
    {
        string dir = RepoPaths.NewTempDirectory();
        var images = new Dictionary<string, ImageBuffer>
        {
            ["L"] = Fixtures.RandomImage(31, 17, PixelFormat.Gray8, 1),
            ["RGB"] = Fixtures.SmoothImage(40, 30, PixelFormat.Rgb24),
            ["RGBA"] = Fixtures.RandomImage(9, 33, PixelFormat.Rgba32, 2),
        };
        foreach ((string mode, ImageBuffer image) in images)
        {
            string png = Path.Combine(dir, mode + ".png");
            ImageEncoder.SavePng(image.AsView(), png);
            string output = Fixtures.RunPython(
                "import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); " +
                "open(sys.argv[2], 'wb').write(im.tobytes()); print(im.mode, im.size[0], im.size[1])",
                png, png + ".raw");
            Assert.That(output.Trim(), Is.EqualTo($"{mode} {image.Width} {image.Height}"));
            Assert.That(File.ReadAllBytes(png + ".raw"), Is.EqualTo(image.Memory.ToArray()), mode);
        }
    }

    [Test]
    public void Pillow_reads_16_bit_gray_samples_exactly()
    {
        string dir = RepoPaths.NewTempDirectory();
        const int width = 37, height = 11;
        var rng = new Random(4);
        ushort[] samples = Enumerable.Range(0, width * height).Select(i => (ushort)(i % 5 == 0 ? 65535 - i : rng.Next(65536))).ToArray();
        string png = Path.Combine(dir, "gray16.png");
        using (FileStream f = File.Create(png))
        {
            ImageEncoder.WritePngGray16(samples, width, height, f);
        }

        string output = Fixtures.RunPython(
            "import sys; from PIL import Image; im = Image.open(sys.argv[1]); " +
            "print(im.mode, im.size[0], im.size[1], ' '.join(str(im.getpixel((i % im.size[0], i // im.size[0]))) for i in range(im.size[0] * im.size[1])))",
            png);
        string[] parts = output.Trim().Split(' ');
        Assert.That(parts[0], Does.StartWith("I"));
        Assert.That((parts[1], parts[2]), Is.EqualTo((width.ToString(System.Globalization.CultureInfo.InvariantCulture), height.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(parts.Skip(3).Select(int.Parse), Is.EqualTo(samples.Select(v => (int)v)).AsCollection);
        Assert.Throws<ArgumentException>(() => ImageEncoder.WritePngGray16(samples, width, height + 1, Stream.Null));
    }

    [Test]
    public void Pnm_round_trips_and_reads_16_bit_by_rounding()
    {
        ImageBuffer rgb = Fixtures.RandomImage(5, 4, PixelFormat.Rgb24, 9);
        using var ms = new MemoryStream();
        ImageEncoder.WritePnm(rgb.AsView(), ms);
        Assert.That(ImageDecoder.DetectFormat(ms.ToArray()), Is.EqualTo("PPM"));
        Assert.That(ImageDecoder.Decode(ms.ToArray()).Memory.ToArray(), Is.EqualTo(rgb.Memory.ToArray()));

        byte[] pgm16 = [.. "P5\n# comment\n3 1\n1000\n"u8, 0, 0, 0x01, 0xF4, 0x03, 0xE8]; // 0, 500, 1000 of 1000
        ImageBuffer gray = ImageDecoder.Decode(pgm16);
        Assert.That(gray.Format, Is.EqualTo(PixelFormat.Gray8));
        Assert.That(gray.Memory.ToArray(), Is.EqualTo(new byte[] { 0, 128, 255 })); // 127.5 rounds up
        Assert.That(ImageDecoder.Identify(pgm16), Is.EqualTo(new ImageInfo("PGM", 3, 1, 1, 16)));
    }

    [Test]
    public void Unknown_or_empty_data_is_an_image_format_exception()
    {
        Assert.That(Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([]))!.Format, Is.EqualTo("unknown"));
        Assert.That(Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode("GIF89a"u8))!.Message, Does.Contain("no known signature"));
        Assert.That(ImageDecoder.DetectFormat([0xFF, 0xD8, 0xFF, 0xE0]), Is.EqualTo("JPEG"));
    }
}
