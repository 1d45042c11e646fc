using static TorchSharp.torch;

namespace HandPose.Torch.Training;

/// <summary>
/// What a pose network returns, as recipes see it: its keypoint heatmap stages (the last is the prediction) and, for
/// structure-aware networks (NSRM), its structure stages as probabilities (after the sigmoid).
/// </summary>
/// <param name="KeypointStages">Each N × K × h × w; a single-output network has one.</param>
/// <param name="StructureStages">Each N × C × h × w in [0, 1]; empty for networks without a structure branch.</param>
public sealed record PoseOutputs(IReadOnlyList<Tensor> KeypointStages, IReadOnlyList<Tensor> StructureStages)
{
    /// <summary>The final keypoint heatmaps (the last keypoint stage).</summary>
    public Tensor Heatmaps => KeypointStages[^1];
}

/// <summary>
/// A multi-stage pose network (CPM, NSRM): implement this on the module so the trainer and the NSRM recipe see every
/// stage. Networks that map one image tensor to one heatmap tensor need nothing more than <c>nn.Module&lt;Tensor, Tensor&gt;</c>.
/// </summary>
public interface IStagedPoseNetwork
{
    /// <summary>Runs the network on N × 3 × H × W images.</summary>
    /// <param name="images">The batch.</param>
    /// <returns>The stages (NSRM: three structure stages after the sigmoid, then three keypoint stages; CPM: six keypoint stages).</returns>
    PoseOutputs ForwardStages(Tensor images);
}
