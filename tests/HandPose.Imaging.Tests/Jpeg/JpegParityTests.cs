
namespace HandPose.Imaging.Tests.Jpeg;

/// <summary>
/// Pixel parity of the JPEG path of <see cref="ImageDecoder"/> (SkiaSharp) with libjpeg-turbo's djpeg (default
/// settings): every pixel within 1 level and at least 99% identical (the acceptance of issue #14).
/// </summary>
[TestFixture]
public sealed class JpegParityTests
{
    private static IEnumerable<string> Photos() => JpegReference.Photos();

    /// <summary>cjpeg switches of every variant the acceptance names.</summary>
    private static readonly string[] Variants =
    [
        "-quality 75 -sample 1x1",
        "-quality 75 -sample 2x1",
        "-quality 75 -sample 2x2",
        "-quality 75 -sample 1x2",
        "-quality 75 -sample 4x1",
        "-quality 85 -progressive",
        "-quality 85 -progressive -sample 1x1",
        "-quality 85 -progressive -sample 2x1",
        "-quality 85 -progressive -sample 1x2",
        "-quality 85 -restart 1",
        "-quality 85 -restart 3B -sample 2x1",
        "-quality 85 -restart 2 -progressive",
        "-quality 85 -grayscale",
        "-quality 85 -grayscale -progressive",
        "-quality 85 -optimize",
        "-quality 50",
        "-quality 90",
        "-quality 95",
        "-quality 100 -sample 1x1",
        "-rgb -quality 90",
        "-quality 80 -sample 2x2,1x1,1x1 -dct int",
        "-quality 80 -sample 1x1,2x2,1x1",
    ];

    /// <summary>Crops of the first photo: degenerate sizes, odd sizes and the whole picture.</summary>
    private static readonly (int W, int H)[] Sizes = [(1, 1), (2, 3), (3, 2), (5, 7), (17, 9), (33, 31), (301, 197), (720, 382)];

    [TestCaseSource(nameof(Photos))]
    public void Decode_photo_matches_djpeg(string name)
    {
        JpegReference.RequireTools();
        byte[] jpeg = File.ReadAllBytes(JpegReference.Fixture(name));
        Parity parity = Parity.Of(ImageDecoder.Decode(jpeg), JpegReference.Djpeg(jpeg));
        parity.AssertAcceptable(name);
    }

    /// <summary>Scan scripts (cjpeg -scans): non-interleaved sequential scans, and a progressive script whose DC is interleaved and refined.</summary>
    private static readonly string[] ScanScripts =
    [
        "0;\n1;\n2;\n",
        "0 1 2: 0 0 0 2;\n0: 1 5 0 1;\n2: 1 63 0 0;\n1: 1 63 0 0;\n0: 6 63 0 1;\n0 1 2: 0 0 2 1;\n0 1 2: 0 0 1 0;\n0: 1 63 1 0;\n",
    ];

    [TestCaseSource(nameof(ScanScripts))]
    public void Decode_cjpeg_scan_script_matches_djpeg(string script)
    {
        JpegReference.RequireTools();
        string path = Path.Combine(HandPose.Testing.RepoPaths.NewTempDirectory(), "scans.txt");
        File.WriteAllText(path, script);
        Decode_cjpeg_variant_matches_djpeg($"-quality 85 -sample 2x2 -scans {path}");
    }

    [TestCaseSource(nameof(Variants))]
    public void Decode_cjpeg_variant_matches_djpeg(string switches)
    {
        JpegReference.RequireTools();
        Pnm source = JpegReference.Djpeg(File.ReadAllBytes(JpegReference.Fixture("two_hands_tfjs.jpg")));
        if (switches.Contains("-grayscale", StringComparison.Ordinal))
        {
            // Grayscale output must come back as Gray8.
            Assert.That(source.Channels, Is.EqualTo(3));
        }

        long identical = 0, total = 0;
        int max = 0;
        foreach ((int w, int h) in Sizes)
        {
            Pnm crop = source.Crop((source.Width - w) / 3, (source.Height - h) / 2, w, h);
            byte[] jpeg = JpegReference.Cjpeg(crop, switches);
            Parity p = Parity.Of(ImageDecoder.Decode(jpeg), JpegReference.Djpeg(jpeg));
            p.AssertAcceptable($"{switches} {w}x{h}");
            identical += (long)Math.Round(p.IdenticalFraction * p.Count);
            total += p.Count;
            max = Math.Max(max, p.MaxDiff);
        }

        TestContext.Out.WriteLine($"PARITY {switches}: identical {(double)identical / total:P4}, max diff {max}");
    }
}
