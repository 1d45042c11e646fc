using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>The ResNet backbone depths of Simple Baselines (torchvision's ResNets).</summary>
public enum ResNetDepth
{
    /// <summary>ResNet-18 (BasicBlock [2, 2, 2, 2], 512 output channels).</summary>
    ResNet18 = 18,

    /// <summary>ResNet-34 (BasicBlock [3, 4, 6, 3], 512 output channels).</summary>
    ResNet34 = 34,

    /// <summary>ResNet-50 (Bottleneck [3, 4, 6, 3], 2048 output channels).</summary>
    ResNet50 = 50,

    /// <summary>ResNet-101 (Bottleneck [3, 4, 23, 3], 2048 output channels).</summary>
    ResNet101 = 101,

    /// <summary>ResNet-152 (Bottleneck [3, 8, 36, 3], 2048 output channels).</summary>
    ResNet152 = 152,
}

/// <summary>
/// Simple Baselines (Xiao et al., 2018) with the official <c>pose_resnet</c> names: TorchVision's ResNet body
/// (<c>conv1, bn1, layer1..4</c>; its <c>avgpool</c> and <c>fc</c> dropped), three 4×4 stride-2 deconvolutions without
/// bias, each with BatchNorm and ReLU (<c>deconv_layers.{0,1,3,4,6,7}</c>), and a 1×1 <c>final_layer</c> with bias.
/// Each deconvolution doubles the size: a 256×256 input gives 64×64 heatmaps.
/// </summary>
public sealed class SimpleBaseline : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor>[] _body;
    private readonly Sequential _deconv;
    private readonly Conv2d _final;

    /// <summary>
    /// Creates the network with the official initialisation: backbone as torchvision (Kaiming), deconvolutions and the
    /// final convolution N(0, 0.001), final bias 0, BatchNorm γ = 1, β = 0.
    /// </summary>
    /// <param name="depth">The backbone depth.</param>
    /// <param name="joints">Heatmap channels (21 for hands).</param>
    /// <param name="deconvFilters">Channels of each deconvolution (256 in every official configuration).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public SimpleBaseline(ResNetDepth depth = ResNetDepth.ResNet18, int joints = 21, int deconvFilters = 256)
        : base(Checked(nameof(SimpleBaseline)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(deconvFilters, 1);
        // pose_resnet registers the body's modules under its own names (no "backbone." prefix); avgpool and fc go.
        _body = ResNetBodies.Create(depth);
        for (int i = 0; i < ResNetBodies.Names.Length; i++)
        {
            register_module(ResNetBodies.Names[i], _body[i]);
        }

        int inplanes = ResNetBodies.Channels(depth);
        var deconv = new List<nn.Module<Tensor, Tensor>>();
        for (int k = 0; k < 3; k++)
        {
            ConvTranspose2d up = nn.ConvTranspose2d(inplanes, deconvFilters, 4, stride: 2, padding: 1, output_padding: 0, bias: false);
            nn.init.normal_(up.weight, 0, 0.001);
            deconv.Add(up);
            deconv.Add(nn.BatchNorm2d(deconvFilters, momentum: 0.1));
            deconv.Add(nn.ReLU(inplace: true));
            inplanes = deconvFilters;
        }

        _deconv = nn.Sequential(deconv);
        _final = nn.Conv2d(deconvFilters, joints, kernel_size: 1L, stride: 1L, padding: 0L);
        nn.init.normal_(_final.weight, 0, 0.001);
        nn.init.constant_(_final.bias, 0);
        register_module("deconv_layers", _deconv);
        register_module("final_layer", _final);
        Depth = depth;
        Joints = joints;
    }

    /// <summary>The backbone depth.</summary>
    public ResNetDepth Depth { get; }

    /// <summary>Heatmap channels.</summary>
    public int Joints { get; }

    /// <summary>Heatmaps: N × joints × H/4 × W/4.</summary>
    /// <param name="input">N × 3 × H × W.</param>
    /// <returns>The heatmaps.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (nn.Module<Tensor, Tensor> m in _body)
        {
            x = m.call(x);
        }

        return _final.call(_deconv.call(x)).MoveToOuterDisposeScope();
    }

    /// <summary>Base-constructor argument that first makes sure libtorch loads (a clear exception instead of a type-initializer one).</summary>
    internal static string Checked(string name)
    {
        TorchRuntime.EnsureAvailable();
        return name;
    }
}
