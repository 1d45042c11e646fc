using HandPose.Datasets.Training;
using HandPose.Structure;
using HandPose.Structure.Codecs;
using static TorchSharp.torch;

namespace HandPose.Torch.Training;

/// <summary>The structure representation an NSRM network is trained with.</summary>
public enum NsrmStructure
{
    /// <summary>Limb deterministic masks (binary).</summary>
    Ldm = 0,

    /// <summary>Limb probabilistic masks (soft).</summary>
    Lpm = 1,
}

/// <summary>
/// NSRM (Chen et al. 2020) with the official losses and weights: keypoint loss = Σ over keypoint stages of the summed
/// squared error, structure loss = Σ over structure stages of the summed binary cross-entropy (each log clamped at
/// −100), both divided by N·h·w; with G1&amp;6 the G6 channels' BCE is scaled by <see cref="WeightG6"/>; total =
/// w_e · structure + keypoint, where w_e = <see cref="Weight"/> · 0.1^⌊e / 20⌋ for the 1-based epoch e. Targets:
/// Gaussian heatmaps (σ 1 cell) and LDM/LPM maps (width/σ 1 cell) at stride 8; Adam, learning rate 1e-4, constant.
/// </summary>
/// <remarks>The official code divides by 46·46 (its map size at 368 pixels); here h·w is the actual map size.</remarks>
public sealed class NsrmRecipe : TrainingRecipe
{
    /// <summary>Creates the recipe of one of the four official configurations.</summary>
    /// <param name="structure">LDM or LPM.</param>
    /// <param name="withG6">True for G1&amp;6 (7 channels), false for G1 (1 channel).</param>
    public NsrmRecipe(NsrmStructure structure, bool withG6)
    {
        if (!Enum.IsDefined(structure))
        {
            throw new ArgumentOutOfRangeException(nameof(structure), structure, "Expected Ldm or Lpm.");
        }

        Structure = structure;
        WithG6 = withG6;
        (Weight, WeightG6) = (structure, withG6) switch
        {
            (NsrmStructure.Ldm, false) => (1.0, 0.0),
            (NsrmStructure.Ldm, true) => (0.2, 0.2),
            (NsrmStructure.Lpm, false) => (0.5, 0.0),
            _ => (0.1, 0.2),
        };
    }

    /// <summary>LDM or LPM.</summary>
    public NsrmStructure Structure { get; }

    /// <summary>Whether the six group channels are trained (G1&amp;6).</summary>
    public bool WithG6 { get; }

    /// <summary>The structure loss weight w₀ of the configuration (LDM_G1 1.0, LDM_G1_6 0.2, LPM_G1 0.5, LPM_G1_6 0.1).</summary>
    public double Weight { get; }

    /// <summary>The weight of the G6 channels' BCE (0.2 for G1&amp;6; 0 for G1).</summary>
    public double WeightG6 { get; }

    /// <inheritdoc/>
    public override string Name => $"nsrm-{(Structure == NsrmStructure.Ldm ? "ldm" : "lpm")}-{(WithG6 ? "g1_6" : "g1")}";

    /// <inheritdoc/>
    public override int Stride => 8;

    /// <inheritdoc/>
    public override double LearningRate => 1e-4;

    /// <inheritdoc/>
    public override HeatmapRefinement Refinement => HeatmapRefinement.None;

    /// <summary>The structure weight w_e of a 0-based epoch.</summary>
    /// <param name="epoch">0-based epoch.</param>
    /// <returns>w₀ · 0.1^⌊(epoch + 1) / 20⌋.</returns>
    public double StructureWeight(int epoch) => Weight * Math.Pow(0.1, (epoch + 1) / 20);

    /// <inheritdoc/>
    public override IReadOnlyList<TrainingTarget> Targets(int inputSize)
    {
        int map = MapSize(inputSize);
        LimbGrouping grouping = WithG6 ? LimbGrouping.G1G6 : LimbGrouping.G1;
        StructureRenderer structure = Structure == NsrmStructure.Ldm
            ? new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, map, map, grouping)
            : new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, map, map, grouping);
        return [new TrainingTarget(new GaussianHeatmapRenderer(KeypointSchema.Hand21, map, map, 1.0), Stride), new TrainingTarget(structure, Stride)];
    }

    /// <inheritdoc/>
    public override Tensor Loss(PoseOutputs outputs, IReadOnlyList<Tensor> targets, Tensor targetWeights, int epoch)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (outputs.StructureStages.Count == 0 || targets.Count < 2)
        {
            throw new ArgumentException("NSRM needs structure stages in the outputs and a structure target.", nameof(outputs));
        }

        return Loss(outputs.KeypointStages, outputs.StructureStages, targets[0], targets[1], WithG6 ? WeightG6 : null, StructureWeight(epoch));
    }

    /// <summary>The NSRM loss on explicit tensors (what the tests compare with the Python reference).</summary>
    /// <param name="keypointStages">Keypoint stages, each N × 21 × h × w.</param>
    /// <param name="structureStages">Structure stages after the sigmoid, each N × C × h × w.</param>
    /// <param name="heatmapTarget">N × 21 × h × w.</param>
    /// <param name="structureTarget">N × C × h × w.</param>
    /// <param name="weightG6">The G6 weight for C = 7 (channel 0 is G1), or null for C = 1.</param>
    /// <param name="structureWeight">w_e.</param>
    /// <returns>The scalar loss.</returns>
    public static Tensor Loss(IReadOnlyList<Tensor> keypointStages, IReadOnlyList<Tensor> structureStages, Tensor heatmapTarget, Tensor structureTarget, double? weightG6, double structureWeight)
    {
        ArgumentNullException.ThrowIfNull(keypointStages);
        ArgumentNullException.ThrowIfNull(structureStages);
        ArgumentNullException.ThrowIfNull(heatmapTarget);
        ArgumentNullException.ThrowIfNull(structureTarget);
        using var scope = NewDisposeScope();
        long n = heatmapTarget.shape[0], h = heatmapTarget.shape[^2], w = heatmapTarget.shape[^1];
        double norm = n * h * w;
        Tensor keypoints = zeros(1, dtype: heatmapTarget.dtype, device: heatmapTarget.device).squeeze();
        foreach (Tensor stage in keypointStages)
        {
            keypoints = keypoints + (stage - heatmapTarget).square().sum();
        }

        Tensor structure = zeros(1, dtype: heatmapTarget.dtype, device: heatmapTarget.device).squeeze();
        foreach (Tensor stage in structureStages)
        {
            if (weightG6 is double g6)
            {
                structure = structure
                    + nn.functional.binary_cross_entropy(stage.narrow(1, 0, 1), structureTarget.narrow(1, 0, 1), reduction: nn.Reduction.Sum)
                    + (g6 * nn.functional.binary_cross_entropy(stage.narrow(1, 1, stage.shape[1] - 1), structureTarget.narrow(1, 1, structureTarget.shape[1] - 1), reduction: nn.Reduction.Sum));
            }
            else
            {
                structure = structure + nn.functional.binary_cross_entropy(stage, structureTarget, reduction: nn.Reduction.Sum);
            }
        }

        return ((keypoints / norm) + (structureWeight * (structure / norm))).MoveToOuterDisposeScope();
    }
}
