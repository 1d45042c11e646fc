using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HandPose.Torch.Models;
using static TorchSharp.torch;

namespace HandPose.Benchmarks;

/// <summary>
/// The 2D zoo's forward pass (eval, no grad) on TorchSharp through HandPose.Torch, 2 threads, 128×128 inputs, batch 1
/// and 8: CPM (6 stages), NSRM G1&amp;6 (the released grouping) and HandyPose. The same networks in Debian's PyTorch
/// (zoo2d_reference.py, same threads and size) are timed in the global setup of the same run and printed with their
/// FLOPs.
/// </summary>
[Config(typeof(TorchBenchmarks.Config))]
public class Zoo2dBenchmarks
{
    private const int Threads = 2;
    private const int Size = 128;
    private static bool _pythonMeasured;
    private TorchArchitecture _architecture = null!;
    private nn.Module _model = null!;
    private Tensor _input1 = null!;
    private Tensor _input8 = null!;

    /// <summary>The architecture.</summary>
    [Params("cpm", "nsrm-lpm-g1g6", "handypose")]
    public string Arch { get; set; } = "cpm";

    [GlobalSetup]
    public void Setup()
    {
        if (!_pythonMeasured)
        {
            _pythonMeasured = true;
            PrintPythonReference();
        }

        set_num_threads(Threads);
        manual_seed(0);
        _architecture = TorchArchitectures.Get(Arch);
        _model = _architecture.Create();
        _model.eval();
        _input1 = randn(1, 3, Size, Size);
        _input8 = randn(8, 3, Size, Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        _input1.Dispose();
        _input8.Dispose();
    }

    [Benchmark]
    public void ForwardBatch1() => Forward(_input1);

    [Benchmark]
    public void ForwardBatch8() => Forward(_input8);

    private void Forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _architecture.ForwardAll(_model, [input]);
    }

    private static void PrintPythonReference()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "HandPose.sln")))
        {
            root = Path.GetDirectoryName(root.TrimEnd('/')) ?? throw new InvalidOperationException("run from inside the repository");
        }

        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true };
        foreach (string a in new[] { Path.Combine(root, "benchmarks", "HandPose.Benchmarks", "zoo2d_reference.py"), root, Threads.ToString(CultureInfo.InvariantCulture), "2", Size.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        Console.Out.WriteLine($"load average before PyTorch: {File.ReadAllText("/proc/loadavg").Trim()}");
        using Process p = Process.Start(psi)!;
        Console.Out.WriteLine(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        Console.Out.WriteLine($"load average before the C# side: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
