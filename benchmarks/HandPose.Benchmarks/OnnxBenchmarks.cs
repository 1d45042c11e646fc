using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using HandPose.Onnx.Runtime;

namespace HandPose.Benchmarks;

/// <summary>
/// ONNX Runtime through our binding. <see cref="TrivialRun"/> / <see cref="TrivialRunInto"/>: the whole per-call cost on
/// <c>y = x + 1</c> over 16 floats, an upper bound of the binding overhead (input wrap, output copy, ORT's own dispatch).
/// <see cref="SimpleBaselinesResNet18"/>: 224x224, batch 1; compare with <c>benchmarks/tools/torch_eager_bench.py</c>
/// (PyTorch eager, same thread count) run in the same session.
/// </summary>
[MemoryDiagnoser]
public class OnnxBenchmarks
{
    private OnnxSession _trivial = null!;
    private OnnxSession _resnet = null!;
    private float[] _x16 = [];
    private float[] _y16 = [];
    private float[] _image = [];

    /// <summary>Intra-op threads for the ResNet-18 session (PyTorch gets the same via torch.set_num_threads).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        string root = RepoRoot();
        string data = Path.Combine(root, "tests", "HandPose.Onnx.Tests", "TestData");
        _trivial = OnnxSession.FromFile(Path.Combine(data, "trivial.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        string resnet = Path.Combine(HandPoseEnvironment.CacheDirectory, "test-models", "onnx", "v1", "simple_baselines_r18.onnx");
        if (!File.Exists(resnet))
        {
            using Process p = Process.Start("/usr/bin/python3", [Path.Combine(data, "tools", "make_models.py"), "resnet", Path.GetDirectoryName(resnet)!])!;
            p.WaitForExit();
        }

        _resnet = OnnxSession.FromFile(resnet, new OnnxSessionOptions { IntraOpThreads = Threads });
        _x16 = Enumerable.Range(0, 16).Select(i => i * 0.25f).ToArray();
        _y16 = new float[16];
        var rng = new Random(1);
        _image = Enumerable.Range(0, 3 * 224 * 224).Select(_ => rng.NextSingle()).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _trivial.Dispose();
        _resnet.Dispose();
    }

    [Benchmark]
    public float TrivialRun()
    {
        using OnnxRunResult r = _trivial.Run([OnnxTensor.FromMemory<float>("x", _x16, 1, 16)]);
        return r[0].GetData<float>()[15];
    }

    [Benchmark]
    public float TrivialRunInto()
    {
        _trivial.RunInto([OnnxTensor.FromMemory<float>("x", _x16, 1, 16)], [OnnxTensor.FromMemory<float>("y", _y16, 1, 16)]);
        return _y16[15];
    }

    [Benchmark]
    public float SimpleBaselinesResNet18()
    {
        using OnnxRunResult r = _resnet.Run([OnnxTensor.FromMemory<float>("input", _image, 1, 3, 224, 224)]);
        return r[0].GetData<float>()[0];
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "HandPose.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from inside a HandPose checkout.");
    }
}
