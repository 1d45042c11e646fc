using System.Text.Json;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

public sealed class EstimateCommandTests
{
    internal static string Photo => Path.Combine(RepoPaths.Root, "samples", "data", "two_hands.jpg");

    internal static void RequireModels()
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried));
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(MediaPipeHandEstimatorOptions.Default);
        NativeRequirement.Require(File.Exists(palm) && File.Exists(landmark), "MediaPipe ONNX models", "run `bash scripts/setup.sh`");
    }

    [Test]
    public void Estimate_writes_the_documented_json_and_an_annotated_png()
    {
        RequireModels();
        string dir = RepoPaths.NewTempDirectory();
        string json = Path.Combine(dir, "out.json"), png = Path.Combine(dir, "out.png");

        (int code, string output, string error) = CliRunner.Run("estimate", Photo, "--json", json, "--annotate", png);

        Assert.That(code, Is.Zero, error);
        Assert.That(output, Is.Empty, "JSON went to the file");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(json));
        JsonElement root = doc.RootElement;
        Assert.That(root.GetProperty("image").GetString(), Is.EqualTo("two_hands.jpg"));
        Assert.That((root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32()), Is.EqualTo((720, 382)));
        JsonElement[] hands = [.. root.GetProperty("hands").EnumerateArray()];
        Assert.That(hands, Has.Length.EqualTo(2));
        foreach (JsonElement hand in hands)
        {
            // MediaPipe labels both hands "Right" (mirrored convention) = the subject's left hands.
            Assert.That(hand.GetProperty("handedness").GetString(), Is.EqualTo("Left"));
            Assert.That(hand.GetProperty("score").GetDouble(), Is.InRange(0.5, 1.0));
            Assert.That(hand.GetProperty("keypoints").GetArrayLength(), Is.EqualTo(21));
            Assert.That(hand.GetProperty("worldKeypoints").GetArrayLength(), Is.EqualTo(21));
            Assert.That(hand.GetProperty("keypoints")[0].GetArrayLength(), Is.EqualTo(3));
        }
        // The wrists MediaPipe reports for this photo (TestData of HandPose.Onnx.Tests, full model): (135.699, 349.102) and (582.788, 33.269).
        double[] wristsX = [.. hands.Select(h => h.GetProperty("keypoints")[0][0].GetDouble()).Order()];
        Assert.That(wristsX[0], Is.EqualTo(135.699).Within(0.01));
        Assert.That(wristsX[1], Is.EqualTo(582.788).Within(0.01));

        ImageBuffer annotated = ImageDecoder.Load(png);
        ImageBuffer original = ImageDecoder.Load(Photo);
        Assert.That((annotated.Width, annotated.Height, annotated.Format), Is.EqualTo((720, 382, PixelFormat.Rgb24)));
        Assert.That(annotated.Memory.ToArray(), Is.Not.EqualTo(original.Memory.ToArray()), "skeletons drawn");
    }

    [Test]
    public void Estimate_without_json_prints_it_to_stdout()
    {
        RequireModels();
        (int code, string output, string error) = CliRunner.Run("estimate", Photo, "--model", "lite", "--max-hands", "1");
        Assert.That(code, Is.Zero, error);
        using JsonDocument doc = JsonDocument.Parse(output);
        Assert.That(doc.RootElement.GetProperty("hands").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public void Estimate_with_a_bad_model_value_is_a_usage_error()
    {
        (int code, string output, string error) = CliRunner.Run("estimate", Photo, "--model", "huge");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("--model"));
    }

    [Test]
    public void Estimate_on_a_missing_file_fails_with_exit_code_1()
    {
        (int code, _, string error) = CliRunner.Run("estimate", "/nonexistent/photo.jpg");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("handpose: "));
    }

    [Test]
    public void Estimate_on_a_non_image_fails_with_exit_code_1()
    {
        string dir = RepoPaths.NewTempDirectory();
        string path = Path.Combine(dir, "notes.txt");
        File.WriteAllText(path, "not an image");
        (int code, _, string error) = CliRunner.Run("estimate", path);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("handpose: "));
    }
}
