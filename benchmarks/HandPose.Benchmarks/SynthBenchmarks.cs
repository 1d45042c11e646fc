using BenchmarkDotNet.Attributes;
using HandPose.Synthetic;

namespace HandPose.Benchmarks;

/// <summary>
/// Synthetic samples (RGB + depth + mask + labels, default options) at 128, 256 and 320 px: one sample on one core,
/// and a batch of 64 over all cores (samples/s = 64 / batch time). Target: 250 samples/s at 256 px on 2 cores.
/// </summary>
[MemoryDiagnoser]
public class SynthBenchmarks
{
    private const int Batch = 64;
    private HandSampler _sampler = null!;
    private int _next;

    [Params(128, 256, 320)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup() => _sampler = new HandSampler(1, new SyntheticOptions { Size = Size });

    /// <summary>One sample on the calling thread (indices cycle through 256 different hands).</summary>
    [Benchmark]
    public SyntheticSample OneSample() => _sampler.Sample(_next++ & 255);

    /// <summary>64 samples on all cores.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void AllCores() => Parallel.For(0, Batch, i => _sampler.Sample(i));
}
