using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HandPose.Imaging;

namespace HandPose.Benchmarks;

/// <summary>
/// Decoding a 1920x1280 4:2:0 baseline JPEG (quality 90) through <see cref="ImageDecoder"/> (SkiaSharp), single thread;
/// <c>SkiaRgbaOnly</c> is SkiaSharp's decode alone into a preallocated RGBA buffer (the cost of packing to Rgb24 and
/// allocating the result is the difference). The global setup also measures Pillow's
/// decode of the same file (Debian python3-pil, i.e. libjpeg-turbo 2.1.5 with its SIMD) interleaved with ours, round
/// by round, so a busy machine slows both sides alike; it prints both and the ratio.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class JpegDecodeBenchmarks
{
    private const int Rounds = 25;
    private const int DecodesPerRound = 10;
    private byte[] _jpeg = [];

    [GlobalSetup]
    public void Setup()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "thumbs_up_1920x1280_q90_420.jpg");
        _jpeg = File.ReadAllBytes(path);
        Console.WriteLine($"// JPEG side by side: {SideBySide(path)}");
    }

    [Benchmark]
    public int Decode() => ImageDecoder.Decode(_jpeg).Width;

    [Benchmark]
    public unsafe int SkiaRgbaOnly()
    {
        fixed (byte* p = _jpeg)
        {
            using var data = SkiaSharp.SKData.Create((IntPtr)p, _jpeg.Length);
            using var codec = SkiaSharp.SKCodec.Create(data);
            var info = new SkiaSharp.SKImageInfo(codec.Info.Width, codec.Info.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Unpremul);
            _rgba ??= new byte[info.BytesSize];
            fixed (byte* d = _rgba)
            {
                return (int)codec.GetPixels(info, (IntPtr)d);
            }
        }
    }

    private byte[]? _rgba;

    [Benchmark]
    public int Identify() => ImageDecoder.Identify(_jpeg).Width;

    private string SideBySide(string path)
    {
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        string script = Path.Combine(AppContext.BaseDirectory, "tools", "pillow_jpeg_decode.py");
        var psi = new ProcessStartInfo(python, [script, path, "--serve"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process p = Process.Start(psi)!;
        string? version = p.StandardOutput.ReadLine();
        if (version is null)
        {
            return $"Pillow unavailable: {p.StandardError.ReadToEnd()}";
        }

        for (int i = 0; i < 20; i++)
        {
            _ = Decode(); // warm up (tiered JIT) before the measured rounds
        }

        var ours = new List<double>();
        var pillow = new List<double>();
        for (int round = 0; round < Rounds; round++)
        {
            p.StandardInput.WriteLine(DecodesPerRound.ToString(CultureInfo.InvariantCulture));
            p.StandardInput.Flush();
            pillow.Add(double.Parse(p.StandardOutput.ReadLine()!, CultureInfo.InvariantCulture));
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < DecodesPerRound; i++)
            {
                _ = Decode();
            }

            ours.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / DecodesPerRound);
        }

        p.StandardInput.Close();
        p.WaitForExit();
        double oursMedian = Median(ours), pillowMedian = Median(pillow);
        return string.Create(CultureInfo.InvariantCulture,
            $"HandPose (SkiaSharp) median {oursMedian:F2} ms (min {ours.Min():F2}), Pillow {version} median {pillowMedian:F2} ms (min {pillow.Min():F2}); ratio of medians {oursMedian / pillowMedian:F2}, of minima {ours.Min() / pillow.Min():F2} ({Rounds} interleaved rounds of {DecodesPerRound} decodes)");
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
