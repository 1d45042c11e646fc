using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Models;

/// <summary>
/// The backbone NSRMhand's <c>VGG19</c> module builds: torchvision's <c>vgg19().features[:27]</c> (conv1_1 … conv4_4,
/// three 2×2 max-pools, registered as <c>backbone.{0..26}</c>) and three new 3×3 convolutions <c>conv5_1</c> (512→512),
/// <c>conv5_2</c> (512→512), <c>conv5_3</c> (512→128), each followed by ReLU. Output: N × 128 × H/8 × W/8.
/// </summary>
internal sealed class CpmBackbone : nn.Module<Tensor, Tensor>
{
    // vgg19.features[:27]: numbers are conv output channels, 'M' a 2×2 max-pool; each conv is followed by a ReLU.
    private static readonly int[] Layout = [64, 64, -1, 128, 128, -1, 256, 256, 256, 256, -1, 512, 512, 512, 512];
    private readonly Sequential _features;
    private readonly Conv2d _extra1;
    private readonly Conv2d _extra2;
    private readonly Conv2d _extra3;

    public CpmBackbone()
        : base("VGG19")
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        long channels = 3;
        foreach (int c in Layout)
        {
            if (c < 0)
            {
                layers.Add(nn.MaxPool2d(2, 2));
                continue;
            }

            // torchvision's VGG initialisation: Kaiming normal (fan_out, ReLU), zero bias.
            Conv2d conv = nn.Conv2d(channels, c, 3L, padding: 1L);
            nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            nn.init.zeros_(conv.bias);
            layers.Add(conv);
            layers.Add(nn.ReLU(inplace: true));
            channels = c;
        }

        _features = nn.Sequential(layers); // 27 modules: backbone.0 … backbone.26, as features[:27]
        _extra1 = nn.Conv2d(512, 512, 3L, padding: 1L);
        _extra2 = nn.Conv2d(512, 512, 3L, padding: 1L);
        _extra3 = nn.Conv2d(512, 128, 3L, padding: 1L);
        register_module("backbone", _features);
        register_module("conv5_1", _extra1);
        register_module("conv5_2", _extra2);
        register_module("conv5_3", _extra3);
    }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = _features.call(input);
        x = nn.functional.relu(_extra1.call(x));
        x = nn.functional.relu(_extra2.call(x));
        return nn.functional.relu(_extra3.call(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>NSRMhand's <c>Stage1</c>: 1×1 conv <c>stage1_1</c> (in→512) + ReLU, 1×1 conv <c>stage1_2</c> (512→out), no activation.</summary>
internal sealed class CpmStage1 : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _first;
    private readonly Conv2d _second;

    public CpmStage1(long inChannels, long outChannels)
        : base("Stage1")
    {
        _first = nn.Conv2d(inChannels, 512, 1L);
        _second = nn.Conv2d(512, outChannels, 1L);
        register_module("stage1_1", _first);
        register_module("stage1_2", _second);
    }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return _second.call(nn.functional.relu(_first.call(input))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// NSRMhand's <c>Stage</c> (t ≥ 2): five 7×7 convs <c>Mconv1..5.conv</c> (in→128, then 128→128, padding 3) and a 1×1
/// <c>Mconv6</c> (128→128), each + ReLU, then a 1×1 <c>Mconv7</c> (128→out) without activation.
/// </summary>
internal sealed class CpmStage : nn.Module<Tensor, Tensor>
{
    private readonly ConvBlock[] _blocks;
    private readonly Conv2d _pointwise;
    private readonly Conv2d _head;

    public CpmStage(long inChannels, long outChannels)
        : base("Stage")
    {
        _blocks = [new ConvBlock(inChannels), new ConvBlock(128), new ConvBlock(128), new ConvBlock(128), new ConvBlock(128)];
        for (int i = 0; i < _blocks.Length; i++)
        {
            register_module($"Mconv{i + 1}", _blocks[i]);
        }

        _pointwise = nn.Conv2d(128, 128, 1L);
        _head = nn.Conv2d(128, outChannels, 1L);
        register_module("Mconv6", _pointwise);
        register_module("Mconv7", _head);
    }

    /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
    protected override void RegisterComponents()
    {
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        Tensor x = input;
        foreach (ConvBlock b in _blocks)
        {
            x = nn.functional.relu(b.call(x));
        }

        return _head.call(nn.functional.relu(_pointwise.call(x))).MoveToOuterDisposeScope();
    }

    /// <summary>NSRMhand's <c>ConvBlock</c>: one 7×7 convolution to 128 channels, padding 3, named <c>conv</c>.</summary>
    private sealed class ConvBlock : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d _kernel7;

        public ConvBlock(long inChannels)
            : base("ConvBlock")
        {
            _kernel7 = nn.Conv2d(inChannels, 128, 7L, padding: 3L);
            register_module("conv", _kernel7);
        }

        /// <summary>Registers nothing more: the constructor registers every child under its official name (TorchSharp would add private fields again under their field names).</summary>
        protected override void RegisterComponents()
        {
        }

        public override Tensor forward(Tensor input) => Internal.ChannelPadding.Conv(_kernel7, input);
    }
}
