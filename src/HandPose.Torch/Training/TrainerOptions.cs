namespace HandPose.Torch.Training;

/// <summary>The optimiser a training run uses (TorchSharp's implementations).</summary>
public enum OptimizerKind
{
    /// <summary>Adam (β = 0.9, 0.999; ε = 1e-8).</summary>
    Adam = 0,

    /// <summary>AdamW (decoupled weight decay).</summary>
    AdamW = 1,

    /// <summary>SGD with momentum.</summary>
    Sgd = 2,
}

/// <summary>How the learning rate changes over epochs (stepped once per epoch).</summary>
public enum LearningRateSchedule
{
    /// <summary>Constant.</summary>
    Constant = 0,

    /// <summary>Multiplied by <see cref="TrainerOptions.Gamma"/> every <see cref="TrainerOptions.StepEpochs"/> epochs (StepLR).</summary>
    Step = 1,

    /// <summary>Cosine annealing from the initial rate to 0 over the run (CosineAnnealingLR, T_max = epochs).</summary>
    Cosine = 2,
}

/// <summary>Settings of a training run. Validated by <see cref="Trainer"/>.</summary>
public sealed class TrainerOptions
{
    /// <summary>The folder that receives metrics.jsonl, last.ckpt and best.pt (created if missing).</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Network input side in pixels (default 256).</summary>
    public int InputSize { get; init; } = 256;

    /// <summary>Epochs to train to (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Samples per step (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Initial learning rate; null takes the recipe's official one.</summary>
    public double? LearningRate { get; init; }

    /// <summary>The optimiser (default Adam, as every official recipe here).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>The schedule (default cosine).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Cosine;

    /// <summary>Epochs between decays of <see cref="LearningRateSchedule.Step"/> (default 30).</summary>
    public int StepEpochs { get; init; } = 30;

    /// <summary>Decay factor of <see cref="LearningRateSchedule.Step"/> (default 0.1).</summary>
    public double Gamma { get; init; } = 0.1;

    /// <summary>SGD momentum (default 0.9).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Weight decay (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Seed of initialisation, sample order and augmentation (default 1).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>libtorch's intra-op threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Loader worker threads (default 1).</summary>
    public int LoaderWorkers { get; init; } = 1;

    /// <summary>Batches each loader worker prepares ahead (default 3).</summary>
    public int Prefetch { get; init; } = 3;

    /// <summary>Checkpoint to resume from (<c>RUN/last.ckpt</c>), or null to start afresh.</summary>
    public string? ResumeFrom { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(OutputDirectory, nameof(OutputDirectory));
        ArgumentOutOfRangeException.ThrowIfLessThan(InputSize, 16, nameof(InputSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Epochs, 1, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (LearningRate is double lr && !(lr > 0 && double.IsFinite(lr)))
        {
            throw new ArgumentOutOfRangeException(nameof(LearningRate), lr, "Expected a positive learning rate.");
        }

        if (!Enum.IsDefined(Optimizer) || !Enum.IsDefined(Schedule))
        {
            throw new ArgumentOutOfRangeException(nameof(Optimizer), "Unknown optimizer or schedule.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(StepEpochs, 1, nameof(StepEpochs));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        ArgumentOutOfRangeException.ThrowIfLessThan(LoaderWorkers, 1, nameof(LoaderWorkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(Prefetch, 1, nameof(Prefetch));
    }
}
