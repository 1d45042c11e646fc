using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace HandPose.Benchmarks.Configs;

/// <summary>One job per instruction-set level, to see what each SIMD path buys. .NET 10 knob names.</summary>
public sealed class IsaJobs : ManualConfig
{
    public IsaJobs()
    {
        AddJob(Job.ShortRun.WithId("scalar").WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableHWIntrinsic", "0")));
        AddJob(Job.ShortRun.WithId("avx2-256").WithEnvironmentVariables(new EnvironmentVariable("DOTNET_EnableAVX512", "0")));
        AddJob(Job.ShortRun.WithId("default").AsBaseline());
    }
}
