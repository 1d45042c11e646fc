using HandPose.IO;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

/// <summary>The FreiHAND seed's PoseNetwork against a state dict and output of the seed's class run by Debian's PyTorch.</summary>
public sealed class FreiHandPoseNetworkTests : TorchTestBase
{
    private const string Script = "make_freihand_references.py";

    [Test]
    public void Parameter_names_are_the_seeds_encoder_and_decoder_names()
    {
        using var model = new FreiHandPoseNetwork(ResNetDepth.ResNet18);
        string[] expected = File.ReadAllLines(References.In(Script, "freihand_r18_names.txt")).Where(l => l.Length > 0).ToArray();
        Assert.That(model.state_dict().Keys, Is.EquivalentTo(expected), "the names of PyTorch's state_dict(), no more, no fewer");
        Assert.That(expected, Does.Contain("encoder.4.0.conv1.weight").And.Contain("decoder.9.bias").And.Contain("encoder.0.weight"));
    }

    [Test]
    public void Forward_of_a_pytorch_state_dict_matches_within_1e5_of_the_largest_output()
    {
        Assert.That(NpyArray.Load(References.In(Script, "freihand_r18_out.npy")).Shape, Is.EqualTo(new[] { 2, 21, 24, 32 }), "96x128 input, quarter-size heatmaps");
        ParityTests.AssertForwardMatches("freihand-resnet18", References.In(Script, "freihand_r18.pt"),
            References.In(Script, "freihand_r18_in.npy"), References.In(Script, "freihand_r18_out.npy"));
    }

    [Test]
    public void Forward_cli_with_the_seeds_weights_writes_pytorchs_heatmaps()
    {
        string output = Path.Combine(Path.GetTempPath(), $"hp-forward-fh-{Guid.NewGuid():N}.npy");
        try
        {
            (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "freihand-resnet18",
                "--weights", References.In(Script, "freihand_r18.pt"), "--input", References.In(Script, "freihand_r18_in.npy"), "--out", output, "--backend", "torch");
            Assert.That(code, Is.Zero, text);
            NpyArray actual = NpyArray.Load(output);
            NpyArray expected = NpyArray.Load(References.In(Script, "freihand_r18_out.npy"));
            double largest = expected.Data.Max(Math.Abs);
            Assert.That(actual.Shape, Is.EqualTo(expected.Shape));
            Assert.That(actual.Data.Zip(expected.Data, (a, e) => Math.Abs(a - e)).Max(), Is.LessThanOrEqualTo(1e-5 * largest));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Test]
    public void Simple_baselines_weights_do_not_load_into_the_seeds_names()
    {
        using var model = new FreiHandPoseNetwork(ResNetDepth.ResNet18);
        var ex = Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, References.Path("sb_r18.pt")))!;
        Assert.That(ex.Message, Does.Contain("sb_r18.pt").And.Contain("encoder.0.weight"));
    }

    [TestCase(ResNetDepth.ResNet34, 512, 21_284_672)]
    [TestCase(ResNetDepth.ResNet50, 2048, 23_508_032)]
    [TestCase(ResNetDepth.ResNet101, 2048, 42_500_160)]
    [TestCase(ResNetDepth.ResNet152, 2048, 58_143_808)]
    public void Deeper_encoders_keep_the_names_and_quarter_resolution(ResNetDepth depth, int channels, long encoderParameters)
    {
        using var model = new FreiHandPoseNetwork(depth);
        model.eval();
        var state = model.state_dict();
        Assert.That(state["decoder.0.weight"].shape, Is.EqualTo(new long[] { channels, 256, 4, 4 }));
        Assert.That(state["decoder.9.weight"].shape, Is.EqualTo(new long[] { 21, 256, 1, 1 }));
        Assert.That(model.named_parameters().Where(p => p.name.StartsWith("encoder.", StringComparison.Ordinal)).Sum(p => p.parameter.numel()), Is.EqualTo(encoderParameters), "torchvision's body without fc");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Assert.That(model.call(zeros(1, 3, 64, 64)).shape, Is.EqualTo(new long[] { 1, 21, 16, 16 }));
    }
}
