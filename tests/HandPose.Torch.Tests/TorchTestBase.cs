using HandPose.Testing;

namespace HandPose.Torch.Tests;

/// <summary>Gates every test on libtorch (a missing engine fails under scripts/test.sh) and checks for leaks per test.</summary>
public abstract class TorchTestBase
{
    [SetUp]
    public void RequireLibtorch()
    {
        bool available = TorchRuntime.IsAvailable;
        string trace = available ? string.Empty : TorchRuntime.Probe().PathsTried.Aggregate(string.Empty, (a, b) => $"{a}\n  {b}");
        NativeRequirement.Require(available, "libtorch", trace);
    }
}
