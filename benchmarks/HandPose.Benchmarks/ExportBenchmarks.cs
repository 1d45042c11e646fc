using BenchmarkDotNet.Attributes;
using HandPose.Onnx.Runtime;
using HandPose.Torch.Export;
using HandPose.Torch.Models;
using static TorchSharp.torch;

namespace HandPose.Benchmarks;

/// <summary>
/// Train in Torch, deploy in ONNX: one network's forward pass (batch 1, 128×128, random weights, 2 threads on both
/// sides) on TorchSharp (eval, no grad, every official output) and the same network exported by
/// <see cref="TorchOnnxExporter"/> on ONNX Runtime (CPU, all graph optimisations), measured in the same run.
/// </summary>
[Config(typeof(TorchBenchmarks.Config))]
public class ExportBenchmarks
{
    private const int Threads = 2;
    private const int Size = 128;
    private TorchArchitecture _architecture = null!;
    private nn.Module _model = null!;
    private Tensor _input = null!;
    private OnnxSession _session = null!;
    private float[] _data = null!;

    /// <summary>The architecture.</summary>
    [Params("simplebaseline-resnet18", "cpm")]
    public string Arch { get; set; } = "cpm";

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(Threads);
        manual_seed(0);
        _architecture = TorchArchitectures.Get(Arch);
        _model = _architecture.Create();
        _model.eval();
        _input = randn(1, 3, Size, Size);
        _data = _input.data<float>().ToArray();
        (byte[] onnx, _) = TorchOnnxExporter.Export(_architecture, _model, new TorchOnnxExportOptions { InputWidth = Size, InputHeight = Size });
        _session = OnnxSession.FromBytes(onnx, new OnnxSessionOptions { IntraOpThreads = Threads, InterOpThreads = 1 });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _session.Dispose();
        _model.Dispose();
        _input.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void TorchSharp()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _architecture.ForwardAll(_model, [_input]);
    }

    [Benchmark]
    public void OnnxRuntime()
    {
        using OnnxRunResult result = _session.Run([OnnxTensor.FromMemory(TorchOnnxExporter.InputName, _data.AsMemory(), 1, 3, Size, Size)]);
    }
}
