using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>
/// The FreiHAND seed project's <c>PoseNetwork</c> with its own parameter names, so its checkpoints load unchanged:
/// <c>encoder</c> is TorchVision's ResNet without <c>avgpool</c> and <c>fc</c> as a numbered sequence
/// (<c>encoder.0</c> = conv1, <c>encoder.1</c> = bn1, <c>encoder.4..7</c> = layer1..4), and <c>decoder</c> is three
/// 4×4 stride-2 deconvolutions to 256 channels without bias, each with BatchNorm and ReLU
/// (<c>decoder.{0,1,3,4,6,7}</c>), then a 1×1 convolution with bias (<c>decoder.9</c>). A 224×224 input gives
/// 56×56 heatmaps.
/// </summary>
/// <remarks>Same layers as <see cref="SimpleBaseline"/>, other names and PyTorch's default initialisation. A module
/// is not thread-safe: one forward pass at a time.</remarks>
public sealed class FreiHandPoseNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Sequential _encoder;
    private readonly Sequential _decoder;

    /// <summary>Creates the network with PyTorch's default initialisation (as the seed's class does).</summary>
    /// <param name="depth">The ResNet depth of the encoder.</param>
    /// <param name="joints">Heatmap channels (21 for hands).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="joints"/> is below 1 or the depth is unknown.</exception>
    public FreiHandPoseNetwork(ResNetDepth depth = ResNetDepth.ResNet18, int joints = 21)
        : base(SimpleBaseline.Checked(nameof(FreiHandPoseNetwork)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        _encoder = nn.Sequential(ResNetBodies.Create(depth));
        var decoder = new List<nn.Module<Tensor, Tensor>>();
        long inplanes = ResNetBodies.Channels(depth);
        for (int k = 0; k < 3; k++)
        {
            decoder.Add(nn.ConvTranspose2d(inplanes, 256, 4, stride: 2, padding: 1, output_padding: 0, bias: false));
            decoder.Add(nn.BatchNorm2d(256));
            decoder.Add(nn.ReLU());
            inplanes = 256;
        }

        decoder.Add(nn.Conv2d(256, joints, kernel_size: 1L));
        _decoder = nn.Sequential(decoder);
        register_module("encoder", _encoder);
        register_module("decoder", _decoder);
        Depth = depth;
        Joints = joints;
    }

    /// <summary>The encoder depth.</summary>
    public ResNetDepth Depth { get; }

    /// <summary>Heatmap channels.</summary>
    public int Joints { get; }

    /// <summary>Heatmaps: N × joints × H/4 × W/4.</summary>
    /// <param name="input">N × 3 × H × W.</param>
    /// <returns>The heatmaps.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _decoder.call(_encoder.call(input)).MoveToOuterDisposeScope();
    }
}
