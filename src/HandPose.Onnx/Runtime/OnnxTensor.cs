using HandPose.Onnx.Model;
using System.Buffers;
using HandPose.Onnx.Internal;

namespace HandPose.Onnx.Runtime;

/// <summary>
/// A named tensor over caller memory: an input (read, never copied) or a destination for an output (written in place).
/// </summary>
/// <remarks>The memory is pinned only for the duration of a run; the caller keeps ownership and must not change an
/// input or read an output while a run that uses it is in progress. Instances are immutable and may be shared
/// between threads as inputs.</remarks>
public sealed class OnnxTensor
{
    private readonly Func<MemoryHandle> _pin;

    private OnnxTensor(string name, OnnxElementType elementType, long[] shape, int length, int elementSize, bool isWritable, Func<MemoryHandle> pin)
    {
        Name = name;
        ElementType = elementType;
        Shape = shape;
        Length = length;
        ByteLength = (long)length * elementSize;
        IsWritable = isWritable;
        _pin = pin;
    }

    /// <summary>The input or output name in the model.</summary>
    public string Name { get; }

    /// <summary>The element type, from the factory's type argument.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The tensor's shape.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public int Length { get; }

    /// <summary>Whether the tensor may receive an output.</summary>
    public bool IsWritable { get; }

    internal long ByteLength { get; }

    internal long[] ShapeArray => (long[])Shape;

    /// <summary>Wraps writable memory (usable as an input or as an output destination).</summary>
    /// <typeparam name="T">float, double, Half, sbyte, byte, int, long or bool.</typeparam>
    /// <param name="name">The model's input or output name.</param>
    /// <param name="data">Exactly the product of <paramref name="shape"/> elements, row-major.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The element type is not supported, a dimension is negative, or the length does not match the shape.</exception>
    public static OnnxTensor FromMemory<T>(string name, Memory<T> data, params ReadOnlySpan<long> shape)
        where T : unmanaged => Create(name, data.Length, shape, isWritable: true, () => data.Pin(), ElementTypeOf<T>(), Pinning.SizeOf<T>());

    /// <summary>Wraps read-only memory as an input.</summary>
    /// <typeparam name="T">float, double, Half, sbyte, byte, int, long or bool.</typeparam>
    /// <param name="name">The model's input name.</param>
    /// <param name="data">Exactly the product of <paramref name="shape"/> elements, row-major.</param>
    /// <param name="shape">The dimensions.</param>
    /// <returns>The tensor.</returns>
    /// <exception cref="ArgumentException">The element type is not supported, a dimension is negative, or the length does not match the shape.</exception>
    public static OnnxTensor FromReadOnlyMemory<T>(string name, ReadOnlyMemory<T> data, params ReadOnlySpan<long> shape)
        where T : unmanaged => Create(name, data.Length, shape, isWritable: false, () => data.Pin(), ElementTypeOf<T>(), Pinning.SizeOf<T>());

    /// <summary>The element type and shape as text, e.g. <c>float32 [1, 3, 224, 224]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => OnnxTensorInfo.ShapeText(ElementType, Shape);

    internal MemoryHandle Pin() => _pin();

    internal static OnnxElementType ElementTypeOf<T>()
        where T : unmanaged
    {
        Type t = typeof(T);
        return t == typeof(float) ? OnnxElementType.Float
            : t == typeof(double) ? OnnxElementType.Double
            : t == typeof(Half) ? OnnxElementType.Float16
            : t == typeof(sbyte) ? OnnxElementType.Int8
            : t == typeof(byte) ? OnnxElementType.UInt8
            : t == typeof(int) ? OnnxElementType.Int32
            : t == typeof(long) ? OnnxElementType.Int64
            : t == typeof(bool) ? OnnxElementType.Bool
            : OnnxElementType.Undefined;
    }

    private static OnnxTensor Create(string name, int length, ReadOnlySpan<long> shape, bool isWritable, Func<MemoryHandle> pin, OnnxElementType type, int elementSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (type == OnnxElementType.Undefined)
        {
            throw new ArgumentException("Supported element types: float, double, Half, sbyte, byte, int, long, bool.", nameof(type));
        }

        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor '{name}': dimension {d} is negative; shapes given to a run must be concrete.", nameof(shape));
            }

            count = checked(count * d);
        }

        if (count != length)
        {
            throw new ArgumentException($"Tensor '{name}': shape [{string.Join(", ", shape.ToArray())}] has {count} elements; the memory has {length}.", nameof(shape));
        }

        return new OnnxTensor(name, type, shape.ToArray(), length, elementSize, isWritable, pin);
    }
}
