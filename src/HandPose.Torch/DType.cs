namespace HandPose.Torch;

/// <summary>Element types of a <see cref="Tensor"/> (values match libtorch's <c>ScalarType</c>).</summary>
public enum DType
{
    /// <summary>8-bit unsigned integer.</summary>
    UInt8 = 0,

    /// <summary>8-bit signed integer.</summary>
    Int8 = 1,

    /// <summary>16-bit signed integer.</summary>
    Int16 = 2,

    /// <summary>32-bit signed integer.</summary>
    Int32 = 3,

    /// <summary>64-bit signed integer.</summary>
    Int64 = 4,

    /// <summary>IEEE half precision.</summary>
    Float16 = 5,

    /// <summary>IEEE single precision.</summary>
    Float32 = 6,

    /// <summary>IEEE double precision.</summary>
    Float64 = 7,

    /// <summary>Boolean (one byte per element).</summary>
    Bool = 11,

    /// <summary>bfloat16.</summary>
    BFloat16 = 15,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeInfo
{
    /// <summary>The size of one element in bytes.</summary>
    /// <param name="dtype">The element type.</param>
    /// <returns>1, 2, 4 or 8.</returns>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.UInt8 or DType.Int8 or DType.Bool => 1,
        DType.Int16 or DType.Float16 or DType.BFloat16 => 2,
        DType.Int32 or DType.Float32 => 4,
        DType.Int64 or DType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown element type."),
    };

    internal static DType Of<T>()
        where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(long)) return DType.Int64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        if (typeof(T) == typeof(short)) return DType.Int16;
        if (typeof(T) == typeof(byte)) return DType.UInt8;
        if (typeof(T) == typeof(sbyte)) return DType.Int8;
        if (typeof(T) == typeof(bool)) return DType.Bool;
        throw new NotSupportedException($"{typeof(T).Name} has no tensor element type; use float, double, long, int, short, byte, sbyte or bool.");
    }
}
