using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/HandPose.Benchmarks -- --filter '*MaskBenchmarks*'
BenchmarkSwitcher.FromAssembly(typeof(HandPose.Benchmarks.Configs.IsaJobs).Assembly).Run(args);
