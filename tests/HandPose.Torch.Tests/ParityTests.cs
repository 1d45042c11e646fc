using HandPose.IO;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HandPose.Torch.Tests;

/// <summary>Outputs and optimizer steps against PyTorch's own (Debian python3-torch), on seeded random weights saved by torch.save.</summary>
public sealed class ParityTests : TorchTestBase
{
    [TestCase("resnet18", "resnet18")]
    [TestCase("resnet50", "resnet50")]
    [TestCase("sb_r18", "simplebaseline-resnet18")]
    public void Forward_matches_pytorch_within_1e5_of_the_largest_output(string name, string arch) =>
        AssertForwardMatches(arch, References.Path(name + ".pt"), References.Path(name + "_in.npy"), References.Path(name + "_out.npy"));

    /// <summary>Loads the weights into the architecture and compares its eval-mode output with PyTorch's, within 1e-5 of max |y|.</summary>
    internal static void AssertForwardMatches(string arch, string weights, string inputFile, string outputFile)
    {
        TorchArchitecture architecture = TorchArchitectures.Get(arch);
        using nn.Module model = architecture.Create();
        StateDicts.Load(model, weights);
        model.eval();
        NpyArray input = NpyArray.Load(inputFile);
        NpyArray expected = NpyArray.Load(outputFile);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor output = architecture.Forward(model, [tensor(input.Data, [.. input.Shape.Select(d => (long)d)])]);
        Assert.That(output.shape.Select(d => (int)d), Is.EqualTo(expected.Shape));
        float[] actual = output.data<float>().ToArray();
        double largest = expected.Data.Max(v => Math.Abs(v));
        double worst = actual.Zip(expected.Data, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(largest, Is.GreaterThan(1e-3), "a degenerate reference proves nothing");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5 * largest), $"max |diff| {worst:g3}, largest output {largest:g3}");
    }

    [Test]
    public void State_dict_names_match_torchvision_and_pose_resnet()
    {
        Dictionary<string, Tensor> state = StateDicts.Read(References.Path("sb_r18.pt"));
        try
        {
            using var model = new SimpleBaseline(ResNetDepth.ResNet18, 21);
            Assert.That(model.state_dict().Keys, Is.EquivalentTo(state.Keys));
            Assert.That(state.Keys, Does.Contain("deconv_layers.7.num_batches_tracked"));
            Assert.That(state["bn1.num_batches_tracked"].dtype, Is.EqualTo(ScalarType.Int64));
            Assert.That(model.parameters().Sum(p => p.numel()), Is.EqualTo(11_176_512 + 4_201_237), "architectures.md: body 11.18 M + head 4.20 M");
        }
        finally
        {
            foreach (Tensor t in state.Values)
            {
                t.Dispose();
            }
        }
    }

    [TestCase(ResNetDepth.ResNet50, 256, 2048)]
    [TestCase(ResNetDepth.ResNet101, 128, 2048)]
    public void Simple_baselines_doubles_three_times_from_stride_32(ResNetDepth depth, int size, int bodyChannels)
    {
        using var model = new SimpleBaseline(depth, 21);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor y = model.call(randn(1, 3, size, size));
        Assert.That(y.shape, Is.EqualTo(new long[] { 1, 21, size / 4, size / 4 }));
        Assert.That(model.state_dict()["deconv_layers.0.weight"].shape, Is.EqualTo(new long[] { bodyChannels, 256, 4, 4 }));
    }

    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData("sgd", (Func<nn.Module, optim.Optimizer>)(m => optim.SGD(m.parameters(), 0.1, momentum: 0.9, weight_decay: 1e-4, nesterov: true))).SetName("sgd_nesterov_weight_decay");
        yield return new TestCaseData("adam", (Func<nn.Module, optim.Optimizer>)(m => optim.Adam(m.parameters(), 1e-2, weight_decay: 1e-4))).SetName("adam_l2");
    }

    [TestCaseSource(nameof(Optimizers))]
    public void Two_optimizer_steps_match_pytorch_within_1e5(string name, Func<nn.Module, optim.Optimizer> create)
    {
        using Sequential model = SmallNet.Create();
        StateDicts.Load(model, References.Path("small_init.pt"));
        using optim.Optimizer optimizer = create(model);
        using (var scope = NewDisposeScope())
        {
            Tensor x = Load("small_in.npy");
            Tensor target = Load("small_target.npy");
            model.train();
            for (int step = 0; step < 2; step++)
            {
                optimizer.zero_grad();
                nn.functional.mse_loss(model.call(x), target).backward();
                optimizer.step();
            }
        }

        using Sequential expected = SmallNet.Create();
        StateDicts.Load(expected, References.Path(name + "_after.pt"));
        using Sequential untouched = SmallNet.Create();
        StateDicts.Load(untouched, References.Path("small_init.pt"));
        using var check = NewDisposeScope();
        double worst = model.state_dict().Max(kv => (kv.Value.to_type(ScalarType.Float64) - expected.state_dict()[kv.Key].to_type(ScalarType.Float64)).abs().max().item<double>());
        double moved = (model.state_dict()["0.weight"] - untouched.state_dict()["0.weight"]).abs().max().item<float>();
        Assert.That(moved, Is.GreaterThan(1e-4), "the step must change the weights for the comparison to mean anything");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-5), "libtorch 2.10 (TorchSharp) against Debian's PyTorch 1.13: float32 rounding differs");
    }

    [Test]
    public void Truncated_foreign_missing_and_misfitting_files_are_model_load_exceptions_naming_the_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hp-torch-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using Sequential model = SmallNet.Create();
            byte[] bytes = File.ReadAllBytes(References.Path("small_init.pt"));
            string truncated = Path.Combine(dir, "truncated.pt");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, truncated))!.Message, Does.Contain(truncated));

            string garbage = Path.Combine(dir, "garbage.pt");
            File.WriteAllText(garbage, "not a checkpoint at all, just text");
            Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, garbage))!.Message, Does.Contain(garbage));

            string legacy = Path.Combine(dir, "legacy.pt");
            File.WriteAllBytes(legacy, [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]);
            Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, legacy))!.Message, Does.Contain(legacy).And.Contain("legacy"));

            string safetensors = Path.Combine(dir, "small.safetensors");
            StateDicts.Save(model, safetensors);
            byte[] st = File.ReadAllBytes(safetensors);
            File.WriteAllBytes(safetensors, st[..^4]);
            Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, safetensors))!.Message, Does.Contain(safetensors).And.Contain("truncated"));

            Assert.That(Assert.Throws<ModelLoadException>(() => StateDicts.Load(model, Path.Combine(dir, "missing.pt")))!.Message, Does.Contain("missing.pt"));

            using var other = nn.Sequential(nn.Conv2d(3, 8, 3L, padding: 1L), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 5, 3L));
            var ex = Assert.Throws<ModelLoadException>(() => StateDicts.Load(other, References.Path("small_init.pt")))!;
            Assert.That(ex.Message, Does.Contain("small_init.pt").And.Contain("'3.weight' has shape [4, 8, 3, 3], the model needs [5, 8, 3, 3]").And.Contain("unexpected '6.weight'"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void A_storage_shorter_than_its_pickle_declares_is_refused_before_allocating()
    {
        // PyTorch wrote small_init.pt; keep its pickle, cut one storage entry to half its bytes.
        string dir = Path.Combine(Path.GetTempPath(), "hp-torch-zip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string cut = Path.Combine(dir, "cut.pt");
            using (var source = System.IO.Compression.ZipFile.OpenRead(References.Path("small_init.pt")))
            using (var target = System.IO.Compression.ZipFile.Open(cut, System.IO.Compression.ZipArchiveMode.Create))
            {
                foreach (var entry in source.Entries)
                {
                    using var input = new MemoryStream();
                    using (Stream s = entry.Open())
                    {
                        s.CopyTo(input);
                    }

                    byte[] data = input.ToArray();
                    bool shorten = entry.FullName.EndsWith("/data/0", StringComparison.Ordinal);
                    using Stream output = target.CreateEntry(entry.FullName, System.IO.Compression.CompressionLevel.NoCompression).Open();
                    output.Write(shorten ? data[..(data.Length / 2)] : data);
                }
            }

            var ex = Assert.Throws<ModelLoadException>(() => StateDicts.Read(cut))!;
            Assert.That(ex.Message, Does.Contain(cut).And.Contain("storage '0' declares").And.Contain("FloatStorage"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void Safetensors_and_torch_save_round_trip_bit_for_bit()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hp-torch-rt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using Sequential model = SmallNet.Create();
            StateDicts.Load(model, References.Path("small_init.pt"));
            foreach (string file in new[] { "a.safetensors", "a.pt" })
            {
                StateDicts.Save(model, Path.Combine(dir, file));
                using Sequential back = SmallNet.Create();
                StateDicts.Load(back, Path.Combine(dir, file));
                foreach ((string n, Tensor t) in model.state_dict())
                {
                    Assert.That(back.state_dict()[n].bytes.ToArray(), Is.EqualTo(t.bytes.ToArray()), $"{file}: {n}");
                }
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static Tensor Load(string file)
    {
        NpyArray a = NpyArray.Load(References.Path(file));
        return tensor(a.Data, [.. a.Shape.Select(d => (long)d)]);
    }
}

/// <summary>The small conv net of make_references.py (same names: a Sequential).</summary>
internal static class SmallNet
{
    public static Sequential Create() => nn.Sequential(
        nn.Conv2d(3, 8, 3L, padding: 1L), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 4, 3L, stride: 2L, padding: 1L), nn.ReLU(),
        nn.Flatten(), nn.Linear(4 * 4 * 4, 5));
}
