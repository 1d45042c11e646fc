using System.Text.Json;
using HandPose.Imaging;
using HandPose.IO;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;
using HandPose.Structure.Codecs;
using HandPose.Testing;
using HandPose.Torch;
using HandPose.Torch.Estimators;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using TorchSharp;

namespace HandPose.Cli.Tests;

/// <summary><c>handpose export</c> and <c>handpose forward --backend onnx</c> against <c>--backend torch</c> on the same weights.</summary>
[NonParallelizable]
public sealed class ExportCommandTests
{
    private string _dir = string.Empty;

    [SetUp]
    public void SetUp()
    {
        NativeRequirement.Require(TorchRuntime.IsAvailable, "libtorch (TorchSharp)", string.Join("; ", TorchRuntime.Probe().PathsTried));
        NativeEngineInfo ort = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(ort.IsAvailable, "ONNX Runtime", string.Join("; ", ort.PathsTried));
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

    [Test]
    public void Export_writes_a_model_with_its_spec_that_runs_like_torch()
    {
        string weights = Weights("simplebaseline-resnet18");
        string model = Path.Combine(_dir, "sb.onnx");
        (int code, string stdout, string stderr) = CliRunner.Run("export", "--arch", "simplebaseline-resnet18", "--weights", weights, "--out", model, "--input-size", "96x64");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("opset 17").And.Contain("input  input: Float [N, 3, 64, 96]").And.Contain("output output: Float [N, 21, 16, 24] (final)")
            .And.Contain("handpose.decoder = QuarterOffset").And.Contain("handpose.input_size = 96,64"));

        using OnnxSession session = OnnxSession.FromFile(model);
        PoseModelSpec spec = PoseModelSpec.FromMetadata(session.Metadata)!;
        Assert.That((spec.Architecture, spec.InputWidth, spec.InputHeight, spec.HeatmapStride), Is.EqualTo(("simplebaseline-resnet18", 96, 64, 4)));

        string input = Input(1, 64, 96);
        float[] torchOut = Forward("simplebaseline-resnet18", weights, input, "torch").Data;
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory("input", NpyArray.Load(input).Data.AsMemory(), 1, 3, 64, 96)]);
        AssertClose(result[0].ToArray<float>(), torchOut);
    }

    [TestCase("simplebaseline-resnet18")]
    [TestCase("nsrm-lpm-g1g6")]
    public void Forward_with_the_onnx_backend_writes_torchs_outputs(string arch)
    {
        string weights = Weights(arch);
        string input = Input(2, 64, 64);
        NpyArray torchOut = Forward(arch, weights, input, "torch");
        NpyArray onnxOut = Forward(arch, weights, input, "onnx");
        Assert.That(onnxOut.Shape, Is.EqualTo(torchOut.Shape));
        AssertClose(onnxOut.Data, torchOut.Data);
        foreach (string side in TorchArchitectures.Get(arch).Outputs.SkipLast(1))
        {
            NpyArray a = NpyArray.Load(Path.Combine(_dir, $"onnx.{side}.npy")), e = NpyArray.Load(Path.Combine(_dir, $"torch.{side}.npy"));
            Assert.That(a.Shape, Is.EqualTo(e.Shape), side);
            AssertClose(a.Data, e.Data);
        }
    }

    [Test]
    public void Estimate_with_an_exported_model_gives_the_torch_estimators_keypoints_in_each_mediapipe_region()
    {
        string weights = Weights("simplebaseline-resnet18");
        string model = Path.Combine(_dir, "sb.onnx");
        Assert.That(CliRunner.Run("export", "--arch", "simplebaseline-resnet18", "--weights", weights, "--out", model).ExitCode, Is.Zero);
        string json = Path.Combine(_dir, "hands.json");
        (int code, _, string stderr) = CliRunner.Run("estimate", EstimateCommandTests.Photo, "--model", model, "--json", json);
        Assert.That(code, Is.Zero, stderr);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(json));
        JsonElement[] hands = [.. doc.RootElement.GetProperty("hands").EnumerateArray()];

        ImageBuffer photo = ImageDecoder.Load(EstimateCommandTests.Photo, new ImageDecoderOptions { ApplyExifOrientation = true });
        HandPoseResult mediapipe;
        using (var detector = new MediaPipeHandEstimator())
        {
            mediapipe = detector.Estimate(photo.AsView());
        }

        Assert.That(hands, Has.Length.EqualTo(mediapipe.Hands.Count).And.Length.GreaterThan(0));
        using var torchEstimator = new TorchHeatmapEstimator("simplebaseline-resnet18", weights);
        for (int h = 0; h < hands.Length; h++)
        {
            Hand expected = torchEstimator.Estimate(photo.AsView(), mediapipe.Hands[h].Region!.Value).Hands[0];
            Assert.That(hands[h].GetProperty("handedness").GetString(), Is.EqualTo(mediapipe.Hands[h].Handedness.ToString()));
            JsonElement[] keypoints = [.. hands[h].GetProperty("keypoints").EnumerateArray()];
            Assert.That(keypoints, Has.Length.EqualTo(21));
            for (int k = 0; k < 21; k++)
            {
                Assert.That(keypoints[k][0].GetDouble(), Is.EqualTo(expected.Keypoints[k].X).Within(0.01), $"hand {h} keypoint {k} x");
                Assert.That(keypoints[k][1].GetDouble(), Is.EqualTo(expected.Keypoints[k].Y).Within(0.01), $"hand {h} keypoint {k} y");
            }
        }
    }

    [Test]
    public void Bad_sizes_architectures_and_inputs_are_usage_errors_or_failures_naming_the_problem()
    {
        string model = Path.Combine(_dir, "m.onnx");
        (int code, _, string stderr) = CliRunner.Run("export", "--arch", "cpm", "--out", model, "--input-size", "64x");
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain("--input-size").And.Contain("64x"));
        (code, _, stderr) = CliRunner.Run("export", "--arch", "hand3d-poseprior", "--out", model);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.Contain("hand3d-poseprior"));
        (code, _, stderr) = CliRunner.Run("export", "--arch", "cpm", "--out", model, "--input-size", "16");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("32").And.Contain("16"));
        Assert.That(File.Exists(model), Is.False);

        string weights = Weights("simplebaseline-resnet18");
        string flat = Path.Combine(_dir, "flat.npy");
        new NpyArray([3, 64, 64], new float[3 * 64 * 64]).Save(flat);
        (code, _, stderr) = CliRunner.Run("forward", "--arch", "simplebaseline-resnet18", "--weights", weights, "--input", flat, "--out", Path.Combine(_dir, "y.npy"), "--backend", "onnx");
        Assert.That(code, Is.EqualTo(1), stderr);
        Assert.That(stderr, Does.Contain("[N, 3, H, W]").And.Contain("[3, 64, 64]"));
    }

    private string Weights(string arch)
    {
        string path = Path.Combine(_dir, arch + ".pt");
        torch.manual_seed(5);
        using torch.nn.Module model = TorchArchitectures.Get(arch).Create();
        StateDicts.Save(model, path);
        return path;
    }

    private string Input(int n, int h, int w)
    {
        var random = new Random(9);
        string path = Path.Combine(_dir, $"x{n}.npy");
        new NpyArray([n, 3, h, w], [.. Enumerable.Range(0, n * 3 * h * w).Select(_ => (float)((random.NextDouble() * 4) - 2))]).Save(path);
        return path;
    }

    private NpyArray Forward(string arch, string weights, string input, string backend)
    {
        string output = Path.Combine(_dir, backend + ".npy");
        (int code, string stdout, string stderr) = CliRunner.Run("forward", "--arch", arch, "--weights", weights, "--input", input, "--out", output, "--backend", backend);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain(output));
        return NpyArray.Load(output);
    }

    private static void AssertClose(float[] actual, float[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        double largest = expected.Max(v => Math.Abs(v));
        Assert.That(largest, Is.GreaterThan(0));
        Assert.That(actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max(), Is.LessThanOrEqualTo(1e-4 * largest));
    }
}
