using Google.Protobuf;
using HandPose.Onnx.Conversion.Internal;
using HandPose.Onnx.Model.Proto;

namespace HandPose.Onnx.Model;

/// <summary>
/// What an ONNX model file declares, read without running it: <c>metadata_props</c>, producer, opset imports, graph
/// inputs and outputs, and node and initializer counts.
/// </summary>
/// <remarks>Immutable and thread-safe once created.</remarks>
public sealed class OnnxModelInfo
{
    private OnnxModelInfo(ModelProto model)
    {
        IrVersion = model.IrVersion;
        ProducerName = model.ProducerName;
        ProducerVersion = model.ProducerVersion;
        GraphName = model.Graph?.Name ?? string.Empty;

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto entry in model.MetadataProps)
        {
            metadata[entry.Key] = entry.Value;
        }

        Metadata = metadata;
        OpsetImports = model.OpsetImport.GroupBy(o => o.Domain, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(o => o.Version), StringComparer.Ordinal);

        GraphProto graph = model.Graph ?? new GraphProto();
        var initializerNames = graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Inputs = graph.Input.Where(i => !initializerNames.Contains(i.Name)).Select(ToValueInfo).ToArray();
        Outputs = graph.Output.Select(ToValueInfo).ToArray();
        NodeCount = graph.Node.Count;
        InitializerCount = graph.Initializer.Count;
        OperatorCounts = graph.Node.GroupBy(n => n.OpType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    /// <summary>The ONNX IR version.</summary>
    public long IrVersion { get; }

    /// <summary>The producing tool's name (empty when not recorded).</summary>
    public string ProducerName { get; }

    /// <summary>The producing tool's version (empty when not recorded).</summary>
    public string ProducerVersion { get; }

    /// <summary>The main graph's name.</summary>
    public string GraphName { get; }

    /// <summary>The model's <c>metadata_props</c> (for a repeated key, the last value).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Operator set versions by domain (empty string = the default <c>ai.onnx</c> set).</summary>
    public IReadOnlyDictionary<string, long> OpsetImports { get; }

    /// <summary>The graph inputs a caller feeds (inputs that are also initializers are left out).</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The number of nodes in the main graph.</summary>
    public int NodeCount { get; }

    /// <summary>The number of initializers (constant tensors) in the main graph.</summary>
    public int InitializerCount { get; }

    /// <summary>How many nodes of each operator type the main graph has.</summary>
    public IReadOnlyDictionary<string, int> OperatorCounts { get; }

    /// <summary>Reads a model file.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <returns>The model's declarations.</returns>
    /// <exception cref="ModelLoadException">The file is missing, unreadable, or not an ONNX model.</exception>
    public static OnnxModelInfo Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ModelFile.ReadAllBytes(path);

        return Parse(bytes, path);
    }

    /// <summary>Reads a model from its bytes.</summary>
    /// <param name="model">The model file's bytes.</param>
    /// <returns>The model's declarations.</returns>
    /// <exception cref="ModelLoadException">The bytes are not an ONNX model.</exception>
    public static OnnxModelInfo FromBytes(ReadOnlySpan<byte> model) => Parse(model, "in-memory model");

    private static OnnxModelInfo Parse(ReadOnlySpan<byte> bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new ModelLoadException(source, $"not a valid ONNX protobuf ({e.Message}); the file may be truncated or not an ONNX model.", e);
        }

        if (!model.HasIrVersion || model.IrVersion <= 0 || model.Graph is null)
        {
            throw new ModelLoadException(source, "not an ONNX model: it has no IR version or no graph.");
        }

        return new OnnxModelInfo(model);
    }

    private static OnnxValueInfo ToValueInfo(ValueInfoProto value)
    {
        TypeProto.Types.Tensor? tensor = value.Type?.TensorType;
        OnnxElementType type = tensor is null ? OnnxElementType.Undefined : (OnnxElementType)tensor.ElemType;
        OnnxDimension[]? shape = tensor?.Shape?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => OnnxDimension.Fixed(d.DimValue),
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => OnnxDimension.Symbolic(d.DimParam),
            _ => OnnxDimension.Unknown,
        }).ToArray();
        return new OnnxValueInfo(value.Name, type, shape);
    }
}
