using HandPose.Torch.Modules;

namespace HandPose.Torch.Models;

/// <summary>A torchvision ResNet block: <c>BasicBlock</c> (two 3×3 convs) or <c>Bottleneck</c> (1×1, 3×3, 1×1 ×4).</summary>
public sealed class ResNetBlock : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Conv2d _conv2;
    private readonly BatchNorm2d _bn2;
    private readonly Conv2d? _conv3;
    private readonly BatchNorm2d? _bn3;
    private readonly Sequential? _downsample;

    internal ResNetBlock(bool bottleneck, long inplanes, long planes, long stride, long dilation, bool downsample)
    {
        long expansion = bottleneck ? 4 : 1;
        if (bottleneck)
        {
            _conv1 = RegisterModule("conv1", new Conv2d(inplanes, planes, 1, bias: false));
            _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
            _conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, stride, dilation, dilation, bias: false));
            _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
            _conv3 = RegisterModule("conv3", new Conv2d(planes, planes * expansion, 1, bias: false));
            _bn3 = RegisterModule("bn3", new BatchNorm2d(planes * expansion));
        }
        else
        {
            if (dilation > 1)
            {
                throw new ArgumentException("Dilation > 1 is not supported in BasicBlock (as in torchvision); use ResNet-50 or deeper.", nameof(dilation));
            }

            _conv1 = RegisterModule("conv1", new Conv2d(inplanes, planes, 3, stride, 1, bias: false));
            _bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
            _conv2 = RegisterModule("conv2", new Conv2d(planes, planes, 3, 1, 1, bias: false));
            _bn2 = RegisterModule("bn2", new BatchNorm2d(planes));
        }

        if (downsample)
        {
            _downsample = RegisterModule("downsample", new Sequential(
                new Conv2d(inplanes, planes * expansion, 1, stride, bias: false),
                new BatchNorm2d(planes * expansion)));
        }
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = Functional.Relu(_bn1.Forward(_conv1.Forward(input)));
        x = _bn2.Forward(_conv2.Forward(x));
        if (_conv3 is not null)
        {
            x = _bn3!.Forward(_conv3.Forward(Functional.Relu(x)));
        }

        Tensor identity = _downsample?.Forward(input) ?? input;
        return Functional.Relu(x + identity);
    }
}

/// <summary>The ResNet depths torchvision defines.</summary>
public enum ResNetDepth
{
    /// <summary>ResNet-18: BasicBlock [2, 2, 2, 2].</summary>
    ResNet18 = 18,

    /// <summary>ResNet-34: BasicBlock [3, 4, 6, 3].</summary>
    ResNet34 = 34,

    /// <summary>ResNet-50: Bottleneck [3, 4, 6, 3].</summary>
    ResNet50 = 50,

    /// <summary>ResNet-101: Bottleneck [3, 4, 23, 3].</summary>
    ResNet101 = 101,

    /// <summary>ResNet-152: Bottleneck [3, 8, 36, 3].</summary>
    ResNet152 = 152,
}

/// <summary>
/// torchvision's ResNet with its structure and parameter names (<c>conv1, bn1, layer1..4, fc</c>), so torchvision
/// state dicts load as they are. As a backbone (<c>classes = 0</c>) it has no <c>avgpool</c>/<c>fc</c> and returns C5.
/// </summary>
public sealed class ResNet : Module
{
    private readonly Conv2d _conv1;
    private readonly BatchNorm2d _bn1;
    private readonly Sequential[] _layers;
    private readonly Linear? _fc;

    /// <summary>Creates the network with PyTorch's default initialization.</summary>
    /// <param name="depth">18, 34, 50, 101 or 152.</param>
    /// <param name="classes">Classifier outputs (torchvision: 1000); 0 for a backbone without pooling and fc.</param>
    /// <param name="dilateStages">For layer2..layer4: replace the stride with dilation (torchvision's replace_stride_with_dilation; Bottleneck depths only).</param>
    public ResNet(ResNetDepth depth, int classes = 1000, IReadOnlyList<bool>? dilateStages = null)
    {
        (bool bottleneck, int[] blocks) = depth switch
        {
            ResNetDepth.ResNet18 => (false, new[] { 2, 2, 2, 2 }),
            ResNetDepth.ResNet34 => (false, [3, 4, 6, 3]),
            ResNetDepth.ResNet50 => (true, [3, 4, 6, 3]),
            ResNetDepth.ResNet101 => (true, [3, 4, 23, 3]),
            ResNetDepth.ResNet152 => (true, [3, 8, 36, 3]),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "Use 18, 34, 50, 101 or 152."),
        };
        bool[] dilate = dilateStages?.ToArray() ?? [false, false, false];
        if (dilate.Length != 3)
        {
            throw new ArgumentException("dilateStages needs one flag for each of layer2, layer3 and layer4.", nameof(dilateStages));
        }

        Depth = depth;
        Expansion = bottleneck ? 4 : 1;
        _conv1 = RegisterModule("conv1", new Conv2d(3, 64, 7, 2, 3, bias: false));
        _bn1 = RegisterModule("bn1", new BatchNorm2d(64));
        long inplanes = 64;
        long dilation = 1;
        _layers = new Sequential[4];
        long[] planes = [64, 128, 256, 512];
        for (int stage = 0; stage < 4; stage++)
        {
            long stride = stage == 0 ? 1 : 2;
            long previousDilation = dilation;
            if (stage > 0 && dilate[stage - 1])
            {
                dilation *= stride;
                stride = 1;
            }

            var stageBlocks = new List<Module>();
            bool downsample = stride != 1 || inplanes != planes[stage] * Expansion;
            stageBlocks.Add(new ResNetBlock(bottleneck, inplanes, planes[stage], stride, previousDilation, downsample));
            inplanes = planes[stage] * Expansion;
            for (int b = 1; b < blocks[stage]; b++)
            {
                stageBlocks.Add(new ResNetBlock(bottleneck, inplanes, planes[stage], 1, dilation, false));
            }

            _layers[stage] = RegisterModule($"layer{stage + 1}", new Sequential(stageBlocks));
        }

        if (classes > 0)
        {
            _fc = RegisterModule("fc", new Linear(512 * Expansion, classes));
        }
    }

    /// <summary>The depth.</summary>
    public ResNetDepth Depth { get; }

    /// <summary>1 for BasicBlock depths, 4 for Bottleneck depths.</summary>
    public int Expansion { get; }

    /// <summary>Channels of the last stage's output (512 × expansion).</summary>
    public long OutputChannels => 512 * Expansion;

    /// <summary>Logits (N × classes), or C5 features for a backbone.</summary>
    /// <param name="input">N×3×H×W.</param>
    /// <returns>The output.</returns>
    public override Tensor Forward(Tensor input)
    {
        Tensor x = Functional.Relu(_bn1.Forward(_conv1.Forward(input)));
        x = Functional.MaxPool2d(x, (3, 3), (2, 2), (1, 1));
        foreach (Sequential layer in _layers)
        {
            x = layer.Forward(x);
        }

        if (_fc is null)
        {
            return x;
        }

        x = Functional.AdaptiveAvgPool2d(x, (1, 1)).Flatten(1);
        return _fc.Forward(x);
    }
}
