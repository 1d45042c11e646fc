using HandPose.Structure.Codecs;
using BenchmarkDotNet.Attributes;
using HandPose.Structure;

namespace HandPose.Benchmarks;

/// <summary>
/// NSRM training targets for one hand (c02_random of the golden set, scaled to the map), the scalar reference path,
/// a batch of 256 hands over all cores and serially, and zero-filling the same output (the memory floor).
/// The official Python code (nsrm.md §12, 46×46): LDM G1+G6 0.87 ms, LPM G1+G6 1.51 ms, 21 heatmaps 0.32–0.39 ms.
/// </summary>
[MemoryDiagnoser]
public class MaskBenchmarks
{
    private static readonly double[] Hand46 =
    [
        14.4309, 13.0487, 19.9180, 12.7057, 25.9318, 12.5712, 29.7066, 13.5093, 32.6345, 14.9201, 22.8430, 20.7445,
        26.2336, 23.3247, 28.4497, 24.8317, 30.4657, 26.3784, 17.6732, 22.7428, 19.6880, 27.9464, 20.7853, 30.4904,
        21.8937, 33.0601, 14.3771, 23.5481, 14.2171, 28.1691, 14.1445, 31.1997, 13.9965, 33.4288, 13.4091, 22.8881,
        13.3656, 26.4563, 13.5459, 28.5248, 13.7224, 30.4164,
    ];

    private const int BatchSize = 256;

    private double[] _hand = [];
    private double[] _batch = [];
    private float[] _heatmaps = [];
    private float[] _masks = [];
    private float[] _batchMasks = [];
    private GaussianHeatmapRenderer _heatmapRenderer = null!;
    private LimbDeterministicMaskRenderer _ldm = null!;
    private LimbProbabilisticMaskRenderer _lpm = null!;
    private LimbProbabilisticMaskRenderer _lpmPaper = null!;

    [Params(46, 64)]
    public int MapSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        double scale = MapSize / 46.0;
        _hand = Hand46.Select(v => v * scale).ToArray();
        var rng = new Random(1);
        _batch = new double[BatchSize * 42];
        for (int h = 0; h < BatchSize; h++)
        {
            double dx = (rng.NextDouble() - 0.5) * 8 * scale;
            double dy = (rng.NextDouble() - 0.5) * 8 * scale;
            for (int i = 0; i < 42; i++)
            {
                _batch[(h * 42) + i] = _hand[i] + (i % 2 == 0 ? dx : dy) + ((rng.NextDouble() - 0.5) * scale);
            }
        }

        _heatmapRenderer = new GaussianHeatmapRenderer(KeypointSchema.Hand21, MapSize, MapSize);
        _ldm = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, MapSize, MapSize, LimbGrouping.G1G6, 1.0, StructureVariant.OfficialCode);
        _lpm = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, MapSize, MapSize, LimbGrouping.G1G6, 1.0, StructureVariant.OfficialCode);
        _lpmPaper = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, MapSize, MapSize);
        _heatmaps = new float[_heatmapRenderer.OutputLength];
        _masks = new float[_lpm.OutputLength];
        _batchMasks = new float[BatchSize * _lpm.OutputLength];
    }

    [Benchmark]
    public void Heatmaps() => _heatmapRenderer.Render(_hand, _heatmaps);

    [Benchmark]
    public void LdmG1G6() => _ldm.Render(_hand, _masks);

    [Benchmark]
    public void LpmG1G6() => _lpm.Render(_hand, _masks);

    [Benchmark]
    public void LpmG1G6Paper() => _lpmPaper.Render(_hand, _masks);

    [Benchmark]
    public void HeatmapsScalarReference() => _heatmapRenderer.RenderCore(_hand, _heatmaps, 0);

    [Benchmark]
    public void LdmG1G6ScalarReference() => _ldm.RenderCore(_hand, _masks, 0);

    [Benchmark]
    public void LpmG1G6ScalarReference() => _lpm.RenderCore(_hand, _masks, 0);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void LpmG1G6Batch256AllCores() => _lpm.RenderBatch(_batch, _batchMasks);

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void LpmG1G6Batch256OneCore() => _lpm.RenderBatch(_batch, _batchMasks, maxDegreeOfParallelism: 1);

    [Benchmark]
    public void ZeroFill21Heatmaps() => _heatmaps.AsSpan().Clear();

    [Benchmark]
    public void ZeroFill7Masks() => _masks.AsSpan().Clear();

    /// <summary>The memory floor of the batch: zero-filling its 256 outputs, time per hand.</summary>
    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void ZeroFill7MasksBatch256() => _batchMasks.AsSpan().Clear();
}
