using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HandPose.Imaging;
using HandPose.Imaging.Jpeg;

namespace HandPose.Benchmarks;

/// <summary>
/// Decoding a 1920x1280 4:2:0 baseline JPEG (quality 90), single thread. The global setup also times Pillow's decode
/// of the same file (Debian python3-pil, i.e. libjpeg-turbo 2.1.5 with its SIMD) and prints it, so both numbers come
/// from the same run on the same machine.
/// </summary>
[MemoryDiagnoser]
public class JpegDecodeBenchmarks
{
    private byte[] _jpeg = [];

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "thumbs_up_1920x1280_q90_420.jpg");
        _jpeg = File.ReadAllBytes(path);
        Console.WriteLine($"// Pillow (libjpeg-turbo) decode of the same file, ms (median min version): {Pillow(path)}");
    }

    [Benchmark]
    public int Decode() => JpegDecoder.Decode(_jpeg, ImageDecoderOptions.Default).Width;

    [Benchmark]
    public int Identify() => JpegDecoder.Identify(_jpeg).Width;

    private static string Pillow(string path)
    {
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        string script = Path.Combine(AppContext.BaseDirectory, "tools", "pillow_jpeg_decode.py");
        var psi = new ProcessStartInfo(python, [script, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : string.Create(CultureInfo.InvariantCulture, $"unavailable (exit {p.ExitCode}: {p.StandardError.ReadToEnd()})");
    }
}
