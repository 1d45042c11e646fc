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
    public void Convert_expands_gray_pgm_to_rgb()
    {
        string dir = RepoPaths.NewTempDirectory();
        string pgm = Path.Combine(dir, "g.pgm");
        File.WriteAllBytes(pgm, [.. "P5 2 1 255\n"u8, 10, 200]);
        (int code, _, string error) = CliRunner.Run("convert", pgm, Path.Combine(dir, "g.png"));
        Assert.That(code, Is.Zero, error);
        Assert.That(ImageDecoder.Load(Path.Combine(dir, "g.png")).Memory.ToArray(), Is.EqualTo(new byte[] { 10, 10, 10, 200, 200, 200 }));
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

    [Test]
    public void Missing_arguments_are_a_usage_error()
    {
        (int code, _, _) = CliRunner.Run("convert", "only-one.png");
        Assert.That(code, Is.EqualTo(2));
    }
}
