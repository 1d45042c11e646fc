using System.Globalization;
using System.IO.Compression;

namespace HandPose.Imaging.Tests;

/// <summary>
/// The SkiaSharp path against Pillow (Debian python3-pil 9.4): EXIF orientation vs <c>ImageOps.exif_transpose</c> on all
/// 8 orientations, WebP decoding, and the files our encoders write read back by Pillow; plus the memory bound.
/// </summary>
public sealed class CodecTests
{
    private static int MaxDiff(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        Assert.That(a.Length, Is.EqualTo(b.Length), "byte count");
        int max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    [TestCase(1, 24, 16)]
    [TestCase(2, 24, 16)]
    [TestCase(3, 24, 16)]
    [TestCase(4, 24, 16)]
    [TestCase(5, 16, 24)]
    [TestCase(6, 16, 24)]
    [TestCase(7, 16, 24)]
    [TestCase(8, 16, 24)]
    public void Exif_orientation_matches_pillow_exif_transpose(int orientation, int width, int height)
    {
        byte[] jpeg = File.ReadAllBytes(Fixtures.Data("exif", $"orient{orientation}.jpg"));
        byte[] expected = File.ReadAllBytes(Fixtures.Data("exif", $"orient{orientation}.raw"));
        Assert.That(ImageDecoder.Identify(jpeg).Orientation, Is.EqualTo(orientation));

        ImageBuffer stored = ImageDecoder.Decode(jpeg);
        Assert.That((stored.Width, stored.Height), Is.EqualTo((24, 16)), "not turned unless asked");
        ImageBuffer upright = ImageDecoder.Decode(jpeg, new ImageDecoderOptions { ApplyExifOrientation = true });
        Assert.That((upright.Format, upright.Width, upright.Height), Is.EqualTo((PixelFormat.Rgb24, width, height)));
        Assert.That(MaxDiff(upright.Memory.Span, expected), Is.LessThanOrEqualTo(1), "max difference to Pillow");
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
    public void Orientation_Apply_turns_the_image_upright(int orientation, int width, byte[] expected)
    {
        var image = new ImageBuffer(new byte[] { 1, 2, 3, 4, 5, 6 }, 3, 2, PixelFormat.Gray8);
        ImageBuffer result = Orientation.Apply(image, orientation);
        Assert.That(result.Width, Is.EqualTo(width));
        Assert.That(result.Memory.ToArray(), Is.EqualTo(expected));
    }

    [TestCase("lossy_q80", PixelFormat.Rgb24)]
    [TestCase("lossless_rgb", PixelFormat.Rgb24)]
    [TestCase("lossless_rgba", PixelFormat.Rgba32)]
    public void Webp_matches_pillow_within_one_level(string name, PixelFormat format)
    {
        byte[] webp = File.ReadAllBytes(Fixtures.Data("webp", name + ".webp"));
        ImageInfo info = ImageDecoder.Identify(webp);
        Assert.That((info.Format, info.Width, info.Height), Is.EqualTo(("WebP", 32, 24)));
        ImageBuffer image = ImageDecoder.Decode(webp);
        Assert.That(image.Format, Is.EqualTo(format));
        Assert.That(MaxDiff(image.Memory.Span, File.ReadAllBytes(Fixtures.Data("webp", name + ".raw"))), Is.LessThanOrEqualTo(1));
    }

    private const string PillowRaw = "import sys; from PIL import Image; im = Image.open(sys.argv[1]); im.load(); sys.stdout.write(im.format + ' ' + im.mode + ' ' + im.tobytes().hex())";

    private static (string Format, string Mode, byte[] Pixels) Pillow(byte[] file)
    {
        string path = Path.Combine(HandPose.Testing.RepoPaths.NewTempDirectory(), "image.bin");
        File.WriteAllBytes(path, file);
        string[] parts = Fixtures.RunPython(PillowRaw, path).Split(' ');
        return (parts[0], parts[1], Convert.FromHexString(parts[2]));
    }

    [TestCase(PixelFormat.Gray8, "L")]
    [TestCase(PixelFormat.Rgb24, "RGB")]
    [TestCase(PixelFormat.Rgba32, "RGBA")]
    public void Png_and_lossless_webp_read_back_exactly_by_pillow(PixelFormat format, string mode)
    {
        ImageBuffer image = Fixtures.RandomImage(37, 23, format, seed: 5);
        Assert.That(Pillow(ImageEncoder.EncodePng(image.AsView(), CompressionLevel.SmallestSize)), Is.EqualTo(("PNG", mode, image.Memory.ToArray())).Using<(string, string, byte[])>((a, b) => a.Item1 == b.Item1 && a.Item2 == b.Item2 && a.Item3.AsSpan().SequenceEqual(b.Item3)));
        if (format != PixelFormat.Gray8)
        {
            (string f, string m, byte[] pixels) = Pillow(ImageEncoder.Encode(image.AsView(), ImageFileFormat.Webp, 100));
            Assert.That((f, m), Is.EqualTo(("WEBP", mode)));
            byte[] expected = image.Memory.ToArray();
            if (format == PixelFormat.Rgba32)
            {
                // libwebp's lossless encoder does not keep the colour of fully transparent pixels (its "exact" option is off).
                for (int i = 0; i < expected.Length; i += 4)
                {
                    if (expected[i + 3] == 0)
                    {
                        expected.AsSpan(i, 3).Clear();
                        pixels.AsSpan(i, 3).Clear();
                    }
                }
            }

            Assert.That(pixels, Is.EqualTo(expected), "lossless WebP");
        }
    }

    [Test]
    public void Jpeg_quality_trades_size_for_error_as_pillow_decodes_it()
    {
        var image = new ImageBuffer(64, 48, PixelFormat.Rgb24);
        for (int y = 0; y < 48; y++)
        {
            for (int x = 0; x < 64; x++)
            {
                image.GetRowSpan(y)[x * 3] = (byte)(x * 4);
                image.GetRowSpan(y)[(x * 3) + 1] = (byte)(y * 5);
                image.GetRowSpan(y)[(x * 3) + 2] = (byte)(128 + (60 * Math.Sin((x + y) * 0.2)));
            }
        }

        double previousError = double.MaxValue;
        int previousSize = 0;
        foreach (int quality in new[] { 30, 70, 95 })
        {
            byte[] jpeg = ImageEncoder.Encode(image.AsView(), ImageFileFormat.Jpeg, quality);
            (string format, string mode, byte[] pixels) = Pillow(jpeg);
            Assert.That((format, mode), Is.EqualTo(("JPEG", "RGB")));
            double mse = image.Memory.ToArray().Zip(pixels, (a, b) => (double)(a - b) * (a - b)).Average();
            TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"q{quality}: {jpeg.Length} bytes, MSE {mse:F2}"));
            Assert.That(mse, Is.LessThan(previousError));
            Assert.That(jpeg.Length, Is.GreaterThan(previousSize));
            previousError = mse;
            previousSize = jpeg.Length;
        }

        Assert.That(previousError, Is.LessThan(12), "quality 95 is close (PSNR > 37 dB)");
    }

    [Test]
    public void Gray16_png_reads_back_exactly_by_pillow()
    {
        ushort[] depth = new ushort[13 * 7];
        for (int i = 0; i < depth.Length; i++)
        {
            depth[i] = (ushort)((i * 7919) + (i == 5 ? 65535 : 0));
        }

        using var ms = new MemoryStream();
        ImageEncoder.WritePngGray16(depth, 13, 7, ms);
        (string format, string mode, byte[] pixels) = Pillow(ms.ToArray());
        Assert.That((format, mode), Is.EqualTo(("PNG", "I"))); // Pillow 9 opens 16-bit gray as 32-bit integers
        int[] read = new int[depth.Length];
        Buffer.BlockCopy(pixels, 0, read, 0, pixels.Length);
        Assert.That(read, Is.EqualTo(depth.Select(d => (int)d).ToArray()));
        Assert.Throws<ArgumentException>(() => ImageEncoder.WritePngGray16(depth, 13, 8, Stream.Null));
    }

    [Test]
    public void Save_chooses_the_format_by_extension_and_rejects_others()
    {
        string dir = HandPose.Testing.RepoPaths.NewTempDirectory();
        ImageBuffer image = Fixtures.SmoothImage(20, 10, PixelFormat.Rgba32);
        foreach ((string ext, string format) in new[] { (".png", "PNG"), (".jpg", "JPEG"), (".jpeg", "JPEG"), (".webp", "WebP") })
        {
            string path = Path.Combine(dir, "a" + ext);
            ImageEncoder.Save(image.AsView(), path);
            Assert.That(ImageDecoder.Identify(path).Format, Is.EqualTo(format));
        }

        ArgumentException e = Assert.Throws<ArgumentException>(() => ImageEncoder.Save(image.AsView(), Path.Combine(dir, "a.bmp")))!;
        Assert.That(e.Message, Does.Contain(".bmp"));
    }

    [Test]
    public void Decoding_and_preprocessing_a_10000x10000_16_bit_png_stays_within_twice_the_rgba_size()
    {
        const int N = 10000;
        // RGB, 16 bits per sample: row 0 a gradient (filter None), every later row a copy of it (filter Up, all zeros).
        byte[] png = PngBuilder.Build(N, N, 16, 2, zs =>
        {
            byte[] row = new byte[1 + (N * 6)];
            for (int i = 1; i < row.Length; i++)
            {
                row[i] = (byte)(i * 31);
            }

            zs.Write(row);
            Array.Clear(row);
            row[0] = 2;
            for (int y = 1; y < N; y++)
            {
                zs.Write(row);
            }
        });

        long rgbaBytes = 4L * N * N;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        ImageBuffer image = ImageDecoder.Decode(png);
        float[] tensor = new float[256 * 256 * 3];
        ImageTransforms.LetterboxToTensor(image.AsView(), 256, 256, tensor);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated {allocated / 1e6:F1} MB; 8-bit RGBA would be {rgbaBytes / 1e6:F0} MB"));
        Assert.That((image.Format, image.Width, image.Height), Is.EqualTo((PixelFormat.Rgb24, N, N)));
        Assert.That(image.GetRowSpan(N - 1)[..6].ToArray(), Is.EqualTo(image.GetRowSpan(0)[..6].ToArray()));
        Assert.That(allocated, Is.LessThanOrEqualTo(2 * rgbaBytes));
        Assert.That(allocated, Is.LessThan((3L * N * N) + (8 << 20)), "the Rgb24 result and the tensor, no full-size intermediate");
    }
}
