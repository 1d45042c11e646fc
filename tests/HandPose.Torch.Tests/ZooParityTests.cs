using HandPose.IO;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

/// <summary>
/// The 2D zoo (NSRMhand's CPM and NSRM, HandyPose) against an independent PyTorch implementation of the official code
/// (TestData/tools/make_zoo2d_references.py, Debian's python3-torch): state dicts load by their official names and
/// every official output (all stages) matches.
/// </summary>
[NonParallelizable]
public sealed class ZooParityTests : TorchTestBase
{
    [TestCase("cpm", "cpm", 36_799_806)]
    [TestCase("nsrm_g1", "nsrm-ldm-g1", 36_420_610)]
    [TestCase("nsrm_g6", "nsrm-lpm-g6", 0)]
    [TestCase("nsrm_g1g6", "nsrm-lpm-g1g6", 36_613_396)]
    [TestCase("handypose", "handypose", 0)]
    public void Every_output_matches_pytorch_within_1e4_of_its_largest_value(string name, string arch, long parameters)
    {
        using var reference = ZooReference.Generate(name);
        TorchArchitecture architecture = TorchArchitectures.Get(arch);
        using nn.Module model = architecture.Create();
        StateDicts.Load(model, reference.Path(name + ".pt"));
        model.eval();
        if (parameters > 0)
        {
            Assert.That(model.parameters().Sum(p => p.numel()), Is.EqualTo(parameters), "nsrm.md §5.5 (counted on the official modules)");
        }

        NpyArray input = NpyArray.Load(reference.Path(name + "_in.npy"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor x = tensor(input.Data, [.. input.Shape.Select(d => (long)d)]);
        IReadOnlyList<Tensor> outputs = architecture.ForwardAll(model, [x]);
        Assert.That(outputs, Has.Count.EqualTo(architecture.Outputs.Count));
        for (int i = 0; i < outputs.Count; i++)
        {
            NpyArray expected = NpyArray.Load(reference.Path($"{name}_{architecture.Outputs[i]}.npy"));
            AssertClose(outputs[i], expected, $"{arch} output '{architecture.Outputs[i]}'");
        }

        // The final output is the last stage of the last official output.
        Tensor final = architecture.Forward(model, [x]);
        Tensor last = outputs[^1].dim() == 5 ? outputs[^1].select(1, -1) : outputs[^1];
        Assert.That(final.shape, Is.EqualTo(last.shape));
        Assert.That((final - last).abs().max().item<float>(), Is.Zero);
    }

    [Test]
    public void Handpose_forward_writes_every_nsrm_output_of_the_released_grouping()
    {
        using var reference = ZooReference.Generate("nsrm_g1g6");
        string output = reference.Path("cli.npy");
        (int code, string text) = Sibling.Run("HandPose.Cli", "handpose.dll", "forward", "--arch", "nsrm-lpm-g1g6",
            "--weights", reference.Path("nsrm_g1g6.pt"), "--input", reference.Path("nsrm_g1g6_in.npy"), "--out", output);
        Assert.That(code, Is.Zero, text);
        Assert.That(text, Does.Contain("structure [2, 3, 7, 7, 8]").And.Contain("keypoints [2, 3, 21, 7, 8]"));
        AssertClose(NpyArray.Load(output), NpyArray.Load(reference.Path("nsrm_g1g6_keypoints.npy")), "keypoints (--out)");
        AssertClose(NpyArray.Load(reference.Path("cli.structure.npy")), NpyArray.Load(reference.Path("nsrm_g1g6_structure.npy")), "structure (cli.structure.npy)");
    }

    [Test]
    public void Mismatched_weights_are_reported_by_name_missing_unexpected_and_mis_shaped()
    {
        using var reference = ZooReference.Generate("nsrm_g1");
        string file = reference.Path("nsrm_g1.pt");

        using var g6 = new Nsrm(NsrmGrouping.G6);
        string shapes = Assert.Throws<ModelLoadException>(() => StateDicts.Load(g6, file))!.Message;
        Assert.That(shapes, Does.Contain(file)
            .And.Contain("'stage1.stage1_2.weight' has shape [1, 512, 1, 1], the model needs [6, 512, 1, 1]")
            .And.Contain("'stage2.Mconv1.conv.weight' has shape [128, 129, 7, 7], the model needs [128, 134, 7, 7]"));

        using var cpm = new Cpm();
        string cpmShapes = Assert.Throws<ModelLoadException>(() => StateDicts.Load(cpm, file))!.Message;
        Assert.That(cpmShapes, Does.Contain("'stage6.Mconv1.conv.weight' has shape [128, 150, 7, 7], the model needs [128, 149, 7, 7]"));

        Dictionary<string, Tensor> state = StateDicts.Read(file);
        try
        {
            state.Remove("stage3.Mconv4.conv.bias", out Tensor? removed);
            removed!.Dispose();
            state["stage7.Mconv1.conv.weight"] = zeros(1);
            using var g1 = new Nsrm(NsrmGrouping.G1);
            string names = Assert.Throws<ModelLoadException>(() => StateDicts.Copy(g1, state, file))!.Message;
            Assert.That(names, Does.Contain("missing 'stage3.Mconv4.conv.bias'").And.Contain("unexpected 'stage7.Mconv1.conv.weight'"));
        }
        finally
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    [Test]
    public void State_dict_names_are_the_official_ones()
    {
        using var nsrm = new Nsrm(NsrmGrouping.G1And6);
        string[] keys = [.. nsrm.state_dict().Keys];
        Assert.That(keys, Has.Length.EqualTo(104), "nsrm.md §5.5: 104 tensors");
        Assert.That(keys, Does.Contain("vgg19.backbone.25.bias").And.Contain("vgg19.conv5_3.weight").And.Contain("stage1.stage1_2.bias")
            .And.Contain("stage6.Mconv5.conv.weight").And.Contain("stage6.Mconv7.bias"));

        using var handy = new HandyPose();
        Dictionary<string, Tensor> state = handy.state_dict();
        Assert.That(state.Keys, Does.Contain("backbone.layer4.2.conv2.weight").And.Contain("backbone.layer3.22.bn3.running_var")
            .And.Contain("wasp.aspp4.atrous_conv.weight").And.Contain("wasp.global_avg_pool.2.num_batches_tracked")
            .And.Contain("wasp.bn1_low.running_mean").And.Contain("wasp.conv2.weight").And.Contain("wasp.last_conv.6.bias"));
        Assert.That(state["wasp.aspp2.atrous_conv.weight"].shape, Is.EqualTo(new long[] { 256, 304, 3, 3 }));
        Assert.That(state["wasp.last_conv.0.weight"].shape, Is.EqualTo(new long[] { 256, 400, 3, 3 }), "the 400 multi-level maps");
    }

    [TestCase(368, 46)]
    [TestCase(256, 32)]
    public void Handypose_gives_stride_8_heatmaps(int size, int expected)
    {
        using var model = new HandyPose();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor y = model.call(randn(1, 3, size, size));
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 21, expected, expected }));
    }

    private static void AssertClose(Tensor actual, NpyArray expected, string what)
    {
        Assert.That(actual.shape.Select(d => (int)d), Is.EqualTo(expected.Shape), what);
        float[] a = actual.contiguous().data<float>().ToArray();
        AssertClose(new NpyArray(expected.Shape, a), expected, what);
    }

    private static void AssertClose(NpyArray actual, NpyArray expected, string what)
    {
        Assert.That(actual.Shape, Is.EqualTo(expected.Shape), what);
        double largest = expected.Data.Max(v => Math.Abs(v));
        double worst = actual.Data.Zip(expected.Data, (x, e) => Math.Abs(x - e)).Max();
        Assert.That(largest, Is.GreaterThan(1e-2), $"{what}: a degenerate reference proves nothing");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-4 * largest), $"{what}: max |diff| {worst:g3}, largest output {largest:g3}");
    }

    /// <summary>One network's reference files in a fresh folder of the setup cache, deleted on dispose (the weights are 150-190 MB).</summary>
    private sealed class ZooReference : IDisposable
    {
        private readonly string _dir;

        private ZooReference(string dir) => _dir = dir;

        public static ZooReference Generate(string name)
        {
            string dir = System.IO.Path.Combine(HandPoseEnvironment.CacheDirectory, "test-references", "zoo2d", Guid.NewGuid().ToString("N"));
            References.RunTool("make_zoo2d_references.py", dir, name);
            return new ZooReference(dir);
        }

        public string Path(string file) => System.IO.Path.Combine(_dir, file);

        public void Dispose() => Directory.Delete(_dir, true);
    }
}
