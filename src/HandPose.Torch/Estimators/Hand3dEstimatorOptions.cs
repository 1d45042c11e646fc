namespace HandPose.Torch.Estimators;

/// <summary>Options of <see cref="Hand3dEstimator"/>; validated once, when the estimator is created.</summary>
public sealed class Hand3dEstimatorOptions
{
    /// <summary>
    /// HandSegNet's weights: the official <c>handsegnet-rhd.pickle</c> (TF variables under <c>HandSegNet/</c>) or a
    /// torch.save/safetensors state dict of <see cref="Models.Hand3d.HandSegNet"/>. Required.
    /// </summary>
    public required string HandSegNetWeights { get; init; }

    /// <summary>
    /// PoseNet's weights: the official <c>posenet3d-rhd-stb-slr-finetuned.pickle</c> (variables under <c>PoseNet2D/</c>,
    /// and also <c>PosePrior/</c> + <c>ViewpointNet/</c>) or a state dict of <see cref="Models.Hand3d.Hand3dPoseNet"/>. Required.
    /// </summary>
    public required string PoseNetWeights { get; init; }

    /// <summary>The lifting network's weights; default (null) <see cref="PoseNetWeights"/>, as in the official file.</summary>
    public string? PosePriorWeights { get; init; }

    /// <summary>
    /// Which hand the image shows (an input of the lifting network: hand3d does not estimate it). Default
    /// <see cref="Handedness.Left"/>, what the official <c>run.py</c> feeds; <see cref="Handedness.Unknown"/> is rejected.
    /// </summary>
    public Handedness HandSide { get; init; } = Handedness.Left;

    /// <summary>
    /// Whether the image is first resized to 320 × 240 (width × height), the size the official <c>run.py</c> feeds and
    /// HandSegNet was trained around (TF1 bilinear rule; keypoints are mapped back to the input's pixels). Default true;
    /// false runs at the input size.
    /// </summary>
    public bool ResizeToOfficialSize { get; init; } = true;

    /// <summary>
    /// The length in metres of the middle finger's proximal phalanx (middle MCP → PIP), the unit of hand3d's normalized
    /// 3D output. hand3d recovers 3D only up to this scale; the default 0.043 m is a nominal adult value — give the
    /// subject's own for metric output. Must be positive and finite.
    /// </summary>
    public float BoneLengthMetres { get; init; } = 0.043f;

    /// <summary>Torch device: <c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c>.</summary>
    public string Device { get; init; } = "cpu";
}
