
namespace HandPose.Onnx.Model;

/// <summary>A graph input or output as declared in an ONNX model: name, element type and shape.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">The tensor element type.</param>
/// <param name="Shape">The dimensions, or <see langword="null"/> when the model declares no shape (unknown rank).</param>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDimension>? Shape)
{
    /// <summary>For example <c>input: Float [1, 3, 224, 224]</c>.</summary>
    /// <returns>Text for messages.</returns>
    public override string ToString() =>
        $"{Name}: {ElementType} {(Shape is null ? "[unknown rank]" : "[" + string.Join(", ", Shape) + "]")}";
}
