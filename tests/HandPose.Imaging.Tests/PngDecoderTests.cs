using System.Text.Json;

namespace HandPose.Imaging.Tests;

public sealed class PngDecoderTests
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record Case(string Name, int Width, int Height, string Format, int BitDepth, int ColorType, bool Interlaced);

    private static IEnumerable<TestCaseData> Cases()
    {
        Case[] cases = JsonSerializer.Deserialize<Case[]>(File.ReadAllText(Fixtures.Data("png", "manifest.json")), JsonOptions)!;
        return cases.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Name));
    }

    [TestCaseSource(nameof(Cases))]
    public void Decode_matches_pillow_pixels(object boxed)
    {
        var c = (Case)boxed;
        byte[] file = File.ReadAllBytes(Fixtures.Data("png", c.Name + ".png"));
        byte[] expected = File.ReadAllBytes(Fixtures.Data("png", c.Name + ".raw"));

        ImageBuffer image = ImageDecoder.Decode(file);

        Assert.That(image.Format.ToString(), Is.EqualTo(c.Format));
        Assert.That((image.Width, image.Height), Is.EqualTo((c.Width, c.Height)));
        byte[] actual = image.Memory.ToArray();
        if (c.BitDepth < 16)
        {
            Assert.That(actual, Is.EqualTo(expected));
            return;
        }

        // 16-bit: Skia converts to 8 bits through floats (skcms); within 1 level of round(v / 257).
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        Assert.That(actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max(), Is.LessThanOrEqualTo(1), "max difference");
    }

    [TestCaseSource(nameof(Cases))]
    public void Identify_reports_the_header(object boxed)
    {
        var c = (Case)boxed;
        ImageInfo info = ImageDecoder.Identify(File.ReadAllBytes(Fixtures.Data("png", c.Name + ".png")));
        int channels = c.ColorType switch { 0 => 1, 2 => 3, 3 => c.Format == "Rgba32" ? 4 : 3, 4 => 2, _ => 4 };
        Assert.That(info, Is.EqualTo(new ImageInfo("PNG", c.Width, c.Height, channels, c.BitDepth) { Progressive = c.Interlaced }));
    }

    [Test]
    public void Sixteen_bit_samples_scale_to_8_bits_within_one_level()
    {
        // v / 257 = 0, 0.498, 1.498, 1.502, 254.498, 255, 130.0: the ends are exact, the rest within a level of rounding.
        ushort[] samples = [0, 128, 385, 386, 65406, 65535, 33410];
        byte[] row = [0, .. samples.SelectMany(s => new[] { (byte)(s >> 8), (byte)s })];
        byte[] png = PngBuilder.Build(samples.Length, 1, 16, 0, row);
        byte[] actual = ImageDecoder.Decode(png).Memory.ToArray();
        byte[] rounded = [0, 0, 1, 2, 254, 255, 130];
        Assert.That((actual[0], actual[5], actual[6]), Is.EqualTo(((byte)0, (byte)255, (byte)130)));
        Assert.That(actual.Zip(rounded, (a, e) => Math.Abs(a - e)).Max(), Is.LessThanOrEqualTo(1));
    }

    [Test]
    public void Crc_mismatch_is_an_image_format_exception()
    {
        byte[] file = File.ReadAllBytes(Fixtures.Data("png", "rgb8.png"));
        file[30] ^= 0x01; // inside IHDR's data
        var ex = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(file));
        Assert.That((ex!.Format, ex.Message), Is.EqualTo(("PNG", "PNG image: the header is malformed or truncated.")));
    }

    [Test]
    public void Pixel_limit_is_checked_before_decoding()
    {
        byte[] file = File.ReadAllBytes(Fixtures.Data("png", "rgb8.png")); // 19x10
        var ex = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(file, new ImageDecoderOptions { MaxPixels = 189 }));
        Assert.That(ex!.Message, Does.Contain("pixel limit").And.Contain("19x10"));
        Assert.That(ImageDecoder.Decode(file, new ImageDecoderOptions { MaxPixels = 190 }).Width, Is.EqualTo(19));
    }

    [Test]
    public void Absurd_declared_size_is_rejected_without_allocating()
    {
        byte[] png = PngBuilder.Build(1 << 30, 1 << 30, 8, 2, [0, 1, 2, 3]);
        var ex = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png, new ImageDecoderOptions { MaxPixels = long.MaxValue }));
        Assert.That(ex!.Format, Is.EqualTo("PNG"));
    }

    [Test]
    public void Truncated_image_data_names_the_shortfall()
    {
        byte[] png = PngBuilder.Build(4, 4, 8, 0, [0, 1, 2, 3, 4]);
        var ex = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));
        Assert.That(ex!.Message, Does.Contain("truncated"));
    }
}
