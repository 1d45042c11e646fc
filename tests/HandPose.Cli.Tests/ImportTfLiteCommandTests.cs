using HandPose.Onnx.Model;
using HandPose.Onnx.Tests.TfLite;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

public sealed class ImportTfLiteCommandTests
{
    [Test]
    public void ImportTfLite_mediapipe_landmark_model_writes_onnx_and_prints_its_outputs()
    {
        string tflite = Path.Combine(HandPoseEnvironment.CacheDirectory, "models", "mediapipe", "hand_landmark_lite.tflite");
        NativeRequirement.Require(File.Exists(tflite), "MediaPipe models", $"{tflite} is missing; run scripts/setup.sh");
        string onnx = Path.Combine(RepoPaths.NewTempDirectory(), "lite.onnx");

        (int code, string output, string error) = CliRunner.Run("import-tflite", tflite, onnx);

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("output Identity_3: Float [1, 63]").And.Contain("Conv 47"));
        OnnxModelInfo info = OnnxModelInfo.Load(onnx);
        Assert.That(info.Outputs.Select(o => o.Name), Is.EqualTo(new[] { "Identity", "Identity_1", "Identity_2", "Identity_3" }));
    }

    [Test]
    public void ImportTfLite_unsupported_operators_exit_1_listing_them()
    {
        var m = new TfLiteTestModel();
        int x = m.Input("x", 1, 4);
        int y = m.Tensor("y", [1, 4]);
        int z = m.Tensor("z", [1, 4]);
        m.Op(25, [x], [y]);                       // SOFTMAX
        m.Op(32, [y], [z], custom: "Convolution2DTransposeBias");
        m.Output(z);
        string dir = RepoPaths.NewTempDirectory();
        string tflite = Path.Combine(dir, "bad.tflite");
        File.WriteAllBytes(tflite, m.ToBytes());

        (int code, _, string error) = CliRunner.Run("import-tflite", tflite, Path.Combine(dir, "bad.onnx"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("SOFTMAX").And.Contain("CUSTOM:Convolution2DTransposeBias"));
        Assert.That(File.Exists(Path.Combine(dir, "bad.onnx")), Is.False);
    }

    [Test]
    public void ImportTfLite_not_a_tflite_file_exits_1()
    {
        string dir = RepoPaths.NewTempDirectory();
        string path = Path.Combine(dir, "junk.tflite");
        File.WriteAllText(path, "definitely not a flatbuffer");

        (int code, _, string error) = CliRunner.Run("import-tflite", path, Path.Combine(dir, "out.onnx"));

        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("not a TFLite model"));
    }

    [Test]
    public void ImportTfLite_missing_arguments_is_a_usage_error()
    {
        (int code, _, _) = CliRunner.Run("import-tflite");

        Assert.That(code, Is.EqualTo(2));
    }
}
