using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>
/// HandyPose's backbone (<c>model/modules/backbone/resnet.py</c>, <c>ResNet101</c> at output stride 16): a ResNet-101 of
/// bottlenecks (stride on the 3×3), strides 1/2/2/1, and a multi-grid <c>layer4</c> of three blocks with dilations
/// 2, 4, 8. TorchVision's names (<c>conv1, bn1, layer1..4</c>, <c>downsample.0/1</c>), no <c>fc</c>. Returns layer 4
/// (2048 × H/16) and the taps of layers 1–3 (256 × H/4, 512 × H/8, 1024 × H/16).
/// </summary>
internal sealed class DilatedResNet : nn.Module<Tensor, (Tensor Top, Tensor Layer1, Tensor Layer2, Tensor Layer3)>
{
    private readonly Conv2d _c1;
    private readonly BatchNorm2d _n1;
    private readonly Sequential[] _layers;
    private long _inplanes = 64;

    public DilatedResNet()
        : base("ResNet")
    {
        _c1 = nn.Conv2d(3, 64, 7L, stride: 2L, padding: 3L, bias: false);
        _n1 = nn.BatchNorm2d(64);
        _layers =
        [
            MakeLayer(64, [1, 1, 1], 1),
            MakeLayer(128, [1, 1, 1, 1], 2),
            MakeLayer(256, [.. Enumerable.Repeat(1L, 23)], 2),
            MakeLayer(512, [2, 4, 8], 1), // _make_MG_unit: blocks [1, 2, 4] × dilation 2
        ];
        register_module("conv1", _c1);
        register_module("bn1", _n1);
        for (int i = 0; i < _layers.Length; i++)
        {
            register_module($"layer{i + 1}", _layers[i]);
        }

        // The official _init_weight: conv N(0, sqrt(2 / (k·k·out))), BatchNorm γ = 1, β = 0.
        foreach (nn.Module m in modules())
        {
            if (m is Conv2d c)
            {
                long n = c.weight!.shape[2] * c.weight.shape[3] * c.weight.shape[0];
                nn.init.normal_(c.weight, 0, Math.Sqrt(2.0 / n));
            }
        }
    }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    public override (Tensor Top, Tensor Layer1, Tensor Layer2, Tensor Layer3) forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = nn.functional.relu(_n1.call(_c1.call(input)));
        x = nn.functional.max_pool2d(x, 3, 2, 1);
        Tensor l1 = _layers[0].call(x);
        Tensor l2 = _layers[1].call(l1);
        Tensor l3 = _layers[2].call(l2);
        Tensor top = _layers[3].call(l3);
        return (top.MoveToOuterDisposeScope(), l1.MoveToOuterDisposeScope(), l2.MoveToOuterDisposeScope(), l3.MoveToOuterDisposeScope());
    }

    private Sequential MakeLayer(long planes, long[] dilations, long stride)
    {
        Sequential? downsample = null;
        if (stride != 1 || _inplanes != planes * 4)
        {
            downsample = nn.Sequential(nn.Conv2d(_inplanes, planes * 4, 1L, stride: stride, bias: false), nn.BatchNorm2d(planes * 4));
        }

        var blocks = new List<nn.Module<Tensor, Tensor>> { new Bottleneck(_inplanes, planes, stride, dilations[0], downsample) };
        _inplanes = planes * 4;
        for (int i = 1; i < dilations.Length; i++)
        {
            blocks.Add(new Bottleneck(_inplanes, planes, 1, dilations[i], null));
        }

        return nn.Sequential(blocks);
    }

    /// <summary>The bottleneck block (expansion 4; 1×1, 3×3 with stride and dilation, 1×1; BatchNorm after each).</summary>
    private sealed class Bottleneck : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _c1;
        private readonly BatchNorm2d _n1;
        private readonly Conv2d _c2;
        private readonly BatchNorm2d _n2;
        private readonly Conv2d _c3;
        private readonly BatchNorm2d _n3;
        private readonly Sequential? _shortcut;

        public Bottleneck(long inplanes, long planes, long stride, long dilation, Sequential? downsample)
            : base("Bottleneck")
        {
            _c1 = nn.Conv2d(inplanes, planes, 1L, bias: false);
            _n1 = nn.BatchNorm2d(planes);
            _c2 = nn.Conv2d(planes, planes, 3L, stride: stride, padding: dilation, dilation: dilation, bias: false);
            _n2 = nn.BatchNorm2d(planes);
            _c3 = nn.Conv2d(planes, planes * 4, 1L, bias: false);
            _n3 = nn.BatchNorm2d(planes * 4);
            _shortcut = downsample;
            register_module("conv1", _c1);
            register_module("bn1", _n1);
            register_module("conv2", _c2);
            register_module("bn2", _n2);
            register_module("conv3", _c3);
            register_module("bn3", _n3);
            if (downsample is not null)
            {
                register_module("downsample", downsample);
            }
        }

        /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
        protected override void RegisterComponents()
        {
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            Tensor y = nn.functional.relu(_n1.call(_c1.call(input)));
            y = nn.functional.relu(_n2.call(_c2.call(y)));
            y = _n3.call(_c3.call(y));
            Tensor residual = _shortcut is null ? input : _shortcut.call(input);
            return nn.functional.relu(y.add_(residual)).MoveToOuterDisposeScope();
        }
    }
}
