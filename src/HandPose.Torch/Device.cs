using System.Globalization;

namespace HandPose.Torch;

/// <summary>The kind of device a tensor lives on.</summary>
public enum DeviceKind
{
    /// <summary>Host memory.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU (needs a CUDA build of libtorch and the shim built against it).</summary>
    Cuda = 1,
}

/// <summary>A device: the CPU or one CUDA GPU.</summary>
/// <param name="Kind">The device kind.</param>
/// <param name="Index">The GPU ordinal (0 for the CPU).</param>
public readonly record struct Device(DeviceKind Kind, int Index = 0)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu => new(DeviceKind.Cpu);

    /// <summary>A CUDA GPU.</summary>
    /// <param name="index">The GPU ordinal.</param>
    /// <returns>The device.</returns>
    public static Device Cuda(int index = 0) => new(DeviceKind.Cuda, index);

    /// <summary>libtorch's spelling: <c>cpu</c> or <c>cuda:N</c>.</summary>
    /// <returns>The device string.</returns>
    public override string ToString() => Kind == DeviceKind.Cpu ? "cpu" : string.Create(CultureInfo.InvariantCulture, $"cuda:{Index}");

    /// <summary>Throws a clear error when this device cannot be used in this process.</summary>
    internal void EnsureUsable()
    {
        if (Kind == DeviceKind.Cuda && TorchRuntime.CudaDeviceCount <= Index)
        {
            throw new BackendUnavailableException(
                $"libtorch CUDA device {Index}",
                [$"libtorch {TorchRuntime.Version} reports {TorchRuntime.CudaDeviceCount} CUDA device(s)"],
                "CUDA needs an NVIDIA GPU with its driver and a CUDA build of libtorch: build the shim with " +
                "cmake -DCMAKE_PREFIX_PATH=/path/to/libtorch-cuda (HANDPOSE_LIBTORCH_PREFIX for scripts/setup.sh). Debian's libtorch is CPU-only.");
        }
    }
}
