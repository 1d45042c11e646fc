using HandPose.Onnx.Runtime;
using HandPose.Structure.Codecs;
using HandPose.Testing;
using HandPose.Torch.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Export.Tests;

/// <summary>
/// Each exported architecture on ONNX Runtime against the TorchSharp network it came from: every official output
/// within 1e-4 of its largest magnitude, on random weights (BatchNorm statistics randomised too) and a random batch of
/// two; every file passes the ONNX reference checker.
/// </summary>
[NonParallelizable]
public sealed class ExportParityTests : ExportTestBase
{
    [TestCase("simplebaseline-resnet18", 96, 64)]
    [TestCase("simplebaseline-resnet50", 64, 64)]
    [TestCase("simplebaseline-resnet101", 64, 64)]
    [TestCase("freihand-resnet18", 64, 64)]
    [TestCase("freihand-resnet34", 64, 96)]
    [TestCase("freihand-resnet152", 64, 64)]
    [TestCase("cpm", 64, 64)]
    [TestCase("nsrm-ldm-g1", 64, 64)]
    [TestCase("nsrm-lpm-g6", 64, 64)]
    [TestCase("nsrm-lpm-g1g6", 80, 64)]
    [TestCase("handypose", 96, 64)]
    [TestCase("hand3d-handsegnet", 80, 64)]
    [TestCase("hand3d-posenet", 64, 64)]
    [TestCase("resnet18", 64, 64)]
    [TestCase("resnet50", 64, 64)]
    public void Onnx_runtime_matches_torchsharp_within_1e4_of_the_largest_value(string name, int width, int height)
    {
        TorchArchitecture arch = TorchArchitectures.Get(name);
        using nn.Module model = CreateRandomized(arch, seed: 7);
        (byte[] bytes, PoseModelSpec spec) = TorchOnnxExporter.Export(arch, model, new TorchOnnxExportOptions { InputWidth = width, InputHeight = height });
        Assert.That((spec.Architecture, spec.InputWidth, spec.InputHeight), Is.EqualTo((name, width, height)));

        var random = new Random(11);
        float[] input = [.. Enumerable.Range(0, 2 * 3 * height * width).Select(_ => (float)((random.NextDouble() * 4) - 2))];
        IReadOnlyList<float[]> expected = TorchOutputs(arch, model, input, [2, 3, height, width], out IReadOnlyList<long[]> shapes);

        using OnnxSession session = OnnxSession.FromBytes(bytes);
        Assert.That(session.Inputs.Single().Name, Is.EqualTo(TorchOnnxExporter.InputName));
        Assert.That(session.Outputs.Select(o => o.Name).Take(arch.Outputs.Count), Is.EqualTo(arch.Outputs));
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory(TorchOnnxExporter.InputName, input.AsMemory(), 2, 3, height, width)]);
        for (int i = 0; i < arch.Outputs.Count; i++)
        {
            OnnxOutput output = result[arch.Outputs[i]];
            Assert.That(output.Shape, Is.EqualTo(shapes[i]), $"{arch.Outputs[i]} shape");
            AssertClose(output.ToArray<float>(), expected[i], arch.Outputs[i]);
        }

        // The final heatmaps the estimators decode: the architecture's Forward (the last stage of a staged network).
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        float[] final = arch.Forward(model, [tensor(input, [2, 3, height, width])]).contiguous().data<float>().ToArray();
        AssertClose(result[spec.FinalOutput!].ToArray<float>(), final, "final output " + spec.FinalOutput);

        string path = Path.Combine(TempDirectory, name + ".onnx");
        File.WriteAllBytes(path, bytes);
        string report = RunTool("check_onnx.py", path);
        Assert.That(report, Does.Contain(": ok ir=8 opset=17"), "onnx.checker.check_model(full_check=True)");
        foreach (string output in arch.Outputs)
        {
            Assert.That(report, Does.Contain($"  {output} [N, "), "strict shape inference keeps the batch symbolic");
        }
    }

    [Test]
    public void The_spec_in_the_metadata_is_the_architectures_preprocessing_and_decoder()
    {
        string path = Path.Combine(TempDirectory, "cpm.onnx");
        PoseModelSpec written = TorchOnnxExporter.ExportFile("cpm", null, path, new TorchOnnxExportOptions { InputWidth = 64, InputHeight = 64 });
        using OnnxSession session = OnnxSession.FromFile(path);
        PoseModelSpec read = PoseModelSpec.FromMetadata(session.Metadata)!;
        Assert.That(read.Architecture, Is.EqualTo("cpm"));
        Assert.That((read.InputWidth, read.InputHeight, read.InputChannels, read.Layout), Is.EqualTo((64, 64, 3, "NCHW")));
        Assert.That(read.Mean, Is.EqualTo(new[] { 0.485f, 0.456f, 0.406f }));
        Assert.That(read.Std, Is.EqualTo(new[] { 0.229f, 0.224f, 0.225f }));
        Assert.That(read.PixelScale, Is.EqualTo(1f / 255f));
        Assert.That((read.Bgr, read.HeatmapStride, read.Decoder), Is.EqualTo((false, 8, HeatmapRefinement.None)));
        Assert.That(read.Schema!.Name, Is.EqualTo("hand21"));
        Assert.That(read.Schema.Limbs, Has.Count.EqualTo(KeypointSchema.Hand21.Limbs.Count));
        Assert.That(read.Outputs, Is.EqualTo(new[] { "stages", "heatmaps" }));
        Assert.That(read.FinalOutput, Is.EqualTo("heatmaps"));
        Assert.That(read with { Schema = written.Schema, Mean = written.Mean, Std = written.Std, Outputs = written.Outputs }, Is.EqualTo(written));
        Assert.That(session.Metadata[PoseModelSpec.Keys.KeypointSchema], Is.EqualTo("hand21"));

        PoseModelSpec handy = TorchOnnxExporter.ExportFile("simplebaseline-resnet18", null, path);
        Assert.That((handy.InputWidth, handy.HeatmapStride, handy.Decoder, handy.FinalOutput), Is.EqualTo((256, 4, HeatmapRefinement.QuarterOffset, "output")));
    }

    [Test]
    public void Unsupported_architectures_sizes_and_weights_are_rejected_by_name()
    {
        string path = Path.Combine(TempDirectory, "x.onnx");
        var unsupported = Assert.Throws<ArgumentException>(() => TorchOnnxExporter.ExportFile("hand3d-poseprior", null, path))!;
        Assert.That(unsupported.Message, Does.Contain("hand3d-poseprior").And.Contain("simplebaseline-resnet18"));
        Assert.That(Assert.Throws<ArgumentException>(() => TorchOnnxExporter.ExportFile("nope", null, path))!.Message, Does.Contain("nope"));
        Assert.That(Assert.Throws<ArgumentException>(() => TorchOnnxExporter.ExportFile("cpm", null, path, new TorchOnnxExportOptions { InputWidth = 16 }))!.Message,
            Does.Contain("16"));
        Assert.That(Assert.Throws<ModelLoadException>(() => TorchOnnxExporter.ExportFile("cpm", "/nonexistent/cpm.pt", path))!.Message, Does.Contain("/nonexistent/cpm.pt"));
        Assert.That(File.Exists(path), Is.False, "nothing is written when the export fails");

        TorchArchitecture sb = TorchArchitectures.Get("simplebaseline-resnet18");
        using nn.Module cpm = TorchArchitectures.Get("cpm").Create();
        Assert.That(Assert.Throws<ArgumentException>(() => TorchOnnxExporter.Export(sb, cpm))!.Message, Does.Contain("simplebaseline-resnet18"));
        Assert.That(TorchOnnxExporter.SupportedArchitectures, Does.Contain("nsrm-lpm-g1g6").And.Not.Contain("hand3d-poseprior"));
    }

    private static void AssertClose(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what + " length");
        double largest = expected.Max(v => Math.Abs(v));
        Assert.That(largest, Is.GreaterThan(0), what + ": a non-trivial output");
        double error = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(error, Is.LessThanOrEqualTo(1e-4 * largest), $"{what}: max |onnx - torch| = {error:G3}, max |torch| = {largest:G3}");
    }
}

/// <summary>Libtorch gating, a temporary folder per test, random networks and the Python test tool.</summary>
public abstract class ExportTestBase
{
    protected string TempDirectory { get; private set; } = string.Empty;

    [SetUp]
    public void Prepare()
    {
        bool available = TorchRuntime.IsAvailable;
        NativeRequirement.Require(available, "libtorch (TorchSharp)", available ? string.Empty : string.Join("\n  ", TorchRuntime.Probe().PathsTried));
        TempDirectory = RepoPaths.NewTempDirectory();
    }

    [TearDown]
    public void Clean()
    {
        if (Directory.Exists(TempDirectory))
        {
            Directory.Delete(TempDirectory, true);
        }
    }

    /// <summary>The architecture's network with its own initialisation, then every BatchNorm given random affine parameters and running statistics, in evaluation mode.</summary>
    protected static nn.Module CreateRandomized(TorchArchitecture arch, int seed)
    {
        manual_seed(seed);
        nn.Module model = arch.Create();
        using (no_grad())
        {
            foreach ((string _, nn.Module m) in model.named_modules())
            {
                if (m is BatchNorm2d bn)
                {
                    long c = bn.num_features;
                    bn.running_mean!.copy_(randn(c) * 0.2);
                    bn.running_var!.copy_(rand(c) + 0.5);
                    bn.weight!.copy_(rand(c) + 0.5);
                    bn.bias!.copy_(randn(c) * 0.1);
                }
            }
        }

        model.eval();
        return model;
    }

    /// <summary>Every official output of the network on one input (evaluation mode, no grad).</summary>
    protected static IReadOnlyList<float[]> TorchOutputs(TorchArchitecture arch, nn.Module model, float[] input, long[] shape, out IReadOnlyList<long[]> shapes)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        IReadOnlyList<Tensor> ys = arch.ForwardAll(model, [tensor(input, shape)]);
        shapes = [.. ys.Select(y => y.shape)];
        return [.. ys.Select(y => y.contiguous().data<float>().ToArray())];
    }

    /// <summary>Runs a script of TestData/tools (Debian's python3) and returns its stdout.</summary>
    protected static string RunTool(string script, params string[] args) => PythonTool.Run(script, args);
}
