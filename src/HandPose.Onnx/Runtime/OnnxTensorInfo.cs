using HandPose.Onnx.Model;
using System.Globalization;

namespace HandPose.Onnx.Runtime;

/// <summary>What a model declares about one of its inputs or outputs.</summary>
public sealed class OnnxTensorInfo
{
    internal OnnxTensorInfo(string name, bool isTensor, OnnxElementType elementType, long[] dimensions, string?[] symbolicDimensions)
    {
        Name = name;
        IsTensor = isTensor;
        ElementType = elementType;
        Dimensions = dimensions;
        SymbolicDimensions = symbolicDimensions;
    }

    /// <summary>The input's or output's name.</summary>
    public string Name { get; }

    /// <summary>Whether the value is a tensor (sequences and maps are reported but cannot be run through this API).</summary>
    public bool IsTensor { get; }

    /// <summary>The element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The dimensions; <c>-1</c> where the model leaves a dimension free (see <see cref="SymbolicDimensions"/>).</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>The symbolic name of each dimension (e.g. <c>"batch"</c>), or <see langword="null"/> where it has none.</summary>
    public IReadOnlyList<string?> SymbolicDimensions { get; }

    /// <summary>Whether every dimension is a fixed number.</summary>
    public bool IsFixedShape => Dimensions.All(d => d >= 0);

    /// <summary>The element type and shape as text, e.g. <c>float32 [batch, 3, 224, 224]</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{ElementTypeName(ElementType)} [{string.Join(", ", Dimensions.Select((d, i) => DimensionText(d, SymbolicDimensions[i])))}]";

    internal static string ElementTypeName(OnnxElementType type) => type switch
    {
        OnnxElementType.Float => "float32",
        OnnxElementType.Double => "float64",
        OnnxElementType.Float16 => "float16",
        _ when Enum.IsDefined(type) => type.ToString().ToLowerInvariant(),
        _ => $"onnx-type-{(int)type}",
    };

    internal static string ShapeText(OnnxElementType type, IReadOnlyList<long> shape) =>
        $"{ElementTypeName(type)} [{string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";

    private static string DimensionText(long d, string? symbol) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture) : symbol ?? "?";
}
