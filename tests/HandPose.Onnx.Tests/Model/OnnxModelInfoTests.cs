using HandPose.Onnx.Model;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.Model;

public sealed class OnnxModelInfoTests
{
    private static byte[] TinyModel()
    {
        var b = new OnnxGraphBuilder();
        b.AddInput("x", OnnxElementType.Float, 1, 3);
        b.AddNode("Sigmoid", ["x"], ["y"]);
        b.AddOutput("y", OnnxElementType.Float, 1, 3);
        b.SetMetadata("k", "v");
        return b.ToBytes();
    }

    [Test]
    public void Load_reads_metadata_from_a_file()
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "tiny.onnx");
        File.WriteAllBytes(path, TinyModel());

        OnnxModelInfo info = OnnxModelInfo.Load(path);

        Assert.That(info.Metadata["k"], Is.EqualTo("v"));
        Assert.That(info.OperatorCounts, Is.EquivalentTo(new Dictionary<string, int> { ["Sigmoid"] = 1 }));
    }

    [Test]
    public void Load_reads_a_model_written_by_python_onnx()
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "py.onnx");
        OnnxPython.Run(
            """
            import sys, onnx
            from onnx import helper, TensorProto
            g = helper.make_graph([helper.make_node("Relu", ["a"], ["b"])], "pyg",
                [helper.make_tensor_value_info("a", TensorProto.FLOAT, ["n", 4])],
                [helper.make_tensor_value_info("b", TensorProto.FLOAT, ["n", 4])])
            m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 11)], producer_name="py")
            helper.set_model_props(m, {"author": "python", "size": "4"})
            onnx.save(m, sys.argv[1])
            """, path);

        OnnxModelInfo info = OnnxModelInfo.Load(path);

        Assert.That(info.Metadata, Is.EquivalentTo(new Dictionary<string, string> { ["author"] = "python", ["size"] = "4" }));
        Assert.That(info.ProducerName, Is.EqualTo("py"));
        Assert.That(info.OpsetImports[""], Is.EqualTo(11));
        Assert.That(info.Inputs.Single().ToString(), Is.EqualTo("a: Float [n, 4]"));
    }

    [Test]
    public void FromBytes_truncated_model_throws_ModelLoadException()
    {
        byte[] bytes = TinyModel();

        Assert.Throws<ModelLoadException>(() => OnnxModelInfo.FromBytes(bytes.AsSpan(0, bytes.Length / 2)));
    }

    [Test]
    public void FromBytes_random_bytes_throw_ModelLoadException()
    {
        byte[] junk = "This is not an ONNX model at all."u8.ToArray();

        Assert.Throws<ModelLoadException>(() => OnnxModelInfo.FromBytes(junk));
    }

    [Test]
    public void Load_missing_file_throws_ModelLoadException_naming_it()
    {
        string path = Path.Combine(RepoPaths.NewTempDirectory(), "missing.onnx");

        var e = Assert.Throws<ModelLoadException>(() => OnnxModelInfo.Load(path));
        Assert.That(e!.Message, Does.Contain(path));
    }
}
