using BenchmarkDotNet.Attributes;
using HandPose.Evaluation;

namespace HandPose.Benchmarks;

/// <summary>Evaluation over a validation-set-sized batch: 10,000 hands of 21 keypoints.</summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private Keypoint2D[][] _gt = [];
    private Keypoint2D[][] _pred = [];
    private double[] _norms = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _gt = Enumerable.Range(0, 10_000).Select(_ => Enumerable.Range(0, 21).Select(_ => new Keypoint2D(rng.NextSingle() * 200, rng.NextSingle() * 200)).ToArray()).ToArray();
        _pred = _gt.Select(h => h.Select(k => new Keypoint2D(k.X + (rng.NextSingle() * 10) - 5, k.Y + (rng.NextSingle() * 10) - 5)).ToArray()).ToArray();
        _norms = Enumerable.Repeat(200.0, _gt.Length).ToArray();
    }

    [Benchmark]
    public double Pck() => PoseMetrics.Pck(_pred, _gt, _norms, 0.05).Average;

    [Benchmark]
    public double Epe() => PoseMetrics.EndPointError(_pred, _gt);

    [Benchmark]
    public double Auc() => PoseMetrics.Auc(_pred, _gt);
}
