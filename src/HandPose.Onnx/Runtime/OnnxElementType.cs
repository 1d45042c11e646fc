namespace HandPose.Onnx.Runtime;

/// <summary>The element type of an ONNX tensor (values match ONNX's <c>TensorProto.DataType</c>).</summary>
public enum OnnxElementType
{
    /// <summary>Not a tensor, or the type is not known.</summary>
    Undefined = 0,

    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32 = 1,

    /// <summary>Unsigned byte (<see cref="byte"/>).</summary>
    UInt8 = 2,

    /// <summary>Signed byte (<see cref="sbyte"/>).</summary>
    Int8 = 3,

    /// <summary>Unsigned 16-bit integer (<see cref="ushort"/>).</summary>
    UInt16 = 4,

    /// <summary>Signed 16-bit integer (<see cref="short"/>).</summary>
    Int16 = 5,

    /// <summary>Signed 32-bit integer (<see cref="int"/>).</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (<see cref="long"/>).</summary>
    Int64 = 7,

    /// <summary>UTF-8 strings (not supported by <see cref="OnnxSession.Run(IReadOnlyList{OnnxTensor}, CancellationToken)"/>).</summary>
    String = 8,

    /// <summary>Boolean stored as one byte (<see cref="bool"/>).</summary>
    Bool = 9,

    /// <summary>16-bit IEEE float (<see cref="Half"/>).</summary>
    Float16 = 10,

    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64 = 11,

    /// <summary>Unsigned 32-bit integer (<see cref="uint"/>).</summary>
    UInt32 = 12,

    /// <summary>Unsigned 64-bit integer (<see cref="ulong"/>).</summary>
    UInt64 = 13,

    /// <summary>Complex number of two 32-bit floats.</summary>
    Complex64 = 14,

    /// <summary>Complex number of two 64-bit floats.</summary>
    Complex128 = 15,

    /// <summary>Brain float 16.</summary>
    BFloat16 = 16,
}
