using System.Diagnostics;
using HandPose.Testing;

namespace HandPose.Imaging.Tests;

/// <summary>Test data paths, random images and the Pillow helper.</summary>
internal static class Fixtures
{
    public static string Data(params string[] parts) => RepoPaths.Tests(["HandPose.Imaging.Tests", "TestData", .. parts]);

    public static ImageBuffer RandomImage(int width, int height, PixelFormat format, int seed)
    {
        var image = new ImageBuffer(width, height, format);
        new Random(seed).NextBytes(image.Memory.Span);
        return image;
    }

    /// <summary>A smooth test picture (gradients + a disc) so that interpolation errors show as real values.</summary>
    public static ImageBuffer SmoothImage(int width, int height, PixelFormat format)
    {
        var image = new ImageBuffer(width, height, format);
        int bpp = format.BytesPerPixel();
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = image.GetRowSpan(y);
            for (int x = 0; x < width; x++)
            {
                double d = Math.Sqrt(Math.Pow(x - (width * 0.4), 2) + Math.Pow(y - (height * 0.6), 2));
                for (int c = 0; c < bpp; c++)
                {
                    double v = c switch
                    {
                        0 => 255.0 * x / width,
                        1 => 255.0 * y / height,
                        2 => d < height / 4.0 ? 230 : 20,
                        _ => 128 + (100 * Math.Sin(x * 0.3)),
                    };
                    row[(x * bpp) + c] = (byte)Math.Clamp(Math.Round(v), 0, 255);
                }
            }
        }

        return image;
    }

    public static string Python => Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Runs a Python snippet with Debian's interpreter; returns stdout, fails the test on a non-zero exit.</summary>
    public static string RunPython(string script, params string[] args)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"python failed: {stderr}");
        return stdout;
    }
}
