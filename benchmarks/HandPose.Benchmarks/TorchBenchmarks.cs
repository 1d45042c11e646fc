using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HandPose.Torch.Models;
using static TorchSharp.torch;

namespace HandPose.Benchmarks;

/// <summary>
/// Simple Baselines ResNet-18 at 256×256 on TorchSharp (libtorch 2.10) through HandPose.Torch, 2 threads: forward at
/// batch 1 and 8 (eval, no grad) and one Adam training step at batch 8. The same three in Debian's PyTorch
/// (torch_reference.py, same threads) are timed in the global setup of the same run and printed with their FLOPs.
/// </summary>
[Config(typeof(Config))]
public class TorchBenchmarks
{
    private const int Threads = 2;
    private static bool _pythonMeasured;
    private SimpleBaseline _model = null!;
    private optim.Optimizer _optimizer = null!;
    private Tensor _input1 = null!;
    private Tensor _input8 = null!;
    private Tensor _target = null!;

    /// <summary>In-process (each step takes up to seconds; libtorch does the work), 1 warm-up and 5 measured steps.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5));
    }

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
        _model = new SimpleBaseline(ResNetDepth.ResNet18, 21);
        _optimizer = optim.Adam(_model.parameters(), 1e-3);
        _input1 = randn(1, 3, 256, 256);
        _input8 = randn(8, 3, 256, 256);
        _target = randn(8, 21, 64, 64);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _input1.Dispose();
        _input8.Dispose();
        _target.Dispose();
    }

    [Benchmark]
    public void TrainStepBatch8()
    {
        _model.train();
        using var scope = NewDisposeScope();
        _optimizer.zero_grad();
        nn.functional.mse_loss(_model.call(_input8), _target).backward();
        _optimizer.step();
    }

    [Benchmark]
    public void ForwardBatch1() => Forward(_input1);

    [Benchmark]
    public void ForwardBatch8() => Forward(_input8);

    private void Forward(Tensor input)
    {
        _model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.call(input);
    }

    private static void PrintPythonReference()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "torch_reference.py");
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Threads.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("3");
        using Process p = Process.Start(psi)!;
        Console.Out.WriteLine(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        Console.Out.WriteLine($"load average before the C# side: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
