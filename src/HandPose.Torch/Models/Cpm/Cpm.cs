using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>
/// The 6-stage CPM baseline of NSRMhand (<c>CPM/cpm.py</c>, class <c>CPMHand</c>) with its official names:
/// backbone <c>vgg19.*</c> (VGG-19 conv1_1…conv4_4 + conv5_1…5_3 → 128 × H/8 × W/8), <c>stage1</c>
/// (1×1 convs) and <c>stage2..6</c> (five 7×7 + two 1×1 convs on [features, previous stage]). No centre map,
/// no batch norm. A 368×368 input gives 46×46 heatmaps.
/// </summary>
public sealed class Cpm : nn.Module<Tensor, Tensor>
{
    private readonly CpmBackbone _vgg;
    private readonly nn.Module<Tensor, Tensor>[] _stages;

    /// <summary>Creates the network: VGG layers with torchvision's initialisation, the rest with PyTorch's default.</summary>
    /// <param name="joints">Heatmap channels (21 for hands).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public Cpm(int joints = 21)
        : base(SimpleBaseline.Checked("CPMHand"))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        _vgg = new CpmBackbone();
        register_module("vgg19", _vgg);
        _stages = new nn.Module<Tensor, Tensor>[6];
        _stages[0] = new CpmStage1(128, joints);
        for (int t = 1; t < 6; t++)
        {
            _stages[t] = new CpmStage(128 + joints, joints);
        }

        for (int t = 0; t < 6; t++)
        {
            register_module($"stage{t + 1}", _stages[t]);
        }

        Joints = joints;
    }

    /// <summary>Heatmap channels.</summary>
    public int Joints { get; }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>All six stages' raw heatmaps (no sigmoid), as the official forward returns them: N × 6 × joints × H/8 × W/8.</summary>
    /// <param name="input">N × 3 × H × W (ImageNet-normalised RGB; the official size is 368).</param>
    /// <returns>The stacked stage outputs; stage 6 (<c>[:, 5]</c>) is the prediction.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor features = _vgg.call(input);
        var outputs = new Tensor[6];
        outputs[0] = _stages[0].call(features);
        for (int t = 1; t < 6; t++)
        {
            outputs[t] = _stages[t].call(cat([features, outputs[t - 1]], 1));
        }

        return stack(outputs, 1).MoveToOuterDisposeScope();
    }
}

/// <summary>The limb-structure grouping of an NSRM structure branch (nsrm.md §1.3); it fixes the structure channels.</summary>
public enum NsrmGrouping
{
    /// <summary>G1: one map of all 20 limbs (1 channel).</summary>
    G1 = 1,

    /// <summary>G6: thumb, index, middle, ring, little, palm (6 channels).</summary>
    G6 = 6,

    /// <summary>G1&amp;6: [G1, G6] (7 channels) — the released model's grouping.</summary>
    G1And6 = 7,
}

/// <summary>
/// NSRM (Chen et al., WACV 2020; NSRMhand <c>model/cpm_limb.py</c>, class <c>CPMHandLimb</c>) with its official names:
/// the CPM backbone <c>vgg19.*</c>, three structure stages <c>stage1..3</c> (C channels) and three keypoint stages
/// <c>stage4..6</c> (21 channels). Stage 4 sees [features, S3]; stages 5 and 6 see [features, S3, previous keypoints]
/// (S3 again, as the official code). Structure logits are passed on raw; only the returned structure maps are
/// sigmoid-activated. LDM and LPM models of a grouping are the same network (only their training targets differ).
/// </summary>
public sealed class Nsrm : nn.Module<Tensor, (Tensor Structure, Tensor Keypoints)>
{
    private readonly CpmBackbone _vgg;
    private readonly nn.Module<Tensor, Tensor>[] _stages;

    /// <summary>Creates the network: VGG layers with torchvision's initialisation, the rest with PyTorch's default.</summary>
    /// <param name="grouping">The structure grouping: 1, 6 or 7 structure channels.</param>
    /// <param name="joints">Keypoint heatmap channels (21 for hands).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public Nsrm(NsrmGrouping grouping = NsrmGrouping.G1And6, int joints = 21)
        : base(SimpleBaseline.Checked("CPMHandLimb"))
    {
        if (!Enum.IsDefined(grouping))
        {
            throw new ArgumentOutOfRangeException(nameof(grouping), grouping, "expected G1, G6 or G1And6");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        int c = (int)grouping;
        _vgg = new CpmBackbone();
        register_module("vgg19", _vgg);
        _stages =
        [
            new CpmStage1(128, c),
            new CpmStage(128 + c, c),
            new CpmStage(128 + c, c),
            new CpmStage(128 + c, joints),
            new CpmStage(128 + c + joints, joints),
            new CpmStage(128 + c + joints, joints),
        ];
        for (int t = 0; t < 6; t++)
        {
            register_module($"stage{t + 1}", _stages[t]);
        }

        Grouping = grouping;
        Joints = joints;
    }

    /// <summary>The structure grouping.</summary>
    public NsrmGrouping Grouping { get; }

    /// <summary>Structure channels (1, 6 or 7).</summary>
    public int StructureChannels => (int)Grouping;

    /// <summary>Keypoint heatmap channels.</summary>
    public int Joints { get; }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>Both official outputs.</summary>
    /// <param name="input">N × 3 × H × W (ImageNet-normalised RGB; the official size is 368).</param>
    /// <returns>
    /// Structure: sigmoid of the three structure stages, N × 3 × C × H/8 × W/8; keypoints: the three keypoint stages'
    /// raw heatmaps, N × 3 × joints × H/8 × W/8 (<c>[:, 2]</c> is the prediction).
    /// </returns>
    public override (Tensor Structure, Tensor Keypoints) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor features = _vgg.call(input);
        Tensor s1 = _stages[0].call(features);
        Tensor s2 = _stages[1].call(cat([features, s1], 1));
        Tensor s3 = _stages[2].call(cat([features, s2], 1));
        Tensor k1 = _stages[3].call(cat([features, s3], 1));
        Tensor k2 = _stages[4].call(cat([features, s3, k1], 1));
        Tensor k3 = _stages[5].call(cat([features, s3, k2], 1));
        Tensor structure = stack([s1, s2, s3], 1).sigmoid().MoveToOuterDisposeScope();
        Tensor keypoints = stack([k1, k2, k3], 1).MoveToOuterDisposeScope();
        return (structure, keypoints);
    }
}
