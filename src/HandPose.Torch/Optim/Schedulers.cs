namespace HandPose.Torch.Optim;

/// <summary>Sets an optimizer's learning rate per epoch (closed forms of PyTorch's schedulers). Call <see cref="Step"/> once per epoch.</summary>
public abstract class LearningRateScheduler
{
    /// <summary>Creates the scheduler and applies the epoch-0 rate.</summary>
    /// <param name="optimizer">The optimizer.</param>
    protected LearningRateScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        BaseLearningRate = optimizer.InitialLearningRate;
    }

    /// <summary>The optimizer driven.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The rate at epoch 0.</summary>
    public double BaseLearningRate { get; }

    /// <summary>Epochs completed.</summary>
    public int Epoch { get; private set; }

    /// <summary>Advances one epoch and sets the optimizer's rate.</summary>
    public void Step() => SetEpoch(Epoch + 1);

    /// <summary>The rate for an epoch.</summary>
    /// <param name="epoch">The epoch.</param>
    /// <returns>The learning rate.</returns>
    public abstract double RateAt(int epoch);

    /// <summary>Jumps to an epoch (used when resuming).</summary>
    /// <param name="epoch">The epoch.</param>
    internal void SetEpoch(int epoch)
    {
        Epoch = epoch;
        Optimizer.LearningRate = RateAt(epoch);
    }
}

/// <summary>Multiplies the rate by <c>gamma</c> every <c>stepSize</c> epochs (PyTorch's <c>StepLR</c>).</summary>
/// <param name="optimizer">The optimizer.</param>
/// <param name="stepSize">Epochs between decays.</param>
/// <param name="gamma">The decay factor.</param>
public sealed class StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : LearningRateScheduler(optimizer)
{
    /// <inheritdoc/>
    public override double RateAt(int epoch) => BaseLearningRate * Math.Pow(gamma, epoch / Math.Max(1, stepSize));
}

/// <summary>Multiplies the rate by <c>gamma</c> at each milestone epoch (PyTorch's <c>MultiStepLR</c>; Simple Baselines: 90 and 120).</summary>
/// <param name="optimizer">The optimizer.</param>
/// <param name="milestones">The epochs where the rate decays.</param>
/// <param name="gamma">The decay factor.</param>
public sealed class MultiStepLR(Optimizer optimizer, IReadOnlyList<int> milestones, double gamma = 0.1) : LearningRateScheduler(optimizer)
{
    private readonly int[] _milestones = milestones.ToArray();

    /// <inheritdoc/>
    public override double RateAt(int epoch) => BaseLearningRate * Math.Pow(gamma, _milestones.Count(m => m <= epoch));
}

/// <summary>Cosine annealing from the base rate to <c>minRate</c> over <c>periodEpochs</c> (PyTorch's <c>CosineAnnealingLR</c>, closed form).</summary>
/// <param name="optimizer">The optimizer.</param>
/// <param name="periodEpochs">Epochs of a half period.</param>
/// <param name="minRate">The minimum rate.</param>
public sealed class CosineAnnealingLR(Optimizer optimizer, int periodEpochs, double minRate = 0) : LearningRateScheduler(optimizer)
{
    /// <inheritdoc/>
    public override double RateAt(int epoch) =>
        minRate + ((BaseLearningRate - minRate) * (1 + Math.Cos(Math.PI * epoch / periodEpochs)) / 2);
}

/// <summary>Gradient clipping.</summary>
public static class GradientClipping
{
    /// <summary>Scales all gradients so that their joint norm is at most <paramref name="maxNorm"/> (PyTorch's <c>clip_grad_norm_</c>).</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="maxNorm">The maximum norm.</param>
    /// <param name="normType">The p of the p-norm.</param>
    /// <returns>The joint norm before clipping.</returns>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        Tensor[] grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        if (grads.Length == 0)
        {
            return 0;
        }

        Tensor total = Tensor.Stack(grads.Select(g => g.Norm(normType))).Norm(normType);
        double norm = total.Item();
        Tensor coef = (total + 1e-6).Pow(-1).Mul(maxNorm).Clamp(null, 1.0);
        foreach (Tensor g in grads)
        {
            g.MulInPlace(coef);
        }

        return norm;
    }
}
