using System.Text.Json;
using HandPose.Onnx.Model;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.Model;

public sealed class OnnxGraphBuilderTests
{
    private static OnnxGraphBuilder SmallConvGraph()
    {
        var b = new OnnxGraphBuilder("small", 13);
        b.AddInput("x", OnnxElementType.Float, "batch", 2, 5, 5);
        float[] w = Enumerable.Range(0, 3 * 2 * 3 * 3).Select(i => (i % 7) * 0.25f - 0.5f).ToArray();
        b.AddInitializer("w", w, [3, 2, 3, 3]);
        b.AddInitializer("b", [0.5f, -1f, 2f], [3]);
        b.AddNode("Conv", ["x", "w", "b"], ["c"],
            [OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2), OnnxAttribute.Ints("pads", 0, 0, 1, 1)]);
        b.AddNode("Clip", ["c", "", ""], ["y0"]);
        b.AddNode("ReduceMean", ["y0"], ["y"], [OnnxAttribute.Ints("axes", 2, 3), OnnxAttribute.Int("keepdims", 0)]);
        b.AddOutput("y", OnnxElementType.Float, "batch", 3);
        b.SetMetadata("handpose.model", "small");
        b.SetMetadata("note", "ünïcode ✓");
        b.SetMetadata("handpose.model", "small-v2");
        return b;
    }

    [Test]
    public void ToBytes_small_conv_graph_passes_the_onnx_checker_and_shape_inference()
    {
        string dir = RepoPaths.NewTempDirectory();
        string path = Path.Combine(dir, "small.onnx");
        SmallConvGraph().Save(path);

        string shapes = OnnxPython.CheckModel(path);

        Assert.That(shapes.Trim(), Is.EqualTo("y 1 ['batch', 3]"));
    }

    [Test]
    public void Save_written_bytes_are_read_back_by_python_onnx_with_the_same_values()
    {
        string dir = RepoPaths.NewTempDirectory();
        string path = Path.Combine(dir, "small.onnx");
        SmallConvGraph().Save(path);

        string json = OnnxPython.Run(
            """
            import sys, json, onnx
            from onnx import numpy_helper
            m = onnx.load(sys.argv[1])
            n = m.graph.node
            print(json.dumps({
              "ir": m.ir_version, "opset": [[o.domain, o.version] for o in m.opset_import],
              "meta": {p.key: p.value for p in m.metadata_props},
              "ops": [x.op_type for x in n],
              "attrs": {a.name: onnx.helper.get_attribute_value(a) for a in n[0].attribute},
              "keepdims_has_i": n[2].attribute[1].HasField("i"),
              "w": numpy_helper.to_array(m.graph.initializer[0]).ravel().tolist(),
              "wshape": list(m.graph.initializer[0].dims),
              "b": numpy_helper.to_array(m.graph.initializer[1]).tolist()}))
            """, path);
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement r = doc.RootElement;

        Assert.That(r.GetProperty("ir").GetInt32(), Is.EqualTo(7));
        Assert.That(r.GetProperty("opset")[0][1].GetInt32(), Is.EqualTo(13));
        Assert.That(r.GetProperty("meta").GetProperty("handpose.model").GetString(), Is.EqualTo("small-v2"));
        Assert.That(r.GetProperty("meta").GetProperty("note").GetString(), Is.EqualTo("ünïcode ✓"));
        Assert.That(r.GetProperty("ops").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "Conv", "Clip", "ReduceMean" }));
        Assert.That(r.GetProperty("attrs").GetProperty("pads").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 0, 0, 1, 1 }));
        Assert.That(r.GetProperty("keepdims_has_i").GetBoolean(), Is.True, "a zero-valued int attribute must still be written");
        float[] expectedW = Enumerable.Range(0, 54).Select(i => (i % 7) * 0.25f - 0.5f).ToArray();
        Assert.That(r.GetProperty("w").EnumerateArray().Select(e => e.GetSingle()), Is.EqualTo(expectedW));
        Assert.That(r.GetProperty("wshape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 3, 2, 3, 3 }));
        Assert.That(r.GetProperty("b").EnumerateArray().Select(e => e.GetSingle()), Is.EqualTo(new[] { 0.5f, -1f, 2f }));
    }

    [Test]
    public void ToBytes_metadata_and_graph_info_round_trip_through_OnnxModelInfo()
    {
        OnnxModelInfo info = OnnxModelInfo.FromBytes(SmallConvGraph().ToBytes());

        Assert.That(info.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["handpose.model"] = "small-v2", ["note"] = "ünïcode ✓" }));
        Assert.That(info.OpsetImports, Is.EquivalentTo(new Dictionary<string, long> { [""] = 13 }));
        Assert.That(info.IrVersion, Is.EqualTo(7));
        Assert.That(info.ProducerName, Is.EqualTo("HandPose"));
        Assert.That(info.GraphName, Is.EqualTo("small"));
        Assert.That(info.Inputs.Select(i => i.ToString()), Is.EqualTo(new[] { "x: Float [batch, 2, 5, 5]" }));
        Assert.That(info.Outputs.Select(i => i.ToString()), Is.EqualTo(new[] { "y: Float [batch, 3]" }));
        Assert.That(info.NodeCount, Is.EqualTo(3));
        Assert.That(info.InitializerCount, Is.EqualTo(2));
        Assert.That(info.OperatorCounts["Conv"], Is.EqualTo(1));
    }

    [Test]
    public void AddNode_reading_an_undefined_value_names_it()
    {
        var b = new OnnxGraphBuilder();
        b.AddInput("x", OnnxElementType.Float, 1);

        var e = Assert.Throws<ArgumentException>(() => b.AddNode("Add", ["x", "nope"], ["y"]));
        Assert.That(e!.Message, Does.Contain("'nope'"));
    }

    [Test]
    public void AddNode_redefining_a_value_is_rejected()
    {
        var b = new OnnxGraphBuilder();
        b.AddInput("x", OnnxElementType.Float, 1);

        Assert.Throws<ArgumentException>(() => b.AddNode("Relu", ["x"], ["x"]));
    }

    [Test]
    public void AddInitializer_shape_not_matching_values_is_rejected()
    {
        var b = new OnnxGraphBuilder();

        var e = Assert.Throws<ArgumentException>(() => b.AddInitializer("w", [1f, 2f, 3f], [2, 2]));
        Assert.That(e!.Message, Does.Contain("[2, 2]").And.Contain("3 values"));
    }

    [Test]
    public void ToBytes_output_never_produced_is_rejected()
    {
        var b = new OnnxGraphBuilder();
        b.AddInput("x", OnnxElementType.Float, 1);
        b.AddOutput("y", OnnxElementType.Float, 1);

        var e = Assert.Throws<InvalidOperationException>(() => b.ToBytes());
        Assert.That(e!.Message, Does.Contain("'y'"));
    }

    [Test]
    public void AddOpsetImport_extra_domain_is_written()
    {
        var b = new OnnxGraphBuilder(opsetVersion: 17);
        b.AddOpsetImport("com.microsoft", 1);
        b.AddInput("x", OnnxElementType.Int64, 2);
        b.AddInitializer("k", [3L, 4L], [2]);
        b.AddNode("Add", ["x", "k"], ["y"]);
        b.AddOutput("y", OnnxElementType.Int64, 2);

        OnnxModelInfo info = OnnxModelInfo.FromBytes(b.ToBytes());

        Assert.That(info.OpsetImports, Is.EquivalentTo(new Dictionary<string, long> { [""] = 17, ["com.microsoft"] = 1 }));
        Assert.That(info.IrVersion, Is.EqualTo(8));
    }
}
