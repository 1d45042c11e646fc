namespace HandPose.Onnx.Runtime;

/// <summary>How an <see cref="OnnxSession"/> is created. Every property has a documented default.</summary>
public sealed class OnnxSessionOptions
{
    /// <summary>Threads used inside one operator (e.g. a convolution). Default 0: ONNX Runtime picks (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads used to run independent operators at the same time when <see cref="ParallelExecution"/> is on. Default 0: ONNX Runtime picks.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>Run independent branches of the graph in parallel. Default <see langword="false"/> (sequential, usually fastest for CNNs).</summary>
    public bool ParallelExecution { get; init; }

    /// <summary>
    /// Whether idle worker threads busy-wait for work. Default <see cref="OnnxThreadSpinning.Always"/> (ONNX Runtime's own
    /// default). Matters only with more than one thread; see <see cref="OnnxThreadSpinning"/> for when to change it.
    /// </summary>
    public OnnxThreadSpinning Spinning { get; init; } = OnnxThreadSpinning.Always;

    /// <summary>Graph optimisation level. Default <see cref="OnnxGraphOptimization.All"/>.</summary>
    public OnnxGraphOptimization Optimization { get; init; } = OnnxGraphOptimization.All;

    /// <summary>The execution provider. Default <see cref="OnnxExecutionProvider.Cpu"/>; there is no silent fallback to the CPU when the provider is missing.</summary>
    public OnnxExecutionProvider ExecutionProvider { get; init; } = OnnxExecutionProvider.Cpu;

    /// <summary>The GPU index for <see cref="OnnxExecutionProvider.Cuda"/> and <see cref="OnnxExecutionProvider.DirectML"/>. Default 0.</summary>
    public int DeviceId { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(IntraOpThreads, nameof(IntraOpThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(InterOpThreads, nameof(InterOpThreads));
        ArgumentOutOfRangeException.ThrowIfNegative(DeviceId, nameof(DeviceId));
        if (!Enum.IsDefined(Optimization))
        {
            throw new ArgumentOutOfRangeException(nameof(Optimization), Optimization, "Not a graph optimisation level.");
        }

        if (!Enum.IsDefined(Spinning))
        {
            throw new ArgumentOutOfRangeException(nameof(Spinning), Spinning, "Not a thread spinning mode.");
        }

        if (!Enum.IsDefined(ExecutionProvider))
        {
            throw new ArgumentOutOfRangeException(nameof(ExecutionProvider), ExecutionProvider, "Not an execution provider.");
        }
    }
}
