using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>
/// HandyPose (Gupta, Artacho, Savakis; <c>D1vyansh/HandyPose</c>) in its multi-level configuration, with the official
/// names: the dilated ResNet-101 <c>backbone.*</c> (output stride 16) and <c>wasp.*</c>, the Multi-Level Waterfall
/// (<c>model/modules/wasp2mlf.py</c>, <c>WASPv2</c>) whose cascade of atrous convolutions (rates 1, 6, 12, 18) takes the
/// layer-1/2/3 features, and its decoder on the 400 concatenated maps (waterfall 256 + three 48-channel levels).
/// One output: N × joints × h × w heatmaps at stride 8 (46×46 for a 368×368 input), no dropout, as the code.
/// </summary>
public sealed class HandyPose : nn.Module<Tensor, Tensor>
{
    private readonly DilatedResNet _resnet;
    private readonly MultiLevelWaterfall _waterfall;

    /// <summary>Creates the network with the official initialisation (no ImageNet download: load weights by name).</summary>
    /// <param name="joints">Heatmap channels (21 for hands).</param>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public HandyPose(int joints = 21)
        : base(SimpleBaseline.Checked("handypose"))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(joints, 1);
        _resnet = new DilatedResNet();
        _waterfall = new MultiLevelWaterfall(joints);
        register_module("backbone", _resnet);
        register_module("wasp", _waterfall);
        Joints = joints;
    }

    /// <summary>Heatmap channels.</summary>
    public int Joints { get; }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    /// <summary>Heatmaps: N × joints × h × w, h = the size of max-pooled layer 1 (H/8 for H divisible by 8).</summary>
    /// <param name="input">N × 3 × H × W (the official preprocessing: BGR, (x − 128) / 256, 368×368).</param>
    /// <returns>The heatmaps.</returns>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        (Tensor top, Tensor l1, Tensor l2, Tensor l3) = _resnet.call(input);
        return _waterfall.call(top, l1, l2, l3).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// <c>wasp2mlf.py</c>'s <c>WASPv2</c>: the waterfall and the multi-level decoder. Layers 1, 2, 3 are reduced to 48
/// channels by 1×1 convs sharing one BatchNorm (<c>bn1_low</c>), resized bilinearly (align corners) to layer 4's size and
/// concatenated into the cascade <c>aspp1..4</c>; with image pooling the five 256-channel maps are fused by
/// <c>conv1</c>/<c>bn1</c>; the decoder concatenates that (resized to max-pooled layer 1) with the three levels and runs
/// <c>last_conv</c> (3×3, 3×3, 1×1). <c>conv2</c>/<c>bn2</c> exist (and load) but are unused, as in the official module.
/// </summary>
internal sealed class MultiLevelWaterfall : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Atrous[] _aspp;
    private readonly Sequential _globalAvgPool;
    private readonly Conv2d _fuse;
    private readonly BatchNorm2d _fuseNorm;
    private readonly Conv2d _reduceLow;
    private readonly Conv2d _reduceLower;
    private readonly Conv2d _reduceLowest;
    private readonly BatchNorm2d _reduceNorm;
    private readonly Sequential _lastConv;

    public MultiLevelWaterfall(int joints)
        : base("WASPv2")
    {
        _aspp = [new Atrous(2048, 1, 1), new Atrous(304, 3, 6), new Atrous(304, 3, 12), new Atrous(304, 3, 18)];
        for (int i = 0; i < _aspp.Length; i++)
        {
            register_module($"aspp{i + 1}", _aspp[i]);
        }

        _globalAvgPool = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(2048, 256, 1L, bias: false), nn.BatchNorm2d(256), nn.ReLU());
        _fuse = nn.Conv2d(1280, 256, 1L, bias: false);
        _fuseNorm = nn.BatchNorm2d(256);
        _reduceLow = nn.Conv2d(256, 48, 1L, bias: false);
        _reduceLower = nn.Conv2d(512, 48, 1L, bias: false);
        _reduceLowest = nn.Conv2d(1024, 48, 1L, bias: false);
        _reduceNorm = nn.BatchNorm2d(48);
        _lastConv = nn.Sequential(
            nn.Conv2d(400, 256, 3L, padding: 1L, bias: false), nn.BatchNorm2d(256), nn.ReLU(),
            nn.Conv2d(256, 256, 3L, padding: 1L, bias: false), nn.BatchNorm2d(256), nn.ReLU(),
            nn.Conv2d(256, joints, 1L));
        register_module("global_avg_pool", _globalAvgPool);
        register_module("conv1", _fuse);
        register_module("bn1", _fuseNorm);
        register_module("conv1_low", _reduceLow);
        register_module("conv1_lower", _reduceLower);
        register_module("conv1_lowest", _reduceLowest);
        register_module("bn1_low", _reduceNorm);
        register_module("conv2", nn.Conv2d(256, 48, 1L, bias: false)); // unused by the official forward
        register_module("bn2", nn.BatchNorm2d(48)); // unused by the official forward
        register_module("last_conv", _lastConv);
    }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    public override Tensor forward(Tensor top, Tensor layer1, Tensor layer2, Tensor layer3)
    {
        using var scope = NewDisposeScope();
        Tensor low = nn.functional.relu(_reduceNorm.call(_reduceLow.call(layer1)));
        Tensor lower = nn.functional.relu(_reduceNorm.call(_reduceLower.call(layer2)));
        Tensor lowest = nn.functional.relu(_reduceNorm.call(_reduceLowest.call(layer3)));
        long[] size = [top.shape[2], top.shape[3]];

        Tensor x1 = _aspp[0].call(top);
        Tensor x2 = _aspp[1].call(cat([x1, Resize(low, size)], 1));
        Tensor x3 = _aspp[2].call(cat([x2, Resize(lower, size)], 1));
        Tensor x4 = _aspp[3].call(cat([x3, Resize(lowest, size)], 1));
        Tensor x5 = Resize(_globalAvgPool.call(top), size);
        Tensor x = nn.functional.relu(_fuseNorm.call(_fuse.call(cat([x1, x2, x3, x4, x5], 1))));

        Tensor pooled = nn.functional.max_pool2d(low, 3, 2, 1);
        long[] target = [pooled.shape[2], pooled.shape[3]];
        x = cat([Resize(x, target), pooled, Resize(lower, target), Resize(lowest, target)], 1);
        return _lastConv.call(x).MoveToOuterDisposeScope();
    }

    /// <summary>Bilinear resize with align_corners = true (the official F.interpolate calls); a no-op at the same size.</summary>
    private static Tensor Resize(Tensor x, long[] size) =>
        x.shape[2] == size[0] && x.shape[3] == size[1]
            ? x
            : nn.functional.interpolate(x, size, mode: InterpolationMode.Bilinear, align_corners: true);

    /// <summary><c>_AtrousModule</c>: conv (no bias; padding = dilation for 3×3, 0 for 1×1) → BatchNorm → ReLU, 256 channels out.</summary>
    private sealed class Atrous : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _atrous;
        private readonly BatchNorm2d _norm;

        public Atrous(long inplanes, long kernel, long dilation)
            : base("_AtrousModule")
        {
            _atrous = nn.Conv2d(inplanes, 256, kernel, padding: kernel == 1 ? 0 : dilation, dilation: dilation, bias: false);
            nn.init.kaiming_normal_(_atrous.weight);
            _norm = nn.BatchNorm2d(256);
            register_module("atrous_conv", _atrous);
            register_module("bn", _norm);
        }

        /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
        protected override void RegisterComponents()
        {
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            return nn.functional.relu(_norm.call(_atrous.call(input))).MoveToOuterDisposeScope();
        }
    }
}
