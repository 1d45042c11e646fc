using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using HandPose.Torch;
using HandPose.Torch.Models;
using HandPose.Torch.Optim;

namespace HandPose.Benchmarks;

/// <summary>
/// Simple Baselines ResNet-18, 256×256, batch 8, on libtorch through HandPose.Torch, one thread. The same steps in
/// PyTorch (torch_reference.py, same libtorch) are timed in the global setup and printed beside BenchmarkDotNet's table.
/// </summary>
[Config(typeof(Config))]
public class TorchBenchmarks
{
    private const int Threads = 1;
    private static bool _pythonMeasured;
    private SimpleBaseline _model = null!;
    private Adam _optimizer = null!;
    private Tensor _input = null!;
    private Tensor _target = null!;

    /// <summary>In-process (each step takes seconds; the native engine does the work), 1 warm-up and 3 measured steps.</summary>
    public sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3));
    }

    [GlobalSetup]
    public void Setup()
    {
        if (!_pythonMeasured)
        {
            _pythonMeasured = true;
            PrintPythonReference();
        }
        TorchRuntime.Threads = Threads;
        TorchRuntime.ManualSeed(0);
        _model = new SimpleBaseline(ResNetDepth.ResNet18, 21);
        _optimizer = new Adam(_model, 1e-3);
        _input = DisposeScope.Detach(Tensor.Randn([8, 3, 256, 256]));
        _target = DisposeScope.Detach(Tensor.Randn([8, 21, 64, 64]));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _optimizer.Dispose();
        _model.Dispose();
        _input.Dispose();
        _target.Dispose();
    }

    [Benchmark]
    public void TrainStep()
    {
        _model.Train();
        using var scope = TorchRuntime.NewDisposeScope();
        _optimizer.ZeroGrad();
        Functional.MseLoss(_model.Forward(_input), _target).Backward();
        _optimizer.Step();
    }

    [Benchmark]
    public void Inference()
    {
        _model.Eval();
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        _model.Forward(_input);
    }

    private static void PrintPythonReference()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "torch_reference.py");
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("3");
        using Process p = Process.Start(psi)!;
        Console.Out.WriteLine(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
    }
}
