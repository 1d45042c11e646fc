using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models.Dsf;

/// <summary>
/// DSF's depth network, stage 1 without MANO (Ren et al., TIP 2022; <c>model/backbone.py MANO_OCR_stage</c> with
/// <c>ResNet_stage_18</c>, <c>refine=False</c>), with the official names: <c>pre</c> (5×5 stride-1 convolution 1→64
/// without bias, BatchNorm, ReLU, 3×3 stride-2 max-pool), <c>layer1 … layer4</c> (ResNet-18 BasicBlocks, torchvision
/// names), <c>mano_regress</c> (global average pool → <c>mano_regress.2</c> 512→62), three deconvolution blocks
/// <c>deconv_layer4/3/2</c> (4×4 stride-2 without bias, BatchNorm, ReLU; 512→256→256→256) and the 1×1 heads
/// <c>finals.0</c> (3·J unit offset vectors) and <c>finals.1</c> (J closeness heatmaps), concatenated.
/// </summary>
/// <remarks>
/// Input N × 1 × 128 × 128 normalized depth (crop at ±cube/2 → [−1, 1], background 1); dense output N × 4J × 64 × 64
/// (J = 21 in DSF's MANO joint order; 14 for a supervised NYU model). The 62 MANO parameters of <c>mano_regress</c>
/// come from <see cref="ForwardWithManoParameters"/>: turning them into a mesh needs the MANO model (licence-restricted) and
/// is out of scope. Joints come from the dense maps with <see cref="DsfDecoding.OffsetToJoints"/>. Not thread-safe.
/// </remarks>
public sealed class DsfDepthNet : nn.Module<Tensor, Tensor>
{
    /// <summary>MANO parameters of <c>mano_regress</c>: 3 global rotation + 45 articulation + 10 shape + 4 scale/translation.</summary>
    public const int ManoParameters = 62;

    private static readonly string[] LayerNames = ["layer1", "layer2", "layer3", "layer4"];
    private static readonly string[] UnusedNames = ["conv1", "bn1", "fc"];
    private readonly Sequential _pre;
    private readonly nn.Module<Tensor, Tensor>[] _layers;
    private readonly Sequential _manoRegress;
    private readonly Sequential[] _deconvs;
    private readonly Conv2d _offsets;
    private readonly Conv2d _heatmaps;

    /// <summary>Creates the network with DSF's initialisation (convolutions N(0, √(2/n)), FC and deconvolutions N(0, 0.001), heads N(0, 0.001) with zero bias, BatchNorm γ = 1, β = 0).</summary>
    /// <param name="joints">J (21 in DSF).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public DsfDepthNet(int joints = 21)
        : base(SimpleBaseline.Checked(nameof(DsfDepthNet)))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        Joints = joints;
        _pre = nn.Sequential(
            nn.Conv2d(1, 64, 5L, stride: 1L, padding: 2L, bias: false),
            nn.BatchNorm2d(64, momentum: 0.1),
            nn.ReLU(inplace: true),
            nn.MaxPool2d(3L, stride: 2L, padding: 1L));
        register_module("pre", _pre);
        ResNet resnet = torchvision.models.resnet18();
        var children = resnet.named_children().ToDictionary(c => c.name, c => c.module);
        _layers = [.. LayerNames.Select(n => (nn.Module<Tensor, Tensor>)children[n])];
        for (int i = 0; i < 4; i++)
        {
            register_module($"layer{i + 1}", _layers[i]);
        }

        foreach (string unused in UnusedNames)
        {
            children[unused].Dispose();
        }

        _manoRegress = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(512, ManoParameters));
        register_module("mano_regress", _manoRegress);
        _deconvs = new Sequential[3];
        long channels = 512;
        for (int i = 0; i < 3; i++)
        {
            _deconvs[i] = nn.Sequential(
                nn.ConvTranspose2d(channels, 256, 4L, stride: 2L, padding: 1L, output_padding: 0L, bias: false),
                nn.BatchNorm2d(256, momentum: 0.1),
                nn.ReLU(inplace: true));
            register_module($"deconv_layer{4 - i}", _deconvs[i]);
            channels = 256;
        }

        _offsets = nn.Conv2d(256, 3L * joints, 1L);
        _heatmaps = nn.Conv2d(256, joints, 1L);
        register_module("finals", nn.ModuleList(_offsets, _heatmaps));
        Initialize();
    }

    /// <summary>J, the joints of the dense output.</summary>
    public int Joints { get; }

    /// <summary>The dense maps: N × 4J × H/2 × W/2 (3J unit offsets, then J heatmaps).</summary>
    /// <param name="input">N × 1 × H × W normalized depth.</param>
    /// <returns>The concatenated outputs of <c>finals</c>.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        (Tensor dense, _) = Run(input, mano: false);
        return dense.MoveToOuterDisposeScope();
    }

    /// <summary>The dense maps and <c>mano_regress</c>'s 62 MANO parameters (N × 62); the caller owns both.</summary>
    /// <param name="input">N × 1 × H × W normalized depth.</param>
    public (Tensor Dense, Tensor ManoParameters) ForwardWithManoParameters(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        (Tensor dense, Tensor? mano) = Run(input, mano: true);
        return (dense.MoveToOuterDisposeScope(), mano!.MoveToOuterDisposeScope());
    }

    private (Tensor Dense, Tensor? Mano) Run(Tensor input, bool mano)
    {
        if (input.dim() != 4 || input.shape[1] != 1)
        {
            throw new InputShapeException("depth", "N × 1 × H × W normalized depth", $"[{string.Join(", ", input.shape)}]");
        }

        Tensor x = _pre.call(input);
        foreach (nn.Module<Tensor, Tensor> layer in _layers)
        {
            x = layer.call(x);
        }

        Tensor? parameters = mano ? _manoRegress.call(x) : null;
        foreach (Sequential deconv in _deconvs)
        {
            x = deconv.call(x);
        }

        return (cat([_offsets.call(x), _heatmaps.call(x)], 1), parameters);
    }

    private void Initialize()
    {
        using var noGrad = no_grad();
        foreach ((string name, nn.Module m) in named_modules())
        {
            switch (m)
            {
                case Conv2d conv when name.StartsWith("finals", StringComparison.Ordinal):
                    nn.init.normal_(conv.weight, 0, 0.001);
                    nn.init.constant_(conv.bias, 0);
                    break;
                case Conv2d conv:
                    long n = conv.kernel_size![0] * conv.kernel_size[1] * conv.out_channels;
                    nn.init.normal_(conv.weight, 0, Math.Sqrt(2.0 / n));
                    break;
                case BatchNorm2d bn:
                    nn.init.ones_(bn.weight);
                    nn.init.zeros_(bn.bias);
                    break;
                case Linear fc:
                    nn.init.normal_(fc.weight, 0, 0.001);
                    break;
                case ConvTranspose2d up:
                    nn.init.normal_(up.weight, 0, 0.001);
                    break;
            }
        }
    }
}
