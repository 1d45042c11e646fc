using HandPose.Onnx.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Export.Internal;

/// <summary>
/// Writes TorchSharp layers as ONNX operators into one graph: each method takes the name of the value a layer reads and
/// returns the name of the value it writes. Weights become initializers named by the module's path
/// (<c>layer1.0.conv1.weight</c>), so the graph reads like the state dict. Evaluation-mode semantics (BatchNorm on its
/// running statistics, Dropout as identity).
/// </summary>
internal sealed class OnnxModuleEmitter
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved;

    /// <param name="graph">The graph to write into.</param>
    /// <param name="reserved">Names no internal value may take (the graph outputs, written last by <see cref="Output"/>).</param>
    public OnnxModuleEmitter(OnnxGraphBuilder graph, IEnumerable<string> reserved)
    {
        Graph = graph;
        _reserved = new HashSet<string>(reserved, StringComparer.Ordinal);
    }

    public OnnxGraphBuilder Graph { get; }

    /// <summary>The child module at a dotted path of registered names (<c>vgg19.backbone</c>).</summary>
    public static nn.Module Child(nn.Module module, string path)
    {
        nn.Module current = module;
        foreach (string name in path.Split('.'))
        {
            current = current.named_children().FirstOrDefault(c => c.name == name).module
                ?? throw new ArgumentException($"{module.GetName()} has no submodule '{path}' (missing '{name}').", nameof(path));
        }

        return current;
    }

    /// <summary>Emits any supported module (containers recursively).</summary>
    /// <exception cref="ArgumentException">A module type the exporter has no ONNX form for.</exception>
    public string Module(nn.Module module, string x, string path)
    {
        switch (module)
        {
            case Sequential seq:
                foreach ((string name, nn.Module child) in seq.named_children())
                {
                    x = Module(child, x, Join(path, name));
                }

                return x;
            case Conv2d conv:
                return Conv(conv, x, path);
            case ConvTranspose2d deconv:
                return ConvTranspose(deconv, x, path);
            case BatchNorm2d bn:
                return BatchNorm(bn, x, path);
            case ReLU:
                return Op("Relu", [x], path);
            case LeakyReLU leaky:
                return LeakyRelu(x, (float)leaky.negative_slope, path);
            case Sigmoid:
                return Op("Sigmoid", [x], path);
            case MaxPool2d pool:
                return MaxPool(x, pool.kernel_size, pool.stride ?? pool.kernel_size, pool.padding ?? [0, 0], pool.dilation ?? [1, 1], pool.ceil_mode, path);
            case AvgPool2d avg:
                if (avg.divisor_override is not null)
                {
                    throw Unsupported(avg, path, "divisor_override");
                }

                return Op("AveragePool", [x], path,
                [
                    OnnxAttribute.Ints("kernel_shape", avg.kernel_size),
                    OnnxAttribute.Ints("strides", avg.stride ?? avg.kernel_size),
                    OnnxAttribute.Ints("pads", Pads(avg.padding ?? [0, 0])),
                    OnnxAttribute.Int("ceil_mode", avg.ceil_mode ? 1 : 0),
                    OnnxAttribute.Int("count_include_pad", avg.count_include_pad ? 1 : 0),
                ]);
            case AdaptiveAvgPool2d adaptive when adaptive.output_size.All(s => s == 1):
                return Op("GlobalAveragePool", [x], path);
            case Linear linear:
                return Linear(linear, x, path);
            case Flatten:
                return Op("Flatten", [x], path, [OnnxAttribute.Int("axis", 1)]);
            case Identity or Dropout or Dropout2d:
                return x;
            default:
                if (module.GetType().Name is "BasicBlock" or "Bottleneck")
                {
                    return ResidualBlock(module, x, path);
                }

                throw Unsupported(module, path, "this module type");
        }
    }

    /// <summary>A convolution with the module's own (unpadded) weights; zero padding only.</summary>
    public string Conv(Conv2d conv, string x, string path)
    {
        if (conv.padding_mode != PaddingModes.Zeros)
        {
            throw Unsupported(conv, path, $"padding mode {conv.padding_mode}");
        }

        long[] padding = conv.padding ?? (conv.padding_type == Padding.Valid ? [0, 0] : throw Unsupported(conv, path, "padding 'same'"));
        IReadOnlyList<string> inputs = WeightAndBias(x, conv.weight!, conv.bias, path);

        return Op("Conv", inputs, path,
        [
            OnnxAttribute.Ints("kernel_shape", conv.kernel_size),
            OnnxAttribute.Ints("strides", conv.stride),
            OnnxAttribute.Ints("pads", Pads(padding)),
            OnnxAttribute.Ints("dilations", conv.dilation),
            OnnxAttribute.Int("group", conv.groups),
        ]);
    }

    /// <summary>A transposed convolution (weight in × out/groups × kh × kw, as ONNX expects).</summary>
    public string ConvTranspose(ConvTranspose2d deconv, string x, string path)
    {
        IReadOnlyList<string> inputs = WeightAndBias(x, deconv.weight!, deconv.bias, path);

        return Op("ConvTranspose", inputs, path,
        [
            OnnxAttribute.Ints("kernel_shape", deconv.kernel_size),
            OnnxAttribute.Ints("strides", deconv.stride),
            OnnxAttribute.Ints("pads", Pads(deconv.padding ?? [0, 0])),
            OnnxAttribute.Ints("output_padding", deconv.output_padding),
            OnnxAttribute.Ints("dilations", deconv.dilation),
            OnnxAttribute.Int("group", deconv.groups),
        ]);
    }

    /// <summary>Inference-mode BatchNormalization on the running statistics.</summary>
    public string BatchNorm(BatchNorm2d bn, string x, string path)
    {
        if (bn.running_mean is null || bn.running_var is null)
        {
            throw Unsupported(bn, path, "BatchNorm without running statistics (track_running_stats = false)");
        }

        long c = bn.num_features;
        string scale = bn.weight is null ? Constant(path + ".weight", Enumerable.Repeat(1f, (int)c).ToArray(), [c]) : Weight(bn.weight, path + ".weight");
        string bias = bn.bias is null ? Constant(path + ".bias", new float[c], [c]) : Weight(bn.bias, path + ".bias");
        return Op("BatchNormalization", [x, scale, bias, Weight(bn.running_mean, path + ".running_mean"), Weight(bn.running_var, path + ".running_var")], path,
            [OnnxAttribute.Float("epsilon", (float)bn.eps)]);
    }

    /// <summary>y = x Wᵀ + b on the last axis (Gemm for 2-D inputs).</summary>
    public string Linear(Linear linear, string x, string path)
    {
        IReadOnlyList<string> inputs = WeightAndBias(x, linear.weight!, linear.bias, path);

        return Op("Gemm", inputs, path, [OnnxAttribute.Int("transB", 1)]);
    }

    public string MaxPool(string x, long[] kernel, long[] stride, long[] padding, long[] dilation, bool ceil, string path) =>
        Op("MaxPool", [x], path,
        [
            OnnxAttribute.Ints("kernel_shape", kernel),
            OnnxAttribute.Ints("strides", stride),
            OnnxAttribute.Ints("pads", Pads(padding)),
            OnnxAttribute.Ints("dilations", dilation),
            OnnxAttribute.Int("ceil_mode", ceil ? 1 : 0),
        ]);

    public string Relu(string x, string path) => Op("Relu", [x], path);

    public string LeakyRelu(string x, float slope, string path) => Op("LeakyRelu", [x], path, [OnnxAttribute.Float("alpha", slope)]);

    public string Add(string a, string b, string path) => Op("Add", [a, b], path);

    public string Concat(IReadOnlyList<string> xs, string path, long axis = 1) => Op("Concat", xs, path, [OnnxAttribute.Int("axis", axis)]);

    /// <summary>torch.stack(xs, 1): each unsqueezed at axis 1, then concatenated.</summary>
    public string Stack(IReadOnlyList<string> xs, string path)
    {
        string axes = Constant(path + ".axes", [1L], [1]);
        return Concat([.. xs.Select((v, i) => Op("Unsqueeze", [v, axes], $"{path}.{i}"))], path);
    }

    /// <summary>
    /// Bilinear resize of <paramref name="x"/> to the height and width of <paramref name="like"/>, sizes read at run time:
    /// align_corners (PyTorch's <c>F.interpolate(..., mode="bilinear", align_corners=True)</c>) or asymmetric (TF 1's
    /// <c>resize_bilinear</c>: source = destination × in / out).
    /// </summary>
    public string ResizeLike(string x, string like, string path, bool alignCorners = true)
    {
        string batchChannels = Op("Shape", [x], path + ".nc", [OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 2)]);
        string spatial = Op("Shape", [like], path + ".hw", [OnnxAttribute.Int("start", 2), OnnxAttribute.Int("end", 4)]);
        string sizes = Concat([batchChannels, spatial], path + ".sizes", axis: 0);
        return Op("Resize", [x, string.Empty, string.Empty, sizes], path,
        [
            OnnxAttribute.String("mode", "linear"),
            OnnxAttribute.String("coordinate_transformation_mode", alignCorners ? "align_corners" : "asymmetric"),
        ]);
    }

    /// <summary>x[:, index] (drops axis 1).</summary>
    public string Select1(string x, long index, string path) =>
        Op("Gather", [x, Constant(path + ".index", [index], [])], path, [OnnxAttribute.Int("axis", 1)]);

    /// <summary>A node with one output named after <paramref name="path"/>.</summary>
    public string Op(string opType, IReadOnlyList<string> inputs, string path, IEnumerable<OnnxAttribute>? attributes = null)
    {
        string output = Fresh(path.Length == 0 ? opType : path);
        Graph.AddNode(opType, inputs, [output], attributes, name: output);
        return output;
    }

    /// <summary>Makes <paramref name="value"/> a graph output named <paramref name="name"/> (an Identity node).</summary>
    public void Output(string value, string name, IReadOnlyList<long> shape)
    {
        Graph.AddNode("Identity", [value], [name], name: "output:" + name);
        Graph.AddOutput(name, OnnxElementType.Float, [.. shape.Select((d, i) => i == 0 ? OnnxDimension.Symbolic("N") : OnnxDimension.Fixed(d))]);
    }

    private string ResidualBlock(nn.Module block, string x, string path)
    {
        // torchvision's BasicBlock (conv1, bn1, conv2, bn2) and Bottleneck (+ conv3, bn3): ReLU after every pair but
        // the last, the shortcut (downsample or identity) added before the final ReLU.
        bool bottleneck = block.GetType().Name == "Bottleneck";
        string y = x;
        int pairs = bottleneck ? 3 : 2;
        for (int i = 1; i <= pairs; i++)
        {
            y = Module(Child(block, $"conv{i}"), y, $"{path}.conv{i}");
            y = Module(Child(block, $"bn{i}"), y, $"{path}.bn{i}");
            if (i < pairs)
            {
                y = Relu(y, $"{path}.relu{i}");
            }
        }

        nn.Module? down = block.named_children().FirstOrDefault(c => c.name == "downsample").module;
        string shortcut = down is null ? x : Module(down, x, path + ".downsample");
        return Relu(Add(y, shortcut, path + ".add"), path + ".relu");
    }

    /// <summary>[x, weight] or [x, weight, bias]: the inputs of Conv, ConvTranspose and Gemm.</summary>
    private string[] WeightAndBias(string x, Tensor weight, Tensor? bias, string path) =>
        bias is null ? [x, Weight(weight, path + ".weight")] : [x, Weight(weight, path + ".weight"), Weight(bias, path + ".bias")];

    private string Weight(Tensor t, string name)
    {
        using var scope = NewDisposeScope();
        Tensor c = t.detach().cpu().to_type(ScalarType.Float32).contiguous();
        return Constant(name, c.data<float>().ToArray(), c.shape);
    }

    private string Constant(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> shape)
    {
        string unique = Fresh(name);
        Graph.AddInitializer(unique, values, shape);
        return unique;
    }

    private string Constant(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> shape)
    {
        string unique = Fresh(name);
        Graph.AddInitializer(unique, values, shape);
        return unique;
    }

    /// <summary>The name itself the first time, then name_1, name_2, … (a module called twice, e.g. NSRM's shared BatchNorm).</summary>
    private string Fresh(string name)
    {
        int n = _counts.GetValueOrDefault(name);
        _counts[name] = n + 1;
        string candidate = n == 0 ? name : $"{name}_{n}";
        while (Graph.IsDefined(candidate) || _reserved.Contains(candidate))
        {
            candidate = $"{name}_{++n}";
            _counts[name] = n + 1;
        }

        return candidate;
    }

    private static long[] Pads(long[] padding) => padding.Length == 1
        ? [padding[0], padding[0], padding[0], padding[0]]
        : [padding[0], padding[1], padding[0], padding[1]];

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static ArgumentException Unsupported(nn.Module module, string path, string what) =>
        new($"The ONNX exporter cannot write '{path}' ({module.GetType().Name}): {what} is not supported.", nameof(module));
}
