using HandPose.Datasets.Training;
using HandPose.Structure.Codecs;
using static TorchSharp.torch;

namespace HandPose.Torch.Training;

/// <summary>
/// How an architecture is trained: the targets its loader renders (through the structure codecs), its loss, how its
/// heatmaps are decoded, and its official optimiser settings. <see cref="TrainingRecipes"/> maps architecture names
/// to recipes; a new network plugs in with a recipe of its own (or an existing one, if its outputs fit).
/// </summary>
public abstract class TrainingRecipe
{
    /// <summary>The recipe's name (e.g. <c>simple-baselines</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Input pixels per heatmap cell.</summary>
    public abstract int Stride { get; }

    /// <summary>The official learning rate (used when the command line gives none).</summary>
    public abstract double LearningRate { get; }

    /// <summary>The sub-pixel refinement used to decode the heatmaps for validation.</summary>
    public virtual HeatmapRefinement Refinement => HeatmapRefinement.QuarterOffset;

    /// <summary>The targets for an input size; the first is always the keypoint heatmaps.</summary>
    /// <param name="inputSize">Input side in pixels (a multiple of <see cref="Stride"/>).</param>
    /// <returns>The targets, in the order <see cref="Loss"/> receives them.</returns>
    public abstract IReadOnlyList<TrainingTarget> Targets(int inputSize);

    /// <summary>The loss of one batch.</summary>
    /// <param name="outputs">The network's outputs.</param>
    /// <param name="targets">The batch's targets (same order as <see cref="Targets"/>), each N × C × h × w.</param>
    /// <param name="targetWeights">N × K: 1 for keypoints that count.</param>
    /// <param name="epoch">The 0-based epoch (for schedules inside the loss, e.g. NSRM's structure weight).</param>
    /// <returns>A scalar tensor.</returns>
    public abstract Tensor Loss(PoseOutputs outputs, IReadOnlyList<Tensor> targets, Tensor targetWeights, int epoch);

    /// <summary>Runs the network: <see cref="IStagedPoseNetwork"/> modules give all stages, single-output modules one.</summary>
    /// <param name="model">The network.</param>
    /// <param name="images">N × 3 × H × W.</param>
    /// <returns>The outputs.</returns>
    /// <exception cref="ArgumentException">The module is neither kind.</exception>
    public virtual PoseOutputs Forward(nn.Module model, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model switch
        {
            IStagedPoseNetwork staged => staged.ForwardStages(images),
            nn.Module<Tensor, Tensor> single => new PoseOutputs([single.call(images)], []),
            _ => throw new ArgumentException($"{model.GetType().Name} is neither a Module<Tensor, Tensor> nor an IStagedPoseNetwork.", nameof(model)),
        };
    }

    /// <summary>Checks that an input size fits the stride.</summary>
    private protected int MapSize(int inputSize)
    {
        if (inputSize < Stride * 4 || inputSize % Stride != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"{Name} needs an input size that is a multiple of {Stride} and at least {Stride * 4}.");
        }

        return inputSize / Stride;
    }
}
