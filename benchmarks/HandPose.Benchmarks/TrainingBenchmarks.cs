using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HandPose.Datasets.Training;
using HandPose.Synthetic;
using HandPose.Torch.Models;
using HandPose.Torch.Training;

namespace HandPose.Benchmarks;

/// <summary>
/// The training loop's two halves at <c>handpose train --input-size 128 --batch 16</c>: one loader batch (crop,
/// rotation/scale/shift/flip, colour, blur, noise, 21 Gaussian heatmaps of 32×32, from cached synthetic renderings)
/// on one thread, against one Simple Baselines ResNet-18 training step (forward, JointsMSE, backward, Adam) on 2
/// libtorch threads. The loader keeps the step fed when its batch takes less than the step (one worker thread).
/// </summary>
[Config(typeof(Config))]
public class TrainingBenchmarks
{
    private const int Size = 128, Batch = 16;
    private HandBatchLoader _loader = null!;
    private Trainer _trainer = null!;
    private TrainingBatch _batch = null!;
    private int _next;

    /// <summary>In-process, 1 warm-up and 10 measured iterations (a step takes about a second).</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(10));
    }

    [GlobalSetup]
    public void Setup()
    {
        var recipe = new SimpleBaselineRecipe();
        TrainingSource source = TrainingSource.Synthetic(new HandSampler(1, new SyntheticOptions { Size = Size }), 256);
        _loader = new HandBatchLoader(source, new SamplePipeline(Size, recipe.Targets(Size)), Batch, 1, training: true, workers: 1);
        foreach (TrainingBatch _ in _loader.Epoch(0))
        {
            // renders and caches the 256 synthetic images, as the first epoch of a run does
        }

        _batch = _loader.Build(1, 0);
        _trainer = new Trainer(TorchArchitectures.Get("simplebaseline-resnet18"), new TrainerOptions { OutputDirectory = Path.GetTempPath(), InputSize = Size, BatchSize = Batch, Threads = 2 });
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    /// <summary>One augmented batch of 16 with heatmap targets, on the calling thread.</summary>
    [Benchmark]
    public TrainingBatch LoaderBatch16() => _loader.Build(2, _next++ % _loader.BatchesPerEpoch);

    /// <summary>One training step at batch 16 (2 libtorch threads).</summary>
    [Benchmark]
    public double TrainStepBatch16() => _trainer.StepForBenchmark(_batch);
}
