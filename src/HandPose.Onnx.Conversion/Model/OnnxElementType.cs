namespace HandPose.Onnx.Model;

/// <summary>Element types of ONNX tensors, with the codes the ONNX file format uses.</summary>
public enum OnnxElementType
{
    /// <summary>Unknown or unset.</summary>
    Undefined = 0,

    /// <summary>32-bit IEEE float.</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (shapes, axes, indices).</summary>
    Int64 = 7,

    /// <summary>Boolean (one byte per element).</summary>
    Bool = 9,

    /// <summary>16-bit IEEE float.</summary>
    Float16 = 10,

    /// <summary>64-bit IEEE float.</summary>
    Double = 11,
}
