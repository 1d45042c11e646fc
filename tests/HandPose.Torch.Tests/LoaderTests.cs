namespace HandPose.Torch.Tests;

/// <summary>The loader in fresh processes (its result is cached per process): missing shim, foreign library, doctor.</summary>
public sealed class LoaderTests : TorchTestBase
{
    [Test]
    public void Doctor_reports_libtorch_version_path_and_cuda()
    {
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "doctor");
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain($"libtorch: available, version {TorchRuntime.Version}, loaded from "));
        Assert.That(text, Does.Contain("libhandpose_torch.so: loaded"));
        Assert.That(text, Does.Contain("CUDA: not available"));
    }

    [Test]
    public void Missing_shim_is_backend_unavailable_with_every_path_and_the_install_hint()
    {
        string empty = Path.Combine(Path.GetTempPath(), "hp-empty-cache-" + Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string>
        {
            ["HANDPOSE_CACHE"] = empty,
            ["HANDPOSE_LIBTORCH_SHIM_PATH"] = "/nonexistent/libhandpose_torch.so",
        };
        (int code, string text) = Sibling.RunWithEnvironment("HandPose.Cli", "handpose.dll", env, "doctor");
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain("libtorch: not installed"));
        Assert.That(text, Does.Contain("/nonexistent/libhandpose_torch.so: not found"));
        Assert.That(text, Does.Contain(Path.Combine(empty, "native", "torch", "libhandpose_torch.so") + ": not found"));
        Assert.That(text, Does.Contain("apt-get install libtorch-dev"));

        (code, text) = Sibling.RunWithEnvironment("HandPose.Cli", "handpose.dll", env, "forward", "--arch", "resnet18",
            "--weights", References.Path("resnet18.pt"), "--input", References.Path("resnet18_in.npy"), "--out", "/tmp/unused.npy");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(text, Does.Contain("libtorch native library could not be loaded"));
    }

    [Test]
    public void A_library_that_is_not_the_shim_fails_the_handshake()
    {
        string foreign = new[] { "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1" }.First(File.Exists);
        var env = new Dictionary<string, string> { ["HANDPOSE_LIBTORCH_SHIM_PATH"] = foreign };
        (int code, string text) = Sibling.RunWithEnvironment("HandPose.Cli", "handpose.dll", env, "doctor");
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain("libtorch: not installed"));
        Assert.That(text, Does.Contain("not a HandPose libtorch shim"));
    }
}
