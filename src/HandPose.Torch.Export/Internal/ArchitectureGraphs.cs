using HandPose.Torch.Models;
using HandPose.Torch.Models.Hand3d;
using TorchSharp.Modules;
using static HandPose.Torch.Export.Internal.OnnxModuleEmitter;
using static TorchSharp.torch;

namespace HandPose.Torch.Export.Internal;

/// <summary>
/// The forward logic of each zoo network as ONNX nodes, over the network's own registered modules (by their official
/// names): what is not a plain chain of layers — residual blocks, CPM/NSRM stages with their concatenations, stacked
/// stage outputs. Each builder returns the network's official outputs in <see cref="TorchArchitecture.Outputs"/> order.
/// </summary>
internal static class ArchitectureGraphs
{
    /// <summary>Whether <paramref name="model"/> is the network <paramref name="architecture"/> builds (type and depth).</summary>
    public static bool IsNetworkOf(string architecture, nn.Module model) => model switch
    {
        SimpleBaseline sb => architecture == $"simplebaseline-resnet{(int)sb.Depth}",
        FreiHandPoseNetwork frei => architecture == $"freihand-resnet{(int)frei.Depth}",
        Cpm => architecture == "cpm",
        Nsrm nsrm => architecture.StartsWith("nsrm-", StringComparison.Ordinal) && architecture.EndsWith(nsrm.Grouping switch
        {
            NsrmGrouping.G1 => "-g1",
            NsrmGrouping.G6 => "-g6",
            _ => "-g1g6",
        }, StringComparison.Ordinal),
        ResNet => architecture.StartsWith("resnet", StringComparison.Ordinal),
        HandyPose => architecture == "handypose",
        HandSegNet => architecture == "hand3d-handsegnet",
        Hand3dPoseNet => architecture == "hand3d-posenet",
        _ => false,
    };

    /// <exception cref="ArgumentException">The network's type has no ONNX graph (the message lists the ones that do).</exception>
    public static IReadOnlyList<string> Build(OnnxModuleEmitter e, nn.Module model, IReadOnlyList<string> inputs) => model switch
    {
        SimpleBaseline sb => [SimpleBaselineGraph(e, sb, inputs[0])],
        FreiHandPoseNetwork frei => [e.Module(Child(frei, "decoder"), e.Module(Child(frei, "encoder"), inputs[0], "encoder"), "decoder")],
        Cpm cpm => [CpmGraph(e, cpm, inputs[0])],
        Nsrm nsrm => NsrmGraph(e, nsrm, inputs[0]),
        ResNet resnet => [ResNetGraph(e, resnet, inputs[0])],
        HandyPose handy => [HandyPoseGraph(e, handy, inputs[0])],
        HandSegNet seg => [HandSegNetGraph(e, seg, inputs[0])],
        Hand3dPoseNet pose => [Hand3dPoseNetGraph(e, pose, inputs[0])],
        _ => throw new ArgumentException(
            $"The ONNX exporter has no graph for {model.GetType().Name}; it exports SimpleBaseline, FreiHandPoseNetwork, Cpm, Nsrm, HandyPose, HandSegNet, Hand3dPoseNet and torchvision ResNets.",
            nameof(model)),
    };

    private static string SimpleBaselineGraph(OnnxModuleEmitter e, SimpleBaseline model, string x)
    {
        foreach (string name in new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "deconv_layers", "final_layer" })
        {
            x = e.Module(Child(model, name), x, name);
        }

        return x;
    }

    private static string ResNetGraph(OnnxModuleEmitter e, ResNet model, string x)
    {
        foreach (string name in new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool" })
        {
            x = e.Module(Child(model, name), x, name);
        }

        x = e.Op("Flatten", [x], "flatten", [Onnx.Model.OnnxAttribute.Int("axis", 1)]);
        return e.Module(Child(model, "fc"), x, "fc");
    }

    /// <summary>NSRMhand's VGG19 backbone: features[:27], then conv5_1..5_3 each with ReLU.</summary>
    private static string CpmBackbone(OnnxModuleEmitter e, nn.Module model, string x)
    {
        x = e.Module(Child(model, "vgg19.backbone"), x, "vgg19.backbone");
        foreach (string name in new[] { "conv5_1", "conv5_2", "conv5_3" })
        {
            x = e.Relu(e.Module(Child(model, "vgg19." + name), x, "vgg19." + name), $"vgg19.{name}.relu");
        }

        return x;
    }

    /// <summary>Stage 1: 1×1 conv, ReLU, 1×1 conv.</summary>
    private static string Stage1(OnnxModuleEmitter e, nn.Module model, string x)
    {
        x = e.Relu(e.Module(Child(model, "stage1.stage1_1"), x, "stage1.stage1_1"), "stage1.relu");
        return e.Module(Child(model, "stage1.stage1_2"), x, "stage1.stage1_2");
    }

    /// <summary>Stage t ≥ 2: Mconv1..5 (7×7) and Mconv6 each with ReLU, then Mconv7.</summary>
    private static string Stage(OnnxModuleEmitter e, nn.Module model, int t, string x)
    {
        string p = $"stage{t}";
        for (int i = 1; i <= 6; i++)
        {
            string name = i <= 5 ? $"{p}.Mconv{i}.conv" : $"{p}.Mconv6";
            x = e.Relu(e.Module(Child(model, name), x, name), $"{p}.relu{i}");
        }

        return e.Module(Child(model, $"{p}.Mconv7"), x, $"{p}.Mconv7");
    }

    private static string CpmGraph(OnnxModuleEmitter e, Cpm model, string x)
    {
        string features = CpmBackbone(e, model, x);
        var stages = new List<string> { Stage1(e, model, features) };
        for (int t = 2; t <= 6; t++)
        {
            stages.Add(Stage(e, model, t, e.Concat([features, stages[^1]], $"stage{t}.input")));
        }

        return e.Stack(stages, "stages");
    }

    private static IReadOnlyList<string> NsrmGraph(OnnxModuleEmitter e, Nsrm model, string x)
    {
        string f = CpmBackbone(e, model, x);
        string s1 = Stage1(e, model, f);
        string s2 = Stage(e, model, 2, e.Concat([f, s1], "stage2.input"));
        string s3 = Stage(e, model, 3, e.Concat([f, s2], "stage3.input"));
        string k1 = Stage(e, model, 4, e.Concat([f, s3], "stage4.input"));
        string k2 = Stage(e, model, 5, e.Concat([f, s3, k1], "stage5.input"));
        string k3 = Stage(e, model, 6, e.Concat([f, s3, k2], "stage6.input"));
        string structure = e.Op("Sigmoid", [e.Stack([s1, s2, s3], "structure.stack")], "structure.sigmoid");
        return [structure, e.Stack([k1, k2, k3], "keypoints.stack")];
    }

    /// <summary>
    /// HandyPose: the dilated ResNet-101 (conv1, bn1, ReLU, 3×3/2 max-pool, layer1..4, keeping layer1..3) and the
    /// Multi-Level Waterfall: a shared BatchNorm (bn1_low) on the three reduced low-level maps, the waterfall of atrous
    /// modules fed with the resized low-level maps, image pooling, fusion, and the decoder at stride 8.
    /// </summary>
    private static string HandyPoseGraph(OnnxModuleEmitter e, HandyPose model, string x)
    {
        x = e.Relu(e.Module(Child(model, "backbone.bn1"), e.Module(Child(model, "backbone.conv1"), x, "backbone.conv1"), "backbone.bn1"), "backbone.relu");
        x = e.MaxPool(x, [3, 3], [2, 2], [1, 1], [1, 1], false, "backbone.maxpool");
        string l1 = e.Module(Child(model, "backbone.layer1"), x, "backbone.layer1");
        string l2 = e.Module(Child(model, "backbone.layer2"), l1, "backbone.layer2");
        string l3 = e.Module(Child(model, "backbone.layer3"), l2, "backbone.layer3");
        string top = e.Module(Child(model, "backbone.layer4"), l3, "backbone.layer4");

        string Reduce(string input, string conv) =>
            e.Relu(e.Module(Child(model, "wasp.bn1_low"), e.Module(Child(model, "wasp." + conv), input, "wasp." + conv), "wasp.bn1_low"), $"wasp.{conv}.relu");
        string Atrous(string input, int i) =>
            e.Relu(e.Module(Child(model, $"wasp.aspp{i}.bn"), e.Module(Child(model, $"wasp.aspp{i}.atrous_conv"), input, $"wasp.aspp{i}.atrous_conv"), $"wasp.aspp{i}.bn"), $"wasp.aspp{i}.relu");

        string low = Reduce(l1, "conv1_low"), lower = Reduce(l2, "conv1_lower"), lowest = Reduce(l3, "conv1_lowest");
        string x1 = Atrous(top, 1);
        string x2 = Atrous(e.Concat([x1, e.ResizeLike(low, top, "wasp.low.resize")], "wasp.aspp2.input"), 2);
        string x3 = Atrous(e.Concat([x2, e.ResizeLike(lower, top, "wasp.lower.resize")], "wasp.aspp3.input"), 3);
        string x4 = Atrous(e.Concat([x3, e.ResizeLike(lowest, top, "wasp.lowest.resize")], "wasp.aspp4.input"), 4);
        string x5 = e.ResizeLike(e.Module(Child(model, "wasp.global_avg_pool"), top, "wasp.global_avg_pool"), top, "wasp.pool.resize");
        string fused = e.Module(Child(model, "wasp.conv1"), e.Concat([x1, x2, x3, x4, x5], "wasp.fuse.input"), "wasp.conv1");
        fused = e.Relu(e.Module(Child(model, "wasp.bn1"), fused, "wasp.bn1"), "wasp.fuse.relu");

        string pooled = e.MaxPool(low, [3, 3], [2, 2], [1, 1], [1, 1], false, "wasp.low.maxpool");
        string decoder = e.Concat(
            [e.ResizeLike(fused, pooled, "wasp.fuse.resize"), pooled, e.ResizeLike(lower, pooled, "wasp.lower.resize2"), e.ResizeLike(lowest, pooled, "wasp.lowest.resize2")],
            "wasp.last_conv.input");
        return e.Module(Child(model, "wasp.last_conv"), decoder, "wasp.last_conv");
    }

    /// <summary>hand3d's VGG-style encoders: each conv (stride 1, SAME) with LeakyReLU 0.01, a 2×2 max-pool after conv1_2, conv2_2 and conv3_4.</summary>
    private static string Hand3dEncoder(OnnxModuleEmitter e, nn.Module model, IEnumerable<string> names, string x)
    {
        foreach (string name in names)
        {
            x = e.LeakyRelu(e.Module(Child(model, name), x, name), 0.01f, name + ".relu");
            if (name is "conv1_2" or "conv2_2" or "conv3_4")
            {
                x = e.MaxPool(x, [2, 2], [2, 2], [0, 0], [1, 1], false, name + ".pool");
            }
        }

        return x;
    }

    /// <summary>HandSegNet: the encoder up to conv6_1, conv6_2 (2 logits), TF's bilinear resize (asymmetric, half-pixel free) to the input size.</summary>
    private static string HandSegNetGraph(OnnxModuleEmitter e, HandSegNet model, string x)
    {
        string[] names = [.. model.named_children().Select(c => c.name).Where(n => n != "conv6_2")];
        string logits = e.Module(Child(model, "conv6_2"), Hand3dEncoder(e, model, names, x), "conv6_2");
        return e.ResizeLike(logits, x, "resize", alignCorners: false);
    }

    /// <summary>hand3d PoseNet: the encoder (conv1_1 … conv4_7), conv5_1/5_2, then two refinement stages on [previous maps, encoding]; the last stage's maps.</summary>
    private static string Hand3dPoseNetGraph(OnnxModuleEmitter e, Hand3dPoseNet model, string x)
    {
        string[] encoder = [.. model.named_children().Select(c => c.name).Where(n => n[4] is >= '1' and <= '4')];
        string encoding = Hand3dEncoder(e, model, encoder, x);
        string maps = e.Module(Child(model, "conv5_2"), Hand3dEncoder(e, model, ["conv5_1"], encoding), "conv5_2");
        for (int s = 6; s <= 7; s++)
        {
            string y = Hand3dEncoder(e, model, [.. Enumerable.Range(1, 6).Select(i => $"conv{s}_{i}")], e.Concat([maps, encoding], $"conv{s}.input"));
            maps = e.Module(Child(model, $"conv{s}_7"), y, $"conv{s}_7");
        }

        return maps;
    }
}
