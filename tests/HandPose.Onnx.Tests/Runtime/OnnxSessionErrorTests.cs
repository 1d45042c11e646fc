using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.Tests.Runtime;

[Category("Native")]
public sealed class OnnxSessionErrorTests
{
    private OnnxSession _session = null!;

    [SetUp]
    public void Open()
    {
        OrtTestEnvironment.RequireRuntime();
        _session = OnnxSession.FromFile(OrtTestEnvironment.Data("small_net.onnx"));
    }

    [TearDown]
    public void Close() => _session?.Dispose();

    [Test]
    public void Wrong_input_name_names_the_expected_inputs()
    {
        float[] x = new float[3 * 24 * 20];
        var ex = Assert.Throws<InputShapeException>(() => _session.Run([OnnxTensor.FromMemory<float>("image", x, 1, 3, 24, 20)]));
        Assert.That(ex!.InputName, Is.EqualTo("image"));
        Assert.That(ex.Expected, Does.Contain("'input' float32 [batch, 3, 24, 20]"));
    }

    [Test]
    public void Wrong_shape_reports_expected_and_actual()
    {
        float[] x = new float[3 * 24 * 21];
        var ex = Assert.Throws<InputShapeException>(() => _session.Run([OnnxTensor.FromMemory<float>("input", x, 1, 3, 24, 21)]));
        Assert.That(ex!.Expected, Is.EqualTo("float32 [batch, 3, 24, 20]"));
        Assert.That(ex.Actual, Is.EqualTo("float32 [1, 3, 24, 21]"));
    }

    [Test]
    public void Wrong_rank_is_rejected_before_the_engine()
    {
        float[] x = new float[3 * 24 * 20];
        var ex = Assert.Throws<InputShapeException>(() => _session.Run([OnnxTensor.FromMemory<float>("input", x, 3, 24, 20)]));
        Assert.That(ex!.Actual, Is.EqualTo("float32 [3, 24, 20]"));
    }

    [Test]
    public void Wrong_element_type_reports_expected_and_actual()
    {
        double[] x = new double[3 * 24 * 20];
        var ex = Assert.Throws<InputShapeException>(() => _session.Run([OnnxTensor.FromMemory<double>("input", x, 1, 3, 24, 20)]));
        Assert.That(ex!.Expected, Is.EqualTo("float32 [batch, 3, 24, 20]"));
        Assert.That(ex.Actual, Is.EqualTo("float64 [1, 3, 24, 20]"));
    }

    [Test]
    public void Missing_input_is_named()
    {
        var ex = Assert.Throws<InputShapeException>(() => _session.Run([]));
        Assert.That(ex!.InputName, Is.EqualTo("input"));
        Assert.That(ex.Actual, Is.EqualTo("no tensor for this input"));
    }

    [Test]
    public void Length_not_matching_shape_is_an_argument_error()
    {
        float[] x = new float[10];
        Assert.Throws<ArgumentException>(() => OnnxTensor.FromMemory<float>("input", x, 1, 3, 24, 20));
    }

    [Test]
    public void Caller_output_of_wrong_shape_is_rejected()
    {
        float[] x = new float[3 * 24 * 20];
        float[] y = new float[5 * 24 * 20];
        var ex = Assert.Throws<InputShapeException>(() =>
            _session.RunInto([OnnxTensor.FromMemory<float>("input", x, 1, 3, 24, 20)], [OnnxTensor.FromMemory<float>("output", y, 1, 5, 24, 20, 1)]));
        Assert.That(ex!.InputName, Is.EqualTo("output"));
    }

    [Test]
    public void Truncated_model_is_a_model_load_exception()
    {
        byte[] model = File.ReadAllBytes(OrtTestEnvironment.Data("small_net.onnx"));
        var ex = Assert.Throws<ModelLoadException>(() => OnnxSession.FromBytes(model.AsSpan(0, model.Length / 2)));
        Assert.That(ex!.InnerException, Is.TypeOf<EngineException>());
    }

    [Test]
    public void Corrupt_model_file_is_a_model_load_exception()
    {
        string path = Path.Combine(Path.GetTempPath(), $"handpose-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
        try
        {
            var ex = Assert.Throws<ModelLoadException>(() => OnnxSession.FromFile(path));
            Assert.That(ex!.Source, Is.EqualTo(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Missing_model_file_is_a_model_load_exception()
    {
        Assert.Throws<ModelLoadException>(() => OnnxSession.FromFile("/nonexistent/model.onnx"));
    }

    [Test]
    public void Cuda_on_a_cpu_only_build_is_a_clear_backend_unavailable_error()
    {
        var ex = Assert.Throws<BackendUnavailableException>(() =>
            OnnxSession.FromFile(OrtTestEnvironment.Data("trivial.onnx"), new OnnxSessionOptions { ExecutionProvider = OnnxExecutionProvider.Cuda }));
        // This machine has no GPU and the npm build ships no CUDA provider library: either way the error says so.
        Assert.That(ex!.Backend, Is.EqualTo("ONNX Runtime CUDA execution provider"));
        Assert.That(ex.PathsTried.Single(), Does.Contain("CPUExecutionProvider"));
        Assert.That(ex.InstallHint, Does.Contain("OnnxExecutionProvider.Cpu"));
    }

    [Test]
    public void Read_only_memory_cannot_receive_an_output()
    {
        float[] x = new float[3 * 24 * 20];
        float[] y = new float[5 * 24 * 20];
        var ex = Assert.Throws<InputShapeException>(() =>
            _session.RunInto([OnnxTensor.FromMemory<float>("input", x, 1, 3, 24, 20)], [OnnxTensor.FromReadOnlyMemory<float>("output", y, 1, 5, 24, 20)]));
        Assert.That(ex!.Actual, Is.EqualTo("read-only memory"));
    }

    [Test]
    public void Disposing_during_concurrent_runs_never_crashes()
    {
        float[] x = new float[3 * 24 * 20];
        int ok = 0, disposed = 0;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < 2000; i++)
            {
                try
                {
                    using OnnxRunResult r = _session.Run([OnnxTensor.FromMemory<float>("input", x, 1, 3, 24, 20)]);
                    Interlocked.Increment(ref ok);
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref disposed);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Thread.Sleep(20);
        _session.Dispose();
        threads.ForEach(t => t.Join());
        Assert.That(ok + disposed, Is.EqualTo(8000));
        Assert.That(disposed, Is.GreaterThan(0));
    }

    [Test]
    public void Disposed_session_throws_ObjectDisposedException()
    {
        _session.Dispose();
        float[] x = new float[3 * 24 * 20];
        Assert.Throws<ObjectDisposedException>(() => _session.Run([OnnxTensor.FromMemory<float>("input", x, 1, 3, 24, 20)]));
    }
}
