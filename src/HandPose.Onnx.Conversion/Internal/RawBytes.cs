using System.Runtime.InteropServices;

namespace HandPose.Onnx.Conversion.Internal;

/// <summary>Reinterprets spans of numbers as their little-endian bytes and back (the layout of ONNX <c>raw_data</c>
/// and of TFLite buffers). HandPose only runs on little-endian hosts, which is checked here.</summary>
internal static class RawBytes
{
    public static ReadOnlySpan<byte> AsBytes<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        EnsureLittleEndian();
        return MemoryMarshal.AsBytes(values);
    }

    /// <summary>Copies <paramref name="bytes"/> into a new array of <typeparamref name="T"/>; the length must be a
    /// whole number of elements. Works for unaligned input.</summary>
    public static T[] ToArray<T>(ReadOnlySpan<byte> bytes)
        where T : unmanaged
    {
        EnsureLittleEndian();
        int size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (bytes.Length % size != 0)
        {
            throw new ArgumentException($"{bytes.Length} bytes is not a whole number of {size}-byte {typeof(T).Name} elements.", nameof(bytes));
        }

        var result = new T[bytes.Length / size];
        bytes.CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("HandPose model files are little-endian; big-endian hosts are not supported.");
        }
    }
}
