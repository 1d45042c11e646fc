using HandPose.Torch.Models;
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
        _ => throw new ArgumentException(
            $"The ONNX exporter has no graph for {model.GetType().Name}; it exports SimpleBaseline, FreiHandPoseNetwork, Cpm, Nsrm and torchvision ResNets.",
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
}
