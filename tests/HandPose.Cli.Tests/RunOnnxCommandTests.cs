using HandPose.IO;
using HandPose.Onnx.Model;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

public sealed class RunOnnxCommandTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried));
        _dir = RepoPaths.NewTempDirectory();
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>y = relu(x * w + b) with per-channel w, b: small enough to compute by hand in the test.</summary>
    private string WriteModel()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", OnnxElementType.Float, 1, 2, 3);
        g.AddInitializer("w", [2f, -1f], [1, 2, 1]);
        g.AddInitializer("b", [0.5f, 1f], [1, 2, 1]);
        g.AddNode("Mul", ["x", "w"], ["xw"]);
        g.AddNode("Add", ["xw", "b"], ["z"]);
        g.AddNode("Relu", ["z"], ["y"]);
        g.AddOutput("y", OnnxElementType.Float, 1, 2, 3);
        string path = Path.Combine(_dir, "affine_relu.onnx");
        g.Save(path);
        return path;
    }

    [Test]
    public void RunOnnx_writes_the_model_output_as_npy()
    {
        string model = WriteModel();
        float[] x = [1f, -2f, 3f, 0.25f, -4f, 2f];
        string input = Path.Combine(_dir, "x.npy");
        string output = Path.Combine(_dir, "y.npy");
        new NpyArray([1, 2, 3], x).Save(input);

        (int code, string stdout, string error) = CliRunner.Run("run-onnx", "--model", model, "--input", input, "--out", output);

        Assert.That(code, Is.Zero, error);
        Assert.That(stdout, Does.Contain("y float32 [1, 2, 3]"));
        NpyArray y = NpyArray.Load(output);
        Assert.That(y.Shape, Is.EqualTo(new[] { 1, 2, 3 }));
        // channel 0: relu(2x + 0.5); channel 1: relu(-x + 1)
        Assert.That(y.Data, Is.EqualTo(new[] { 2.5f, 0f, 6.5f, 0.75f, 5f, 0f }).Within(1e-6f));
    }

    [Test]
    public void RunOnnx_with_a_wrong_input_shape_exits_1_naming_expected_and_actual()
    {
        string model = WriteModel();
        string input = Path.Combine(_dir, "bad.npy");
        new NpyArray([1, 3, 2], new float[6]).Save(input);

        (int code, _, string error) = CliRunner.Run("run-onnx", "--model", model, "--input", input, "--out", Path.Combine(_dir, "y.npy"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("'x'").And.Contain("expected"));
    }

    [Test]
    public void RunOnnx_with_a_truncated_model_exits_1_with_a_model_load_error()
    {
        string model = WriteModel();
        byte[] bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
        string input = Path.Combine(_dir, "x.npy");
        new NpyArray([1, 2, 3], new float[6]).Save(input);

        (int code, _, string error) = CliRunner.Run("run-onnx", "--model", model, "--input", input, "--out", Path.Combine(_dir, "y.npy"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("Could not load").And.Contain("affine_relu.onnx"));
    }

    [Test]
    public void RunOnnx_without_required_options_is_a_usage_error()
    {
        (int code, _, string error) = CliRunner.Run("run-onnx", "--model", "m.onnx");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--input"));
    }
}
