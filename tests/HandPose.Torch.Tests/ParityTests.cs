using HandPose.IO;
using HandPose.Torch.Models;
using HandPose.Torch.Modules;
using HandPose.Torch.Optim;
using HandPose.Torch.Serialization;

namespace HandPose.Torch.Tests;

/// <summary>Outputs and optimizer steps against PyTorch's own, on seeded random weights saved by torch.save.</summary>
public sealed class ParityTests : TorchTestBase
{
    private static IEnumerable<TestCaseData> Models()
    {
        yield return new TestCaseData("resnet18", (Func<Module>)(() => new ResNet(ResNetDepth.ResNet18))).SetName("torchvision_resnet18");
        yield return new TestCaseData("resnet50", (Func<Module>)(() => new ResNet(ResNetDepth.ResNet50))).SetName("torchvision_resnet50");
        yield return new TestCaseData("sb_r18", (Func<Module>)(() => new SimpleBaseline(ResNetDepth.ResNet18, 21))).SetName("simple_baselines_resnet18");
    }

    [TestCaseSource(nameof(Models))]
    public void Forward_matches_pytorch_within_1e5_of_the_largest_output(string name, Func<Module> create)
    {
        using Module model = create();
        using (TensorDictionary state = PyTorchCheckpoint.Load(References.Path(name + ".pt")))
        {
            model.LoadStateDict(state);
        }

        model.Eval();
        NpyArray input = NpyArray.Load(References.Path(name + "_in.npy"));
        NpyArray expected = NpyArray.Load(References.Path(name + "_out.npy"));
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        Tensor output = model.Forward(Tensor.FromNpy(input));
        Assert.That(output.Shape.Select(d => (int)d), Is.EqualTo(expected.Shape));
        float[] actual = output.ToArray<float>();
        double largest = expected.Data.Max(v => Math.Abs(v));
        double worst = actual.Zip(expected.Data, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(largest, Is.GreaterThan(1e-3), "a degenerate reference proves nothing");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5 * largest), $"max |diff| {worst:g3}, largest output {largest:g3}");
    }

    [Test]
    public void State_dict_names_match_torchvision_and_pose_resnet()
    {
        using TensorDictionary state = PyTorchCheckpoint.Load(References.Path("sb_r18.pt"));
        using var model = new SimpleBaseline(ResNetDepth.ResNet18, 21);
        Assert.That(model.StateDict().Select(p => p.Name), Is.EqualTo(state.Keys));
        Assert.That(state.Keys, Does.Contain("deconv_layers.7.num_batches_tracked"));
        Assert.That(state["bn1.num_batches_tracked"].DType, Is.EqualTo(DType.Int64));
    }

    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData("sgd", (Func<Module, Optimizer>)(m => new Sgd(m, 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true))).SetName("sgd_nesterov_weight_decay");
        yield return new TestCaseData("adam", (Func<Module, Optimizer>)(m => new Adam(m, 1e-2, weightDecay: 1e-4))).SetName("adam_l2");
        yield return new TestCaseData("adamw", (Func<Module, Optimizer>)(m => Adam.AdamW(m, 1e-2, 1e-2))).SetName("adamw");
    }

    [TestCaseSource(nameof(Optimizers))]
    public void Two_optimizer_steps_match_pytorch_within_1e6(string name, Func<Module, Optimizer> create)
    {
        using Module model = SmallNet.Create();
        using (TensorDictionary init = PyTorchCheckpoint.Load(References.Path("small_init.pt")))
        {
            model.LoadStateDict(init);
        }

        using Optimizer optimizer = create(model);
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            Tensor x = Tensor.FromNpy(NpyArray.Load(References.Path("small_in.npy")));
            Tensor target = Tensor.FromNpy(NpyArray.Load(References.Path("small_target.npy")));
            for (int step = 0; step < 2; step++)
            {
                optimizer.ZeroGrad();
                Functional.MseLoss(model.Forward(x), target).Backward();
                optimizer.Step();
            }
        }

        using TensorDictionary expected = PyTorchCheckpoint.Load(References.Path(name + "_after.pt"));
        double worst = 0;
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            foreach ((string n, Tensor t) in model.StateDict())
            {
                worst = Math.Max(worst, (t.To(DType.Float64) - expected[n].To(DType.Float64)).Abs().Max([]).Item());
            }

            using Module untouched = SmallNet.Create();
            untouched.LoadStateDict(PyTorchCheckpoint.Load(References.Path("small_init.pt")));
            double moved = (model.StateDict()[0].Tensor - untouched.StateDict()[0].Tensor).Abs().Max([]).Item();
            Assert.That(moved, Is.GreaterThan(1e-4), "the step must change the weights for the comparison to mean anything");
        }

        Assert.That(worst, Is.LessThanOrEqualTo(1e-6));
    }

    [Test]
    public void Truncated_or_corrupt_checkpoint_names_the_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hp-torch-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            byte[] bytes = File.ReadAllBytes(References.Path("small_init.pt"));
            string truncated = Path.Combine(dir, "truncated.pt");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            var ex = Assert.Throws<ModelLoadException>(() => PyTorchCheckpoint.Load(truncated))!;
            Assert.That(ex.Message, Does.Contain(truncated));

            string garbage = Path.Combine(dir, "garbage.pt");
            File.WriteAllText(garbage, "not a checkpoint");
            ex = Assert.Throws<ModelLoadException>(() => PyTorchCheckpoint.Load(garbage))!;
            Assert.That(ex.Message, Does.Contain(garbage));

            ex = Assert.Throws<ModelLoadException>(() => PyTorchCheckpoint.Load(Path.Combine(dir, "missing.pt")))!;
            Assert.That(ex.Message, Does.Contain("missing.pt"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}

/// <summary>The small conv net of make_references.py (same names: a Sequential).</summary>
internal static class SmallNet
{
    public static Module Create() => new Sequential(
        new Conv2d(3, 8, 3, padding: 1), new BatchNorm2d(8), Lambda.Relu(),
        new Conv2d(8, 4, 3, stride: 2, padding: 1), Lambda.Relu(),
        Lambda.Flatten(), new Linear(4 * 4 * 4, 5));
}
