using HandPose.Onnx.TfLite;

namespace HandPose.Onnx.Tests.TfLite;

/// <summary>The FlatBuffers reader on the real MediaPipe models, against the facts in ../shared/specs/mediapipe.md §1-2.</summary>
public sealed class TfLiteModelTests
{
    private static TfLiteModel Load(string name) => TfLiteModel.Parse(MediaPipeModels.TfLite(name), name);

    private static Dictionary<string, int> OpCounts(TfLiteModel model) =>
        model.Operators.GroupBy(o => o.OpName).ToDictionary(g => g.Key, g => g.Count());

    [TestCase("hand_landmark_full", 9, 0)]
    [TestCase("hand_landmark_lite", 10, 1)]
    public void Parse_hand_landmark_model_has_the_documented_graph(string name, int adds, int maxPools)
    {
        TfLiteModel model = Load(name);

        var expected = new Dictionary<string, int>
        {
            ["DEQUANTIZE"] = 102, ["CONV_2D"] = 31, ["DEPTHWISE_CONV_2D"] = 16, ["ADD"] = adds, ["FULLY_CONNECTED"] = 4,
            ["LOGISTIC"] = 2, ["MEAN"] = 1,
        };
        if (maxPools > 0)
        {
            expected["MAX_POOL_2D"] = maxPools;
        }

        Assert.That(model.Version, Is.EqualTo(3u));
        Assert.That(model.SubgraphCount, Is.EqualTo(1));
        Assert.That(model.Description, Is.EqualTo("MLIR Converted."));
        Assert.That(OpCounts(model), Is.EquivalentTo(expected));
        Assert.That(model.Operators, Has.Count.EqualTo(165 + adds - 9 + maxPools));
        TfLiteTensor input = model.Tensors[model.Inputs.Single()];
        Assert.That((input.Name, input.Type, input.Shape), Is.EqualTo(("input_1", TfLiteTensorType.Float32, new[] { 1, 224, 224, 3 })));
        Assert.That(model.Outputs.Select(o => model.Tensors[o].Name), Is.EqualTo(new[] { "Identity", "Identity_1", "Identity_2", "Identity_3" }));
        Assert.That(model.Outputs.Select(o => model.Tensors[o].Shape), Is.EqualTo(new[] { new[] { 1, 63 }, [1, 1], [1, 1], [1, 63] }));
        Assert.That(model.Tensors.Count(t => t.Type == TfLiteTensorType.Float16 && !model.Data(t).IsEmpty), Is.EqualTo(102));
        Assert.That(model.Tensors.Count(t => t.Type == TfLiteTensorType.Int32 && !model.Data(t).IsEmpty), Is.EqualTo(1));
        Assert.That(model.Tensors.Any(t => t.IsQuantized), Is.False);
    }

    [TestCase("palm_detection_full", 35, 31, 30, 28, 133)]
    [TestCase("palm_detection_lite", 30, 26, 25, 23, 113)]
    public void Parse_palm_detection_model_has_the_documented_graph(string name, int convs, int prelus, int adds, int depthwise, int dequantize)
    {
        TfLiteModel model = Load(name);

        Assert.That(OpCounts(model), Is.EquivalentTo(new Dictionary<string, int>
        {
            ["CONV_2D"] = convs, ["PRELU"] = prelus, ["ADD"] = adds, ["DEPTHWISE_CONV_2D"] = depthwise, ["MAX_POOL_2D"] = 4,
            ["PAD"] = 3, ["RESIZE_BILINEAR"] = 2, ["RESHAPE"] = 4, ["CONCATENATION"] = 2, ["DEQUANTIZE"] = dequantize,
        }));
        Assert.That(model.Tensors[model.Inputs.Single()].Shape, Is.EqualTo(new[] { 1, 192, 192, 3 }));
        Assert.That(model.Outputs.Select(o => (model.Tensors[o].Name, string.Join("x", model.Tensors[o].Shape))),
            Is.EqualTo(new[] { ("Identity", "1x2016x18"), ("Identity_1", "1x2016x1") }));
        Assert.That(model.Tensors.Count(t => t.Type == TfLiteTensorType.Float16 && !model.Data(t).IsEmpty), Is.EqualTo(dequantize));
        Assert.That(model.Tensors.Count(t => t.Type == TfLiteTensorType.Int32 && !model.Data(t).IsEmpty), Is.EqualTo(7));

        // Options tables: the two upsamplings are half-pixel, not align-corners; the first conv is 5x5 stride 2 SAME.
        foreach (TfLiteOperator resize in model.Operators.Where(o => o.OpName == "RESIZE_BILINEAR"))
        {
            Assert.That((resize.Options!.Value.Bool(2), resize.Options!.Value.Bool(3)), Is.EqualTo((false, true)));
        }

        TfLiteOperator first = model.Operators.First(o => o.OpName == "CONV_2D");
        Assert.That(model.Tensors[first.Inputs[1]].Shape, Is.EqualTo(new[] { 32, 5, 5, 3 }));
        Assert.That((first.Options!.Value.UInt8(0), first.Options!.Value.Int32(1), first.Options!.Value.Int32(2)), Is.EqualTo(((byte)0, 2, 2)));
    }
}
