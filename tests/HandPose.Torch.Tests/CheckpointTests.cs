using HandPose.Torch.Serialization;

namespace HandPose.Torch.Tests;

public sealed class CheckpointTests : TorchTestBase
{
    private string _dir = string.Empty;

    [SetUp]
    public void MakeDir()
    {
        _dir = Path.Combine(Path.GetTempPath(), "hp-torch-ckpt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    [Test]
    public void Safetensors_round_trips_dtypes_shapes_values_and_metadata()
    {
        string path = Path.Combine(_dir, "t.safetensors");
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            SafeTensors.Save(path, [
                ("a", Tensor.FromSpan<float>([1.5f, -2, 3, 4, 5, 6], [2, 3])),
                ("b", Tensor.FromSpan<long>([7, long.MaxValue], [2])),
                ("c", Tensor.FromSpan<double>([Math.PI], [])),
            ], new Dictionary<string, string> { ["note"] = "hi" });
        }

        using TensorDictionary loaded = SafeTensors.Load(path);
        Assert.That(loaded.Keys, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(loaded["a"].Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(loaded["a"].ToArray<float>(), Is.EqualTo(new float[] { 1.5f, -2, 3, 4, 5, 6 }));
        Assert.That(loaded["b"].DType, Is.EqualTo(DType.Int64));
        Assert.That(loaded["b"].ToArray<long>(), Is.EqualTo(new[] { 7, long.MaxValue }));
        Assert.That(loaded["c"].Item(), Is.EqualTo(Math.PI));
        Assert.That(loaded.Metadata["note"], Is.EqualTo("hi"));

        // The header is the documented layout: u64 length, then JSON that Python's json module can read.
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(BitConverter.ToUInt64(bytes, 0) % 8, Is.Zero);
        File.WriteAllBytes(path, bytes[..^4]);
        var ex = Assert.Throws<ModelLoadException>(() => SafeTensors.Load(path))!;
        Assert.That(ex.Message, Does.Contain(path));
    }

    [Test]
    public void Resume_in_a_new_process_is_bit_identical_to_training_straight_through()
    {
        Run("straight");
        Run("first");
        Run("second");
        using TensorDictionary straight = SafeTensors.Load(Path.Combine(_dir, "straight.safetensors"));
        using TensorDictionary resumed = SafeTensors.Load(Path.Combine(_dir, "resumed.safetensors"));
        Assert.That(resumed.Keys, Is.EqualTo(straight.Keys));
        foreach (string name in straight.Keys)
        {
            Assert.That(resumed[name].ToBytes(), Is.EqualTo(straight[name].ToBytes()), name);
        }

        using TensorDictionary checkpoint = SafeTensors.Load(Path.Combine(_dir, "checkpoint.safetensors"));
        Assert.That(checkpoint["model/0.weight"].ToBytes(), Is.Not.EqualTo(straight["0.weight"].ToBytes()), "10 more steps must change the weights");
        Assert.That(checkpoint.Keys, Does.Contain("optimizer/0.weight/exp_avg_sq"));
        Assert.That(checkpoint.Keys, Does.Contain("rng/cpu"));
    }

    private void Run(string mode)
    {
        (int code, string output) = Sibling.Run("HandPose.Torch.ResumeProbe", "HandPose.Torch.ResumeProbe.dll", mode, _dir);
        Assert.That(code, Is.Zero, $"resume probe {mode}: {output}");
    }
}
