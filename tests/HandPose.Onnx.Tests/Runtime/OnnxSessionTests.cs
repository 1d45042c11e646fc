using HandPose.IO;
using HandPose.Onnx.Model;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Onnx.Tests.Runtime;

[Category("Native")]
public sealed class OnnxSessionTests
{
    [SetUp]
    public void RequireRuntime() => OrtTestEnvironment.RequireRuntime();

    [Test]
    public void FromFile_trivial_model_reports_metadata_and_adds_one()
    {
        using var session = OnnxSession.FromFile(OrtTestEnvironment.Data("trivial.onnx"));
        Assert.That(session.RuntimeVersion, Is.EqualTo("1.32.0"), "the version of the Microsoft.ML.OnnxRuntime package in Directory.Packages.props");
        Assert.That(session.Inputs, Has.Count.EqualTo(1));
        Assert.That(session.Inputs[0].Name, Is.EqualTo("x"));
        Assert.That(session.Inputs[0].ElementType, Is.EqualTo(OnnxElementType.Float));
        Assert.That(session.Inputs[0].Dimensions, Is.EqualTo(new long[] { 1, 16 }));
        Assert.That(session.Outputs[0].Name, Is.EqualTo("y"));
        Assert.That(session.Metadata["handpose.note"], Is.EqualTo("y = x + 1"));

        float[] x = Enumerable.Range(0, 16).Select(i => i * 0.5f).ToArray();
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory("x", x.AsMemory(), 1, 16)]);
        Assert.That(result["y"].Shape, Is.EqualTo(new long[] { 1, 16 }));
        Assert.That(result[0].ToArray<float>(), Is.EqualTo(x.Select(v => v + 1f).ToArray()));
    }

    [Test]
    public void RunInto_writes_into_caller_memory()
    {
        using var session = OnnxSession.FromBytes(File.ReadAllBytes(OrtTestEnvironment.Data("trivial.onnx")));
        float[] x = Enumerable.Range(0, 16).Select(i => -i * 1f).ToArray();
        float[] y = new float[16];
        session.RunInto([OnnxTensor.FromReadOnlyMemory<float>("x", x, 1, 16)], [OnnxTensor.FromMemory<float>("y", y, 1, 16)]);
        Assert.That(y, Is.EqualTo(x.Select(v => v + 1f).ToArray()));
    }

    [Test]
    public void Symbolic_dimensions_are_reported_by_name()
    {
        using var session = OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"));
        OnnxTensorInfo input = session.Inputs[0];
        Assert.That(input.Dimensions, Is.EqualTo(new long[] { -1, 3, 24, 20 }));
        Assert.That(input.SymbolicDimensions[0], Is.EqualTo("batch"));
        Assert.That(input.IsFixedShape, Is.False);
        Assert.That(input.ToString(), Is.EqualTo("float32 [batch, 3, 24, 20]"));
    }

    [Test]
    public void Small_net_matches_pytorch_within_2e5_of_the_largest_output()
    {
        NpyArray x = OrtTestEnvironment.Npy(OrtTestEnvironment.Data("small_net.input.npy"));
        NpyArray expected = OrtTestEnvironment.Npy(OrtTestEnvironment.Data("small_net.output.npy"));
        using var session = OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"));
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory("input", x.Data.AsMemory(), [.. x.Shape.Select(d => (long)d)])]);
        Assert.That(result[0].Shape, Is.EqualTo(expected.Shape.Select(d => (long)d).ToArray()));
        AssertParity(result[0].GetData<float>(), expected.Data, "small net");
    }

    [Test]
    public void Simple_baselines_resnet18_matches_pytorch_within_2e5_of_the_largest_output()
    {
        string dir = OrtTestEnvironment.ResNetDirectory();
        NpyArray x = OrtTestEnvironment.Npy(Path.Combine(dir, "simple_baselines_r18.input.npy"));
        NpyArray expected = OrtTestEnvironment.Npy(Path.Combine(dir, "simple_baselines_r18.output.npy"));
        using var session = OnnxSession.FromFile(Path.Combine(dir, "simple_baselines_r18.onnx"));
        Assert.That(session.Outputs[0].ToString(), Is.EqualTo("float32 [1, 21, 56, 56]"));
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory("input", x.Data.AsMemory(), 1, 3, 224, 224)]);
        AssertParity(result[0].GetData<float>(), expected.Data, "Simple Baselines ResNet-18");
    }

    [Test]
    public void Concurrent_runs_on_one_session_equal_sequential_runs()
    {
        NpyArray x = OrtTestEnvironment.Npy(OrtTestEnvironment.Data("small_net.input.npy"));
        using var session = OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });

        // 8 distinct inputs (scaled copies), so a mixed-up buffer between threads would show.
        float[][] inputs = Enumerable.Range(0, 8).Select(t => x.Data.Select(v => v * (1f + (0.1f * t))).ToArray()).ToArray();
        float[][] sequential = inputs.Select(input => RunOnce(session, input, x.Shape)).ToArray();

        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                float[] got = RunOnce(session, inputs[t], x.Shape);
                if (!got.AsSpan().SequenceEqual(sequential[t]))
                {
                    mismatches.Add($"thread {t} run {i}");
                }
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        threads.ForEach(th => th.Join());
        Assert.That(mismatches, Is.Empty);
    }

    /// <summary>The spinning modes set ONNX Runtime session config entries; with two threads every mode computes the same.</summary>
    [TestCase(OnnxThreadSpinning.DuringRun)]
    [TestCase(OnnxThreadSpinning.Never)]
    public void Spinning_modes_on_two_threads_give_the_single_thread_result(OnnxThreadSpinning spinning)
    {
        NpyArray x = OrtTestEnvironment.Npy(OrtTestEnvironment.Data("small_net.input.npy"));
        using var single = OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        using var two = OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"), new OnnxSessionOptions { IntraOpThreads = 2, Spinning = spinning });

        float[] expected = RunOnce(single, x.Data, x.Shape);
        for (int i = 0; i < 3; i++)
        {
            Assert.That(RunOnce(two, x.Data, x.Shape), Is.EqualTo(expected).Within(1e-6f), $"run {i}");
        }
    }

    [Test]
    public void Undefined_spinning_mode_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"),
            new OnnxSessionOptions { Spinning = (OnnxThreadSpinning)7 }));

    [Test]
    public void Cancelled_token_throws_OperationCanceledException()
    {
        using var session = OnnxSession.FromFile(OrtTestEnvironment.Data("trivial.onnx"));
        float[] x = new float[16];
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => session.Run([OnnxTensor.FromMemory<float>("x", x, 1, 16)], cts.Token));
    }

    [Test]
    public void Cancellation_during_a_run_stops_it_with_OperationCanceledException()
    {
        string dir = OrtTestEnvironment.ResNetDirectory();
        using var session = OnnxSession.FromFile(Path.Combine(dir, "simple_baselines_r18.onnx"), new OnnxSessionOptions { IntraOpThreads = 1 });
        float[] x = new float[3 * 224 * 224];
        int completed = 0;
        using var cts = new CancellationTokenSource();
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Throws<OperationCanceledException>(() =>
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(5));
            for (int i = 0; i < 1000; i++)
            {
                session.Run([OnnxTensor.FromMemory<float>("input", x, 1, 3, 224, 224)], cts.Token).Dispose();
                completed++;
            }
        });
        Assert.That(completed, Is.LessThan(1000));

        // The session stays usable after a cancelled run.
        using OnnxRunResult again = session.Run([OnnxTensor.FromMemory<float>("input", x, 1, 3, 224, 224)]);
        Assert.That(again[0].Shape, Is.EqualTo(new long[] { 1, 21, 56, 56 }));
    }

    private static float[] RunOnce(OnnxSession session, float[] input, IReadOnlyList<int> shape)
    {
        using OnnxRunResult r = session.Run([OnnxTensor.FromMemory("input", input.AsMemory(), [.. shape.Select(d => (long)d)])]);
        return r[0].ToArray<float>();
    }

    private static void AssertParity(ReadOnlySpan<float> actual, float[] expected, string what)
    {
        float largest = expected.Max(MathF.Abs);
        Assert.That(largest, Is.GreaterThan(0f), "reference output is all zeros");
        Tolerance.AssertAllClose(actual, expected, 2e-5 * largest, what);
    }
}
