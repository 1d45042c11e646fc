using HandPose.Torch.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models.Hand3d;

/// <summary>What <see cref="Hand3dPosePrior.Predict"/> returns; the caller owns (disposes) the tensors.</summary>
/// <param name="Canonical">Canonical coordinates w_c (N × 21 × 3) as the network emits them (a left hand when unflipped).</param>
/// <param name="Rotation">The viewpoint rotation R (N × 3 × 3, row-major, Rodrigues of the predicted axis-angle).</param>
/// <param name="Relative">Root-relative, bone-normalized 3D coordinates in the camera frame: flip_right(w_c) · R (N × 21 × 3).</param>
public sealed record Hand3dPosePriorOutput(Tensor Canonical, Tensor Rotation, Tensor Relative) : IDisposable
{
    /// <inheritdoc/>
    public void Dispose()
    {
        Canonical.Dispose();
        Rotation.Dispose();
        Relative.Dispose();
    }
}

/// <summary>
/// hand3d's 3D lifting (<c>ColorHandPose3DNetwork._inference_pose3d</c>, variant 'proposed'): two streams on the 21
/// score maps (32 × 32), each conditioned on the hand side (one-hot [1, 0] = left, [0, 1] = right) concatenated after
/// flattening (in TF's NHWC order). <b>PosePrior</b> (TF scope <c>PosePrior/</c>): <c>conv_pose_{0,1,2}_{1,2}</c>
/// (32, 64, 128 channels; <c>_2</c> has stride 2) → <c>fc_rel0</c> 512 → <c>fc_rel1</c> 512 (dropout keep 0.8 after each)
/// → linear <c>fc_xyz</c> 63 = canonical coordinates. <b>ViewpointNet</b> (scope <c>ViewpointNet/</c>):
/// <c>conv_vp_{0,1,2}_{1,2}</c> (64, 128, 256) → <c>fc_vp0</c> 256 → <c>fc_vp1</c> 128 (keep 0.75) → linear heads
/// <c>fc_vp_ux</c>, <c>fc_vp_uy</c>, <c>fc_vp_uz</c> = axis-angle. Right hands' canonical z is mirrored, then
/// rotated: relative = flip(w_c) · R (row vectors).
/// </summary>
/// <remarks>
/// Parameter names are the TF layer names without the scope (<c>conv_pose_0_1.weight</c> = <c>PosePrior/conv_pose_0_1/weights</c>,
/// <c>fc_vp0.weight</c> = <c>ViewpointNet/fc_vp0/weights</c> transposed). Dropout is active only in training mode. Not thread-safe.
/// </remarks>
public sealed class Hand3dPosePrior : nn.Module<Tensor, Tensor, Tensor>, ITensorFlowNamed
{
    /// <summary>The variable scope of the canonical-coordinate stream.</summary>
    internal const string PoseScope = "PosePrior";

    /// <summary>The variable scope of the viewpoint stream.</summary>
    internal const string ViewpointScope = "ViewpointNet";

    private readonly Conv2d[] _poseConvs;
    private readonly Linear[] _poseFcs;
    private readonly Conv2d[] _vpConvs;
    private readonly Linear[] _vpFcs;
    private readonly Linear[] _vpHeads;

    /// <summary>Creates the network with the official initialisation (Xavier uniform, biases 1e-4).</summary>
    /// <param name="joints">Score maps in and keypoints out (21 in every official model).</param>
    /// <param name="mapSize">Side of the input score maps (32 in the official pipeline); must be a multiple of 8.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive or <paramref name="mapSize"/> is not a multiple of 8.</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public Hand3dPosePrior(int joints = 21, int mapSize = 32)
        : base(SimpleBaseline.Checked(nameof(Hand3dPosePrior)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(mapSize, 8);
        if (mapSize % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(mapSize), mapSize, "expected a multiple of 8 (three stride-2 convolutions)");
        }

        Joints = joints;
        MapSize = mapSize;
        long cells = (mapSize / 8) * (mapSize / 8);
        _poseConvs = Tower("conv_pose", joints, [32, 64, 128]);
        _poseFcs = [Fc("fc_rel0", (cells * 128) + 2, 512), Fc("fc_rel1", 512, 512), Fc("fc_xyz", 512, 3L * joints)];
        _vpConvs = Tower("conv_vp", joints, [64, 128, 256]);
        _vpFcs = [Fc("fc_vp0", (cells * 256) + 2, 256), Fc("fc_vp1", 256, 128)];
        _vpHeads = [Fc("fc_vp_ux", 128, 1), Fc("fc_vp_uy", 128, 1), Fc("fc_vp_uz", 128, 1)];
    }

    /// <summary>Keypoints (and input score maps).</summary>
    public int Joints { get; }

    /// <summary>Side of the input score maps.</summary>
    public int MapSize { get; }

    /// <inheritdoc/>
    string ITensorFlowNamed.TensorFlowName(string parameterName) =>
        TensorFlowNames.Layer(parameterName.StartsWith("conv_pose", StringComparison.Ordinal) || parameterName.StartsWith("fc_rel", StringComparison.Ordinal) || parameterName.StartsWith("fc_xyz", StringComparison.Ordinal)
            ? PoseScope : ViewpointScope, parameterName);

    /// <inheritdoc/>
    IReadOnlyList<string> ITensorFlowNamed.Scopes => [PoseScope, ViewpointScope];

    /// <summary>Root-relative, bone-normalized 3D keypoints in the camera frame: N × 21 × 3.</summary>
    /// <param name="scoremaps">N × 21 × S × S score maps (PoseNet's last stage).</param>
    /// <param name="handSide">N × 2 one-hot hand side ([1, 0] left, [0, 1] right).</param>
    /// <returns>flip(w_c) · R.</returns>
    public override Tensor forward(Tensor scoremaps, Tensor handSide)
    {
        using Hand3dPosePriorOutput o = Predict(scoremaps, handSide);
        return o.Relative.clone();
    }

    /// <summary>Both streams and their combination.</summary>
    /// <param name="scoremaps">N × 21 × S × S score maps.</param>
    /// <param name="handSide">N × 2 one-hot hand side ([1, 0] left, [0, 1] right; right = second entry larger).</param>
    /// <returns>Canonical coordinates, rotation and relative coordinates.</returns>
    /// <exception cref="InputShapeException">The inputs do not have these shapes.</exception>
    public Hand3dPosePriorOutput Predict(Tensor scoremaps, Tensor handSide)
    {
        ArgumentNullException.ThrowIfNull(scoremaps);
        ArgumentNullException.ThrowIfNull(handSide);
        if (scoremaps.dim() != 4 || scoremaps.shape[1] != Joints || scoremaps.shape[2] != MapSize || scoremaps.shape[3] != MapSize)
        {
            throw new InputShapeException("scoremaps", $"N × {Joints} × {MapSize} × {MapSize}", $"[{string.Join(", ", scoremaps.shape)}]");
        }

        long n = scoremaps.shape[0];
        if (handSide.dim() != 2 || handSide.shape[0] != n || handSide.shape[1] != 2)
        {
            throw new InputShapeException("handSide", $"{n} × 2 (one-hot: [1, 0] left, [0, 1] right)", $"[{string.Join(", ", handSide.shape)}]");
        }

        using var scope = NewDisposeScope();
        Tensor side = handSide.to_type(scoremaps.dtype);

        Tensor x = Flatten(_poseConvs, scoremaps, side);
        x = nn.functional.dropout(nn.functional.leaky_relu(_poseFcs[0].call(x), TfLayers.LeakySlope), 0.2, training);
        x = nn.functional.dropout(nn.functional.leaky_relu(_poseFcs[1].call(x), TfLayers.LeakySlope), 0.2, training);
        Tensor canonical = _poseFcs[2].call(x).reshape(n, Joints, 3);

        Tensor v = Flatten(_vpConvs, scoremaps, side);
        v = nn.functional.dropout(nn.functional.leaky_relu(_vpFcs[0].call(v), TfLayers.LeakySlope), 0.25, training);
        v = nn.functional.dropout(nn.functional.leaky_relu(_vpFcs[1].call(v), TfLayers.LeakySlope), 0.25, training);
        Tensor rotation = AxisAngleToMatrix(_vpHeads[0].call(v), _vpHeads[1].call(v), _vpHeads[2].call(v));

        Tensor right = (side[.., 1] > side[.., 0]).reshape(n, 1, 1);
        Tensor mirror = tensor(new float[] { 1, 1, -1 }, device: scoremaps.device).to_type(scoremaps.dtype);
        Tensor flipped = where(right, canonical * mirror, canonical);
        Tensor relative = matmul(flipped, rotation);
        return new Hand3dPosePriorOutput(canonical.MoveToOuterDisposeScope(), rotation.MoveToOuterDisposeScope(), relative.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <c>_get_rot_mat</c>: θ = √(ux² + uy² + uz² + 1e-8), axis = u/θ, R = the Rodrigues matrix (row-major:
    /// R₀₁ = ux·uy·(1−cos θ) − uz·sin θ, …).
    /// </summary>
    internal static Tensor AxisAngleToMatrix(Tensor ux, Tensor uy, Tensor uz)
    {
        using var scope = NewDisposeScope();
        Tensor theta = sqrt(ux.square() + uy.square() + uz.square() + 1e-8);
        Tensor st = sin(theta), ct = cos(theta), oc = 1.0 - cos(theta);
        Tensor x = ux / theta, y = uy / theta, z = uz / theta;
        Tensor m = stack(
            [
                ct + (x * x * oc), (x * y * oc) - (z * st), (x * z * oc) + (y * st),
                (y * x * oc) + (z * st), ct + (y * y * oc), (y * z * oc) - (x * st),
                (z * x * oc) - (y * st), (z * y * oc) + (x * st), ct + (z * z * oc),
            ], 1);
        return m.reshape(-1, 3, 3).MoveToOuterDisposeScope();
    }

    private static Tensor Flatten(Conv2d[] tower, Tensor maps, Tensor side)
    {
        Tensor x = maps;
        foreach (Conv2d conv in tower)
        {
            x = TfLayers.ConvRelu(conv, x);
        }

        // TF flattens NHWC: (row, column, channel) order.
        return cat([x.permute(0, 2, 3, 1).reshape(x.shape[0], -1), side], 1);
    }

    private Conv2d[] Tower(string prefix, long inChannels, long[] widths)
    {
        var convs = new List<Conv2d>();
        long channels = inChannels;
        for (int i = 0; i < widths.Length; i++)
        {
            Conv2d a = TfLayers.Conv(channels, widths[i], 3);
            Conv2d b = TfLayers.Conv(widths[i], widths[i], 3, stride: 2);
            register_module($"{prefix}_{i}_1", a);
            register_module($"{prefix}_{i}_2", b);
            convs.Add(a);
            convs.Add(b);
            channels = widths[i];
        }

        return [.. convs];
    }

    private Linear Fc(string name, long inFeatures, long outFeatures)
    {
        Linear fc = TfLayers.Dense(inFeatures, outFeatures);
        register_module(name, fc);
        return fc;
    }
}
