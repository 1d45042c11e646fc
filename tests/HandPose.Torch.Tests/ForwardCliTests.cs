using HandPose.IO;

namespace HandPose.Torch.Tests;

/// <summary><c>handpose forward</c> end to end, in its own process, against PyTorch's output.</summary>
public sealed class ForwardCliTests : TorchTestBase
{
    [Test]
    public void Forward_simple_baselines_writes_pytorchs_heatmaps()
    {
        string output = Path.Combine(Path.GetTempPath(), $"hp-forward-{Guid.NewGuid():N}.npy");
        try
        {
            (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "simplebaseline-resnet18",
                "--weights", References.Path("sb_r18.pt"), "--input", References.Path("sb_r18_in.npy"), "--out", output, "--backend", "torch");
            Assert.That(code, Is.Zero, text);
            NpyArray actual = NpyArray.Load(output);
            NpyArray expected = NpyArray.Load(References.Path("sb_r18_out.npy"));
            Assert.That(actual.Shape, Is.EqualTo(new[] { 1, 21, 64, 64 }));
            double largest = expected.Data.Max(Math.Abs);
            Assert.That(actual.Data.Zip(expected.Data, (a, e) => Math.Abs(a - e)).Max(), Is.LessThanOrEqualTo(1e-5 * largest));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void Forward_with_weights_of_another_architecture_fails_with_exit_code_1_naming_the_file()
    {
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "resnet18",
            "--weights", References.Path("sb_r18.pt"), "--input", References.Path("sb_r18_in.npy"), "--out", "/tmp/unused.npy");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(text, Does.Contain("sb_r18.pt").And.Contain("missing 'fc.weight'"));
    }

    [Test]
    public void Forward_on_cuda_without_a_gpu_fails_with_exit_code_1_naming_the_fix()
    {
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "simplebaseline-resnet18",
            "--weights", References.Path("sb_r18.pt"), "--input", References.Path("sb_r18_in.npy"), "--out", "/tmp/unused.npy", "--device", "cuda");
        Assert.That(code, Is.EqualTo(1), text);
        Assert.That(text, Does.Contain("CUDA").And.Contain("libtorch-cuda").And.Contain("--device cpu"));
    }
}
