using HandPose.Imaging;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

public sealed class ImagingCommandTests
{
    private static string WritePng(string dir, string name, ImageBuffer image)
    {
        string path = Path.Combine(dir, name);
        ImageEncoder.SavePng(image.AsView(), path);
        return path;
    }

    private static ImageBuffer Rgba(int w, int h)
    {
        var image = new ImageBuffer(w, h, PixelFormat.Rgba32);
        Span<byte> p = image.Memory.Span;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (byte)((i * 37) + (i / 4));
        }

        return image;
    }

    [Test]
    public void Info_prints_format_size_channels_and_depth()
    {
        string png = WritePng(RepoPaths.NewTempDirectory(), "a.png", Rgba(7, 5));
        (int code, string output, string error) = CliRunner.Run("info", png);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("format:      PNG"));
        Assert.That(output, Does.Contain("width:       7"));
        Assert.That(output, Does.Contain("height:      5"));
        Assert.That(output, Does.Contain("channels:    4"));
        Assert.That(output, Does.Contain("bit depth:   8"));
        Assert.That(output, Does.Contain("interlaced:  no"));
    }

    [Test]
    public void Convert_writes_rgb_by_default_and_rgba_with_keep_alpha()
    {
        string dir = RepoPaths.NewTempDirectory();
        ImageBuffer source = Rgba(6, 4);
        string png = WritePng(dir, "in.png", source);

        (int code, _, string error) = CliRunner.Run("convert", png, Path.Combine(dir, "rgb.png"));
        Assert.That(code, Is.Zero, error);
        ImageBuffer rgb = ImageDecoder.Load(Path.Combine(dir, "rgb.png"));
        Assert.That(rgb.Format, Is.EqualTo(PixelFormat.Rgb24));
        byte[] expected = source.Memory.ToArray().Where((_, i) => i % 4 != 3).ToArray(); // stored RGB, alpha dropped
        Assert.That(rgb.Memory.ToArray(), Is.EqualTo(expected));

        (code, _, error) = CliRunner.Run("convert", png, Path.Combine(dir, "rgba.png"), "--keep-alpha");
        Assert.That(code, Is.Zero, error);
        Assert.That(ImageDecoder.Load(Path.Combine(dir, "rgba.png")).Memory.ToArray(), Is.EqualTo(source.Memory.ToArray()));
    }

    [Test]
    public void Convert_expands_gray_png_to_rgb()
    {
        string dir = RepoPaths.NewTempDirectory();
        string gray = WritePng(dir, "g.png", new ImageBuffer(new byte[] { 10, 200 }, 2, 1, PixelFormat.Gray8));
        (int code, _, string error) = CliRunner.Run("convert", gray, Path.Combine(dir, "rgb.png"));
        Assert.That(code, Is.Zero, error);
        Assert.That(ImageDecoder.Load(Path.Combine(dir, "rgb.png")).Memory.ToArray(), Is.EqualTo(new byte[] { 10, 10, 10, 200, 200, 200 }));
    }

    [TestCase("out.jpg", "JPEG")]
    [TestCase("out.JPEG", "JPEG")]
    [TestCase("out.webp", "WebP")]
    [TestCase("out.png", "PNG")]
    public void Convert_writes_the_format_the_extension_names(string name, string format)
    {
        string dir = RepoPaths.NewTempDirectory();
        string png = WritePng(dir, "in.png", Rgba(16, 8));
        (int code, _, string error) = CliRunner.Run("convert", png, Path.Combine(dir, name));
        Assert.That(code, Is.Zero, error);
        ImageInfo info = ImageDecoder.Identify(Path.Combine(dir, name));
        Assert.That((info.Format, info.Width, info.Height), Is.EqualTo((format, 16, 8)));
    }

    [Test]
    public void Convert_to_an_unknown_extension_exits_1_with_a_message()
    {
        string dir = RepoPaths.NewTempDirectory();
        string png = WritePng(dir, "in.png", Rgba(4, 4));
        (int code, _, string error) = CliRunner.Run("convert", png, Path.Combine(dir, "out.tiff"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain(".tiff").And.Contain(".png"));
    }

    [Test]
    public void Corrupt_or_missing_input_exits_1_with_one_line_reason()
    {
        string dir = RepoPaths.NewTempDirectory();
        string bad = Path.Combine(dir, "bad.png");
        File.WriteAllBytes(bad, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]);
        (int code, string output, string error) = CliRunner.Run("info", bad);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error.Trim(), Does.StartWith("handpose: PNG image:").And.Not.Contain("\n"));

        (code, _, error) = CliRunner.Run("convert", Path.Combine(dir, "missing.png"), Path.Combine(dir, "out.png"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("missing.png"));
    }

    /// <summary>Six encodings (PNG gray/RGB/RGBA, JPEG, WebP lossy and lossless) of a 24x16 picture.</summary>
    private static IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        ImageBuffer rgba = Rgba(24, 16);
        ImageBuffer rgb = ImageTransforms.ConvertFormat(rgba.AsView(), PixelFormat.Rgb24);
        yield return ("gray.png", ImageEncoder.EncodePng(ImageTransforms.ConvertFormat(rgba.AsView(), PixelFormat.Gray8).AsView()));
        yield return ("rgb.png", ImageEncoder.EncodePng(rgb.AsView()));
        yield return ("rgba.png", ImageEncoder.EncodePng(rgba.AsView()));
        yield return ("q90.jpg", ImageEncoder.Encode(rgb.AsView(), ImageFileFormat.Jpeg));
        yield return ("lossy.webp", ImageEncoder.Encode(rgb.AsView(), ImageFileFormat.Webp, 80));
        yield return ("lossless.webp", ImageEncoder.Encode(rgba.AsView(), ImageFileFormat.Webp, 100));
    }

    /// <summary>Six damages: empty, signature only, cut to a third, cut to two thirds, cut before the last 8 bytes' worth of pixels, junk before the signature.</summary>
    private static readonly (string Name, Func<byte[], byte[]> Damage)[] Damages =
    [
        ("empty", _ => []),
        ("signature", d => d[..4]),
        ("third", d => d[..(d.Length / 3)]),
        ("two_thirds", d => d[..(d.Length * 2 / 3)]),
        ("header_only", d => d[..Math.Min(d.Length - 1, 40)]),
        ("junk_prefix", d => [.. "JUNK"u8, .. d]),
    ];

    [Test]
    public void Thirty_six_corrupt_files_exit_1_with_a_message()
    {
        string dir = RepoPaths.NewTempDirectory();
        int count = 0;
        foreach ((string name, byte[] data) in Seeds())
        {
            Assert.That(ImageDecoder.Decode(data).Width, Is.EqualTo(24), $"{name} is a valid seed");
            foreach ((string damage, Func<byte[], byte[]> apply) in Damages)
            {
                string path = Path.Combine(dir, $"{damage}_{name}");
                File.WriteAllBytes(path, apply(data));
                (int code, string output, string error) = CliRunner.Run("convert", path, Path.Combine(dir, "out.png"));
                Assert.That(code, Is.EqualTo(1), $"{damage} {name}: {output}");
                Assert.That(error.Trim(), Does.Match(@"^handpose: \S+ image: .+").And.Not.Contain("\n"), $"{damage} {name}");
                count++;
            }
        }

        Assert.That(count, Is.EqualTo(36));
    }

    [Test]
    public void Missing_arguments_are_a_usage_error()
    {
        (int code, _, _) = CliRunner.Run("convert", "only-one.png");
        Assert.That(code, Is.EqualTo(2));
    }
}
