using System.Diagnostics;
using System.Text;
using HandPose.Testing;

namespace HandPose.Imaging.Tests.Jpeg;

/// <summary>libjpeg-turbo's command-line tools (Debian libjpeg-turbo-progs) as the independent reference.</summary>
internal static class JpegReference
{
    public static string Fixture(string name) => RepoPaths.Tests("HandPose.Imaging.Tests", "TestData", "jpeg", name);

    public static IEnumerable<string> Photos() =>
        Directory.GetFiles(RepoPaths.Tests("HandPose.Imaging.Tests", "TestData", "jpeg"), "*.jpg").Select(Path.GetFileName).Where(n => !n!.StartsWith("reject_", StringComparison.Ordinal)).Order()!;

    /// <summary>Fails (CI) or ignores (IDE without setup) when djpeg/cjpeg are missing.</summary>
    public static void RequireTools()
    {
        bool ok = File.Exists("/usr/bin/djpeg") && File.Exists("/usr/bin/cjpeg");
        NativeRequirement.Require(ok, "libjpeg-turbo-progs (djpeg/cjpeg)", "expected /usr/bin/djpeg and /usr/bin/cjpeg; scripts/setup.d/15-test-tools.sh installs them");
    }

    /// <summary>djpeg with default settings, PPM/PGM output parsed.</summary>
    public static Pnm Djpeg(byte[] jpeg) => Pnm.Parse(Run("/usr/bin/djpeg", "-ppm", jpeg));

    /// <summary>cjpeg of a PNM image with the given switches.</summary>
    public static byte[] Cjpeg(Pnm image, string switches) => Run("/usr/bin/cjpeg", switches, image.Encode());

    private static byte[] Run(string tool, string args, byte[] input)
    {
        var psi = new ProcessStartInfo(tool, args)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        Task copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        p.StandardInput.BaseStream.Write(input);
        p.StandardInput.Close();
        copy.Wait();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {args} failed ({p.ExitCode}): {err.Result}");
        }

        return output.ToArray();
    }
}

/// <summary>A binary PPM (P6) or PGM (P5) image with 8-bit samples.</summary>
internal sealed record Pnm(int Width, int Height, int Channels, byte[] Pixels)
{
    public static Pnm Parse(byte[] data)
    {
        int pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)data[pos]))
            {
                pos++;
            }

            int start = pos;
            while (!char.IsWhiteSpace((char)data[pos]))
            {
                pos++;
            }

            return Encoding.ASCII.GetString(data, start, pos - start);
        }

        static int Num(string s) => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        string magic = Token();
        int w = Num(Token()), h = Num(Token()), max = Num(Token());
        pos++;
        Assert.That(max, Is.EqualTo(255));
        int channels = magic == "P6" ? 3 : 1;
        return new Pnm(w, h, channels, data.AsSpan(pos, w * h * channels).ToArray());
    }

    public byte[] Encode()
    {
        byte[] header = Encoding.ASCII.GetBytes($"{(Channels == 3 ? "P6" : "P5")}\n{Width} {Height}\n255\n");
        return [.. header, .. Pixels];
    }

    public Pnm Crop(int x, int y, int w, int h)
    {
        var pixels = new byte[w * h * Channels];
        for (int r = 0; r < h; r++)
        {
            Pixels.AsSpan((((y + r) * Width) + x) * Channels, w * Channels).CopyTo(pixels.AsSpan(r * w * Channels));
        }

        return new Pnm(w, h, Channels, pixels);
    }
}

/// <summary>How far a decode is from the reference.</summary>
internal readonly record struct Parity(double IdenticalFraction, int MaxDiff, long Count)
{
    public static Parity Of(ImageBuffer actual, Pnm expected)
    {
        Assert.That((actual.Width, actual.Height, actual.Format.BytesPerPixel()), Is.EqualTo((expected.Width, expected.Height, expected.Channels)), "geometry");
        ReadOnlySpan<byte> a = actual.Memory.Span;
        long same = 0;
        int max = 0;
        for (int i = 0; i < expected.Pixels.Length; i++)
        {
            int d = Math.Abs(a[i] - expected.Pixels[i]);
            same += d == 0 ? 1 : 0;
            max = Math.Max(max, d);
        }

        return new Parity((double)same / expected.Pixels.Length, max, expected.Pixels.Length);
    }

    public void AssertAcceptable(string what)
    {
        TestContext.Out.WriteLine($"{what}: identical {IdenticalFraction:P4}, max diff {MaxDiff}");
        Assert.That(MaxDiff, Is.LessThanOrEqualTo(1), $"{what}: max difference to djpeg");
        Assert.That(IdenticalFraction, Is.GreaterThanOrEqualTo(0.99), $"{what}: fraction identical to djpeg");
    }
}
