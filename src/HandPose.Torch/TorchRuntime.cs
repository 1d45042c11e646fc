using HandPose.Torch.Internal.Native;

namespace HandPose.Torch;

/// <summary>Process-wide libtorch facts and switches: availability, version, threads, seeding, determinism, grad mode.</summary>
public static class TorchRuntime
{
    private static bool _deterministic;

    /// <summary>Whether the HandPose libtorch shim (and libtorch) loaded.</summary>
    public static bool IsAvailable => TorchLibrary.IsAvailable;

    /// <summary>libtorch's version (as compiled into the shim).</summary>
    /// <exception cref="BackendUnavailableException">libtorch is not available.</exception>
    public static string Version
    {
        get
        {
            TorchLibrary.EnsureLoaded();
            return TorchLibrary.Version ?? "unknown";
        }
    }

    /// <summary>How many CUDA devices libtorch sees (0 with Debian's CPU-only libtorch).</summary>
    public static int CudaDeviceCount
    {
        get
        {
            TorchLibrary.EnsureLoaded();
            return NativeMethods.hp_cuda_device_count();
        }
    }

    /// <summary>libtorch's intra-op thread count.</summary>
    public static int Threads
    {
        get
        {
            TorchLibrary.EnsureLoaded();
            return NativeMethods.hp_get_num_threads();
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            TorchLibrary.EnsureLoaded();
            TorchLibrary.Check(NativeMethods.hp_set_num_threads(value));
        }
    }

    /// <summary>Whether libtorch must use deterministic algorithms only (an error is raised for ops without one).</summary>
    public static bool Deterministic
    {
        get => _deterministic;
        set
        {
            TorchLibrary.EnsureLoaded();
            TorchLibrary.Check(NativeMethods.hp_set_deterministic(value ? 1 : 0));
            _deterministic = value;
        }
    }

    /// <summary>Whether autograd records operations on this thread.</summary>
    public static bool IsGradEnabled
    {
        get
        {
            TorchLibrary.EnsureLoaded();
            return NativeMethods.hp_grad_enabled() != 0;
        }
    }

    /// <summary>Seeds libtorch's default CPU generator (as <c>torch.manual_seed</c>).</summary>
    /// <param name="seed">The seed.</param>
    public static void ManualSeed(ulong seed)
    {
        TorchLibrary.EnsureLoaded();
        TorchLibrary.Check(NativeMethods.hp_manual_seed(seed));
    }

    /// <summary>Opens a scope that disposes every tensor created on this thread until it ends.</summary>
    /// <returns>The scope.</returns>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables autograd on this thread until the returned scope is disposed.</summary>
    /// <returns>The scope.</returns>
    public static IDisposable NoGrad() => new GradModeScope(false);

    /// <summary>Enables autograd on this thread until the returned scope is disposed.</summary>
    /// <returns>The scope.</returns>
    public static IDisposable EnableGrad() => new GradModeScope(true);

    /// <summary>What <c>handpose doctor</c> prints about libtorch.</summary>
    /// <returns>The engine's facts, or the paths tried and the install hint.</returns>
    public static NativeEngineInfo Probe()
    {
        if (!TorchLibrary.IsAvailable)
        {
            return new NativeEngineInfo("libtorch", false, null, null, TorchLibrary.Trace, TorchLibrary.InstallHint);
        }

        int cuda = CudaDeviceCount;
        string detail = $"threads {Threads}; CUDA: {(cuda > 0 ? $"{cuda} device(s)" : "not available (CPU-only libtorch or no GPU)")}";
        return new NativeEngineInfo("libtorch", true, TorchLibrary.Version, TorchLibrary.LoadedFrom, TorchLibrary.Trace, detail);
    }

    /// <summary>The default CPU generator's state (a uint8 tensor), for checkpoints.</summary>
    internal static Tensor GetRngState()
    {
        TorchLibrary.EnsureLoaded();
        return new Tensor(new TensorHandle(TorchLibrary.Check(NativeMethods.hp_rng_get_state())));
    }

    /// <summary>Restores the default CPU generator's state.</summary>
    internal static void SetRngState(Tensor state)
    {
        TorchLibrary.EnsureLoaded();
        TorchLibrary.Check(NativeMethods.hp_rng_set_state(state.Handle));
    }

    private sealed class GradModeScope : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        public GradModeScope(bool enabled)
        {
            TorchLibrary.EnsureLoaded();
            _previous = NativeMethods.hp_set_grad_enabled(enabled ? 1 : 0) != 0;
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _ = NativeMethods.hp_set_grad_enabled(_previous ? 1 : 0);
            }
        }
    }
}
