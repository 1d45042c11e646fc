namespace HandPose.Torch.Tests;

public sealed class TensorTests : TorchTestBase
{
    [Test]
    public void Round_trips_data_shape_and_dtype()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var t = Tensor.FromSpan<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        Assert.That(t.Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(t.DType, Is.EqualTo(DType.Float32));
        Assert.That(t.Device, Is.EqualTo(Device.Cpu));
        Assert.That(t.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void Arithmetic_and_shape_ops_match_hand_computed_values()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.FromSpan<float>([1, 2, 3, 4, 5, 6], [2, 3]);
        var b = Tensor.FromSpan<float>([10, 20, 30], [3]);
        Assert.That((a + b).ToArray<float>(), Is.EqualTo(new float[] { 11, 22, 33, 14, 25, 36 }));
        Assert.That((a * 2).Sum().Item(), Is.EqualTo(42));
        Assert.That(a.Permute(1, 0).Contiguous().ToArray<float>(), Is.EqualTo(new float[] { 1, 4, 2, 5, 3, 6 }));
        Assert.That(a.Slice(1, 1, null).ToArray<float>(), Is.EqualTo(new float[] { 2, 3, 5, 6 }));
        Assert.That(a.Mean([1]).ToArray<float>(), Is.EqualTo(new float[] { 2, 5 }));
        Assert.That(Tensor.Cat([a, a], 0).Shape, Is.EqualTo(new long[] { 4, 3 }));
        Assert.That(Tensor.Stack([a, a], 0).Shape, Is.EqualTo(new long[] { 2, 2, 3 }));
        Assert.That(a.Reshape(3, -1).Shape, Is.EqualTo(new long[] { 3, 2 }));
        Assert.That(a.Max([]).Item(), Is.EqualTo(6));
    }

    [Test]
    public void Autograd_gives_the_analytic_gradient()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromSpan<double>([1, -2, 3], [3]);
        x.RequiresGrad = true;
        var y = (x * x).Sum();
        y.Backward();
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new double[] { 2, -4, 6 }));
    }

    [Test]
    public void Mismatched_shapes_raise_libtorchs_message_without_crashing()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Tensor.Zeros([2, 3]);
        var b = Tensor.Zeros([4, 5]);
        var ex = Assert.Throws<EngineException>(() => a.MatMul(b))!;
        Assert.That(ex.Engine, Is.EqualTo("libtorch"));
        Assert.That(ex.EngineMessage, Does.Contain("mat1 and mat2 shapes cannot be multiplied"));
        var conv = Assert.Throws<EngineException>(() => Functional.Conv2d(Tensor.Zeros([1, 3, 8, 8]), Tensor.Zeros([4, 5, 3, 3])))!;
        Assert.That(conv.EngineMessage, Does.Contain("expected input[1, 3, 8, 8] to have 5 channels"));
        // The thread keeps working after an error.
        Assert.That((a + a).Shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void Dispose_scope_frees_every_temporary_and_keeps_moved_results()
    {
        long before = DisposeScope.LiveTensors;
        Tensor kept;
        using (var scope = TorchRuntime.NewDisposeScope())
        {
            var a = Tensor.Ones([4, 4]);
            var b = (a * 3) + a;
            kept = scope.MoveToOuter(b.Sum());
            Assert.That(scope.Count, Is.GreaterThanOrEqualTo(3));
        }

        Assert.That(DisposeScope.LiveTensors, Is.EqualTo(before + 1));
        Assert.That(kept.Item(), Is.EqualTo(64));
        kept.Dispose();
        Assert.That(DisposeScope.LiveTensors, Is.EqualTo(before));
        Assert.Throws<ObjectDisposedException>(() => _ = kept.Shape);
    }

    [Test]
    public void No_grad_scope_stops_recording()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Ones([2]);
        x.RequiresGrad = true;
        using (TorchRuntime.NoGrad())
        {
            Assert.That(TorchRuntime.IsGradEnabled, Is.False);
            Assert.That((x * 2).RequiresGrad, Is.False);
        }

        Assert.That(TorchRuntime.IsGradEnabled, Is.True);
        Assert.That((x * 2).RequiresGrad, Is.True);
    }

    [Test]
    public void Manual_seed_repeats_random_draws()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        TorchRuntime.ManualSeed(7);
        float[] a = Tensor.Randn([8]).ToArray<float>();
        TorchRuntime.ManualSeed(7);
        float[] b = Tensor.Randn([8]).ToArray<float>();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a.Distinct().Count(), Is.EqualTo(8));
    }

    [Test]
    public void Cuda_without_a_gpu_is_a_clear_backend_error()
    {
        Assert.That(TorchRuntime.CudaDeviceCount, Is.Zero, "this machine has no GPU; the test documents the CPU-only path");
        var ex = Assert.Throws<BackendUnavailableException>(() => Tensor.Zeros([2], device: Device.Cuda()))!;
        Assert.That(ex.Message, Does.Contain("CUDA build of libtorch"));
    }

    [Test]
    public void Thread_count_can_be_set()
    {
        int previous = TorchRuntime.Threads;
        TorchRuntime.Threads = 1;
        Assert.That(TorchRuntime.Threads, Is.EqualTo(1));
        TorchRuntime.Threads = previous;
    }
}
