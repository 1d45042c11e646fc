using HandPose.Torch.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models.Hand3d;

/// <summary>
/// hand3d's PoseNet (<c>ColorHandPose3DNetwork.inference_pose2d</c>, TF scope <c>PoseNet2D</c>): a CPM-like network.
/// Encoder <c>conv1_1 … conv4_2</c> (three 2×2 max-pools), <c>conv4_3 … conv4_6</c> (256) and <c>conv4_7</c> (128, the
/// encoding); stage 1 = 1×1 <c>conv5_1</c> (512) + linear 1×1 <c>conv5_2</c> (21 score maps); stages 2 and 3 each concatenate
/// [previous score maps, encoding] (149 channels) → five 7×7 convolutions of 128 (<c>conv6_1 … conv6_5</c>, resp. <c>conv7_*</c>)
/// → 1×1 128 (<c>conv6_6</c>) → linear 1×1 21 (<c>conv6_7</c>). Leaky ReLU (0.01) after every non-final convolution.
/// </summary>
/// <remarks>Input: N × 3 × 256 × 256 crop scaled to [−0.5, 0.5]; output 21 score maps at 1/8 (32 × 32). Not thread-safe.</remarks>
public sealed class Hand3dPoseNet : nn.Module<Tensor, Tensor>, ITensorFlowNamed
{
    /// <summary>The variable scope of the official weights (<c>PoseNet2D/</c>).</summary>
    internal const string Scope = "PoseNet2D";

    private readonly (Conv2d Conv, bool PoolAfter)[] _encoder;
    private readonly Conv2d _conv5_1;
    private readonly Conv2d _conv5_2;
    private readonly Conv2d[][] _stages;

    /// <summary>Creates the network with the official initialisation (Xavier uniform, biases 1e-4).</summary>
    /// <param name="joints">Score maps (21 in every official model).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public Hand3dPoseNet(int joints = 21)
        : base(SimpleBaseline.Checked(nameof(Hand3dPoseNet)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        Joints = joints;
        var encoder = new List<(Conv2d, bool)>();
        long channels = 3;
        int[] perBlock = [2, 2, 4, 2];
        long[] widths = [64, 128, 256, 512];
        for (int block = 0; block < 4; block++)
        {
            for (int i = 0; i < perBlock[block]; i++)
            {
                Conv2d conv = TfLayers.Conv(channels, widths[block], 3);
                register_module($"conv{block + 1}_{i + 1}", conv);
                encoder.Add((conv, block < 3 && i == perBlock[block] - 1));
                channels = widths[block];
            }
        }

        long[] tail = [256, 256, 256, 256, 128];
        for (int i = 0; i < tail.Length; i++)
        {
            Conv2d conv = TfLayers.Conv(channels, tail[i], 3);
            register_module($"conv4_{i + 3}", conv);
            encoder.Add((conv, false));
            channels = tail[i];
        }

        _encoder = [.. encoder];
        _conv5_1 = TfLayers.Conv(128, 512, 1);
        _conv5_2 = TfLayers.Conv(512, joints, 1);
        register_module("conv5_1", _conv5_1);
        register_module("conv5_2", _conv5_2);
        _stages = new Conv2d[2][];
        for (int s = 0; s < 2; s++)
        {
            var convs = new Conv2d[7];
            for (int i = 0; i < 5; i++)
            {
                convs[i] = TfLayers.Conv(i == 0 ? 128 + joints : 128, 128, 7);
            }

            convs[5] = TfLayers.Conv(128, 128, 1);
            convs[6] = TfLayers.Conv(128, joints, 1);
            for (int i = 0; i < 7; i++)
            {
                register_module($"conv{s + 6}_{i + 1}", convs[i]);
            }

            _stages[s] = convs;
        }
    }

    /// <summary>Score maps per stage.</summary>
    public int Joints { get; }

    /// <inheritdoc/>
    string ITensorFlowNamed.TensorFlowName(string parameterName) => TensorFlowNames.Layer(Scope, parameterName);

    /// <inheritdoc/>
    IReadOnlyList<string> ITensorFlowNamed.Scopes => [Scope];

    /// <summary>The last stage's score maps (what the official pipeline uses): N × 21 × H/8 × W/8.</summary>
    /// <param name="input">N × 3 × H × W, values in [−0.5, 0.5].</param>
    /// <returns>Stage 3's score maps.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor[] stages = Stages(input);
        return stages[^1].MoveToOuterDisposeScope();
    }

    /// <summary>The score maps of all three stages, in order (each N × 21 × H/8 × W/8); the training loss uses all of them.</summary>
    /// <param name="input">N × 3 × H × W, values in [−0.5, 0.5].</param>
    /// <returns>Three tensors; the caller owns them.</returns>
    public Tensor[] Stages(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor encoding = TfLayers.Encode(_encoder, input);
        Tensor x;
        var maps = new Tensor[3];
        maps[0] = TfLayers.Same(_conv5_2, TfLayers.ConvRelu(_conv5_1, encoding));
        for (int s = 0; s < 2; s++)
        {
            Conv2d[] convs = _stages[s];
            x = cat([maps[s], encoding], 1);
            for (int i = 0; i < 6; i++)
            {
                x = TfLayers.ConvRelu(convs[i], x);
            }

            maps[s + 1] = TfLayers.Same(convs[6], x);
        }

        foreach (Tensor m in maps)
        {
            m.MoveToOuterDisposeScope();
        }

        return maps;
    }
}
