using HandPose.Datasets.Training;
using HandPose.Structure.Codecs;
using static TorchSharp.torch;

namespace HandPose.Torch.Training;

/// <summary>
/// Simple Baselines (Xiao et al. 2018, <c>JointsMSELoss(use_target_weight=True)</c>): Gaussian heatmaps of σ = 2 cells
/// at 1/4 of the input, loss = mean over joints of ½·MSE(w·pred, w·target), i.e. ½ · mean over (N, K, h, w) of
/// (w·(pred − target))²; Adam, learning rate 1e-3; decoded by arg-max plus the quarter-pixel offset.
/// </summary>
/// <remarks>The official target puts the Gaussian's centre on the nearest cell; ours is at the exact sub-cell position.</remarks>
public sealed class SimpleBaselineRecipe : TrainingRecipe
{
    /// <summary>Creates the recipe.</summary>
    /// <param name="sigma">Heatmap σ in cells (official 2).</param>
    public SimpleBaselineRecipe(double sigma = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        Sigma = sigma;
    }

    /// <summary>Heatmap σ in cells.</summary>
    public double Sigma { get; }

    /// <inheritdoc/>
    public override string Name => "simple-baselines";

    /// <inheritdoc/>
    public override int Stride => 4;

    /// <inheritdoc/>
    public override double LearningRate => 1e-3;

    /// <inheritdoc/>
    public override IReadOnlyList<TrainingTarget> Targets(int inputSize)
    {
        int map = MapSize(inputSize);
        return [new TrainingTarget(new GaussianHeatmapRenderer(KeypointSchema.Hand21, map, map, Sigma), Stride)];
    }

    /// <inheritdoc/>
    public override Tensor Loss(PoseOutputs outputs, IReadOnlyList<Tensor> targets, Tensor targetWeights, int epoch)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(targetWeights);
        return JointsMse(outputs.Heatmaps, targets[0], targetWeights);
    }

    /// <summary>½ · mean((w·(pred − target))²) over N × K × h × w, w broadcast from N × K.</summary>
    /// <param name="predicted">N × K × h × w.</param>
    /// <param name="target">N × K × h × w.</param>
    /// <param name="weights">N × K.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor JointsMse(Tensor predicted, Tensor target, Tensor weights)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(weights);
        using var scope = NewDisposeScope();
        Tensor w = weights.unsqueeze(-1).unsqueeze(-1);
        return (nn.functional.mse_loss(predicted * w, target * w) * 0.5).MoveToOuterDisposeScope();
    }
}
