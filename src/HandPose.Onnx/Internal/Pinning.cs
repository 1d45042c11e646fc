using System.Buffers;
using System.Runtime.InteropServices;

namespace HandPose.Onnx.Internal;

/// <summary>The few pointer and reinterpretation helpers the safe runtime layer needs.</summary>
internal static unsafe class Pinning
{
    public static IntPtr Address(in MemoryHandle handle) => (IntPtr)handle.Pointer;

    /// <summary>A valid address for zero-length tensors (ORT rejects a null data pointer).</summary>
    public static readonly IntPtr EmptyBuffer = Marshal.AllocHGlobal(16);

    public static int SizeOf<T>()
        where T : unmanaged => sizeof(T);

    public static ReadOnlySpan<T> Cast<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(bytes);
}
