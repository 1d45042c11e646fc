using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/HandPose.Benchmarks -- --filter '*MaskBenchmarks*'
if (args is ["mediapipe-cputime"])
{
    HandPose.Benchmarks.MediaPipeBenchmarks.ReportCpuTime(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(HandPose.Benchmarks.Configs.IsaJobs).Assembly).Run(args);
