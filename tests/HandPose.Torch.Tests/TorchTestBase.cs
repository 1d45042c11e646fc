using HandPose.Testing;

namespace HandPose.Torch.Tests;

/// <summary>Gates every test on TorchSharp's natives loading (a missing engine fails under scripts/test.sh).</summary>
public abstract class TorchTestBase
{
    [SetUp]
    public void RequireLibtorch()
    {
        bool available = TorchRuntime.IsAvailable;
        string trace = available ? string.Empty : string.Join("\n  ", TorchRuntime.Probe().PathsTried);
        NativeRequirement.Require(available, "libtorch (TorchSharp)", trace);
    }
}
