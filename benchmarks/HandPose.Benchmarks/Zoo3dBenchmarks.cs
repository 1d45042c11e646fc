using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using HandPose.Torch.Models;
using static TorchSharp.torch;

namespace HandPose.Benchmarks;

/// <summary>
/// The 3D part of the model zoo on TorchSharp (libtorch 2.10), 2 threads, forward (eval, no grad) at batch 1 and 8:
/// hand3d's HandSegNet at 240×320 (run.py's size), PoseNet at 256×256, PosePrior + ViewpointNet on 21×32×32 score
/// maps, DSF's depth network at 128×128. The same networks in Debian's PyTorch (tools/zoo3d_reference.py, same
/// threads) are timed, with their FLOPs and parameter counts, in the global setup of the same run.
/// </summary>
[Config(typeof(TorchBenchmarks.Config))]
public class Zoo3dBenchmarks
{
    private const int Threads = 2;
    private static readonly HashSet<string> Measured = [];
    private nn.Module _model = null!;
    private TorchArchitecture _arch = null!;
    private Tensor[] _inputs = null!;

    [Params("hand3d-handsegnet", "hand3d-posenet", "hand3d-poseprior", "dsf-depth-resnet18")]
    public string Arch { get; set; } = "hand3d-posenet";

    [Params(1, 8)]
    public int Batch { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        if (Measured.Add(Arch))
        {
            PrintPythonReference(Arch);
        }

        set_num_threads(Threads);
        manual_seed(0);
        _arch = TorchArchitectures.Get(Arch);
        _model = _arch.Create();
        _model.eval();
        _inputs = Arch switch
        {
            "hand3d-handsegnet" => [randn(Batch, 3, 240, 320)],
            "hand3d-posenet" => [randn(Batch, 3, 256, 256)],
            "hand3d-poseprior" => [randn(Batch, 21, 32, 32), eye(2)[zeros(Batch, dtype: ScalarType.Int64)]],
            _ => [randn(Batch, 1, 128, 128)],
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model.Dispose();
        foreach (Tensor t in _inputs)
        {
            t.Dispose();
        }
    }

    [Benchmark]
    public void Forward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _arch.Forward(_model, _inputs);
    }

    private static void PrintPythonReference(string arch)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "tools", "zoo3d_reference.py");
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") ?? "/usr/bin/python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Threads.ToString(CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("3");
        psi.ArgumentList.Add(arch);
        using Process p = Process.Start(psi)!;
        Console.Out.WriteLine(p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        Console.Out.WriteLine($"load average before the C# side: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
