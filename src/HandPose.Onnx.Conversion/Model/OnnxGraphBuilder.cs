using Google.Protobuf;
using HandPose.Onnx.Conversion.Internal;
using HandPose.Onnx.Model.Proto;

namespace HandPose.Onnx.Model;

/// <summary>
/// Builds an ONNX model in memory: graph inputs and outputs, initializers (constant tensors), nodes with attributes,
/// opset imports and <c>metadata_props</c>; then <see cref="ToBytes"/> or <see cref="Save"/>.
/// </summary>
/// <remarks>
/// Every value name is checked as it is added: a node may only read graph inputs, initializers or outputs of earlier
/// nodes (so the node list is always in topological order), and no name is defined twice. Not thread-safe; one builder
/// per thread.
/// </remarks>
/// <example>
/// <code>
/// var b = new OnnxGraphBuilder();
/// b.AddInput("x", OnnxElementType.Float, 1, 4);
/// b.AddInitializer("w", [1f, 2f, 3f, 4f], [1, 4]);
/// b.AddNode("Mul", ["x", "w"], ["y"]);
/// b.AddOutput("y", OnnxElementType.Float, 1, 4);
/// b.SetMetadata("author", "me");
/// byte[] model = b.ToBytes();
/// </code>
/// </example>
public sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly List<OperatorSetIdProto> _opsets = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);

    /// <summary>Creates an empty graph that imports the default ONNX operator set at <paramref name="opsetVersion"/>.</summary>
    /// <param name="graphName">The graph's name.</param>
    /// <param name="opsetVersion">The version of the default (<c>ai.onnx</c>) operator set, 7 to 23.</param>
    /// <exception cref="ArgumentException"><paramref name="graphName"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opsetVersion"/> is outside 7..23.</exception>
    public OnnxGraphBuilder(string graphName = "main", int opsetVersion = 13)
    {
        ArgumentException.ThrowIfNullOrEmpty(graphName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 7);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(opsetVersion, 23);
        _graph = new GraphProto { Name = graphName };
        _opsets.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opsetVersion });
        OpsetVersion = opsetVersion;
        IrVersion = IrVersionFor(opsetVersion);
    }

    /// <summary>The version of the default operator set given to the constructor.</summary>
    public int OpsetVersion { get; }

    /// <summary>The ONNX IR version written to the file; defaults to the oldest one that supports <see cref="OpsetVersion"/>.</summary>
    public long IrVersion { get; set; }

    /// <summary>The producer's name written to the file.</summary>
    public string ProducerName { get; set; } = "HandPose";

    /// <summary>The producer's version written to the file.</summary>
    public string ProducerVersion { get; set; } =
        typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>An optional description of the model.</summary>
    public string? DocString { get; set; }

    /// <summary>The number of nodes added so far.</summary>
    public int NodeCount => _graph.Node.Count;

    /// <summary>Imports another operator set (for example <c>com.microsoft</c>), or changes the version of one already imported.</summary>
    /// <param name="domain">The operator set's domain; empty for the default set.</param>
    /// <param name="version">Its version, 1 or more.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domain"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is less than 1.</exception>
    public void AddOpsetImport(string domain, long version)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        _opsets.RemoveAll(o => o.Domain == domain);
        _opsets.Add(new OperatorSetIdProto { Domain = domain, Version = version });
    }

    /// <summary>Sets a <c>metadata_props</c> entry (replacing an entry with the same key; order of first insertion is kept).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void SetMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        int index = _metadata.FindIndex(p => p.Key == key);
        if (index >= 0)
        {
            _metadata[index] = new(key, value);
        }
        else
        {
            _metadata.Add(new(key, value));
        }
    }

    /// <summary>Declares a graph input.</summary>
    /// <param name="name">The input's name.</param>
    /// <param name="elementType">Its element type.</param>
    /// <param name="shape">Its dimensions (fixed sizes or symbolic names).</param>
    /// <exception cref="ArgumentException">The name is empty or already defined, or the element type is undefined.</exception>
    public void AddInput(string name, OnnxElementType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        Define(name);
        _graph.Input.Add(ValueInfo(name, elementType, shape));
    }

    /// <summary>Declares a graph output; a node must produce it before <see cref="ToBytes"/> is called.</summary>
    /// <param name="name">The output's name.</param>
    /// <param name="elementType">Its element type.</param>
    /// <param name="shape">Its dimensions (fixed sizes or symbolic names).</param>
    /// <exception cref="ArgumentException">The name is empty or already declared as an output, or the element type is undefined.</exception>
    public void AddOutput(string name, OnnxElementType elementType, params ReadOnlySpan<OnnxDimension> shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_graph.Output.Any(o => o.Name == name))
        {
            throw new ArgumentException($"Graph output '{name}' is already declared.", nameof(name));
        }

        _graph.Output.Add(ValueInfo(name, elementType, shape));
    }

    /// <summary>Adds a float32 constant tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values (empty for a scalar).</param>
    /// <exception cref="ArgumentException">The name is empty or already defined, or the shape does not match the values.</exception>
    public void AddInitializer(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> shape) =>
        AddRawInitializer(name, OnnxElementType.Float, RawBytes.AsBytes(values), values.Length, shape);

    /// <summary>Adds an int64 constant tensor (shapes, axes, pads for operators that take them as inputs).</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values (empty for a scalar).</param>
    /// <exception cref="ArgumentException">The name is empty or already defined, or the shape does not match the values.</exception>
    public void AddInitializer(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> shape) =>
        AddRawInitializer(name, OnnxElementType.Int64, RawBytes.AsBytes(values), values.Length, shape);

    /// <summary>Adds an int32 constant tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values (empty for a scalar).</param>
    /// <exception cref="ArgumentException">The name is empty or already defined, or the shape does not match the values.</exception>
    public void AddInitializer(string name, ReadOnlySpan<int> values, ReadOnlySpan<long> shape) =>
        AddRawInitializer(name, OnnxElementType.Int32, RawBytes.AsBytes(values), values.Length, shape);

    /// <summary>Adds a float16 constant tensor.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="values">The elements in row-major order.</param>
    /// <param name="shape">The dimensions; their product must equal the number of values (empty for a scalar).</param>
    /// <exception cref="ArgumentException">The name is empty or already defined, or the shape does not match the values.</exception>
    public void AddInitializer(string name, ReadOnlySpan<Half> values, ReadOnlySpan<long> shape) =>
        AddRawInitializer(name, OnnxElementType.Float16, RawBytes.AsBytes(values), values.Length, shape);

    /// <summary>Adds a node.</summary>
    /// <param name="opType">The operator, e.g. <c>"Conv"</c>.</param>
    /// <param name="inputs">The names of the values it reads, in the operator's order; an empty string skips an optional input.</param>
    /// <param name="outputs">The names of the values it produces (new names).</param>
    /// <param name="attributes">Its attributes, or <see langword="null"/> for none.</param>
    /// <param name="name">The node's name; by default <c>opType_index</c>.</param>
    /// <param name="domain">The operator's domain; empty for the default set.</param>
    /// <exception cref="ArgumentException">An input is not defined yet, an output is already defined, a name repeats, or an
    /// attribute name repeats.</exception>
    public void AddNode(
        string opType,
        IReadOnlyList<string> inputs,
        IReadOnlyList<string> outputs,
        IEnumerable<OnnxAttribute>? attributes = null,
        string? name = null,
        string domain = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(domain);
        if (outputs.Count == 0)
        {
            throw new ArgumentException($"{opType} node needs at least one output.", nameof(outputs));
        }

        foreach (string input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            if (input.Length > 0 && !_defined.Contains(input))
            {
                throw new ArgumentException(
                    $"{opType} node reads '{input}', which is not a graph input, an initializer or an output of an earlier node.",
                    nameof(inputs));
            }
        }

        name ??= $"{opType}_{_graph.Node.Count}";
        if (!_nodeNames.Add(name))
        {
            throw new ArgumentException($"A node named '{name}' already exists.", nameof(name));
        }

        var node = new NodeProto { OpType = opType, Name = name };
        if (domain.Length > 0)
        {
            node.Domain = domain;
        }

        node.Input.AddRange(inputs);
        foreach (OnnxAttribute attribute in attributes ?? [])
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            if (node.Attribute.Any(a => a.Name == attribute.Name))
            {
                throw new ArgumentException($"{opType} node '{name}' has attribute '{attribute.Name}' twice.", nameof(attributes));
            }

            node.Attribute.Add(attribute.ToProto());
        }

        foreach (string output in outputs)
        {
            Define(output);
        }

        node.Output.AddRange(outputs);
        _graph.Node.Add(node);
    }

    /// <summary>Whether a value name (graph input, initializer or node output) is already defined.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when defined.</returns>
    public bool IsDefined(string name) => _defined.Contains(name);

    /// <summary>Serialises the model to ONNX protobuf bytes.</summary>
    /// <returns>The model file's bytes.</returns>
    /// <exception cref="InvalidOperationException">The graph has no outputs, or an output is not produced by anything.</exception>
    public byte[] ToBytes() => BuildModel().ToByteArray();

    /// <summary>Writes the model to a file (replacing it).</summary>
    /// <param name="path">The file path, usually ending in <c>.onnx</c>.</param>
    /// <exception cref="InvalidOperationException">The graph has no outputs, or an output is not produced by anything.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes();
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllBytes(path, bytes);
    }

    private static long IrVersionFor(int opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        _ => 11,
    };

    private ModelProto BuildModel()
    {
        if (_graph.Output.Count == 0)
        {
            throw new InvalidOperationException("The graph has no outputs; call AddOutput.");
        }

        foreach (ValueInfoProto output in _graph.Output)
        {
            if (!_defined.Contains(output.Name))
            {
                throw new InvalidOperationException($"Graph output '{output.Name}' is not produced by any node, input or initializer.");
            }
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = ProducerVersion,
            Graph = _graph.Clone(),
        };
        if (DocString is not null)
        {
            model.DocString = DocString;
        }

        model.OpsetImport.AddRange(_opsets.Select(o => o.Clone()));
        model.MetadataProps.AddRange(_metadata.Select(p => new StringStringEntryProto { Key = p.Key, Value = p.Value }));
        return model;
    }

    private void AddRawInitializer(string name, OnnxElementType type, ReadOnlySpan<byte> bytes, int count, ReadOnlySpan<long> shape)
    {
        long product = 1;
        foreach (long d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Initializer '{name}' has a negative dimension in [{string.Join(", ", shape.ToArray())}].", nameof(shape));
            }

            product *= d;
        }

        if (product != count)
        {
            throw new ArgumentException(
                $"Initializer '{name}' has shape [{string.Join(", ", shape.ToArray())}] ({product} elements) but {count} values.", nameof(shape));
        }

        Define(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(shape.ToArray());
        _graph.Initializer.Add(tensor);
    }

    private void Define(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!_defined.Add(name))
        {
            throw new ArgumentException($"The value name '{name}' is already defined in this graph.", nameof(name));
        }
    }

    private static ValueInfoProto ValueInfo(string name, OnnxElementType elementType, ReadOnlySpan<OnnxDimension> shape)
    {
        if (elementType == OnnxElementType.Undefined || !Enum.IsDefined(elementType))
        {
            throw new ArgumentException($"'{name}' needs a defined element type, not {elementType}.", nameof(elementType));
        }

        var shapeProto = new TensorShapeProto();
        foreach (OnnxDimension d in shape)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (d.Value is long v)
            {
                dim.DimValue = v;
            }
            else if (d.Symbol is string s)
            {
                dim.DimParam = s;
            }

            shapeProto.Dim.Add(dim);
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = shapeProto } },
        };
    }
}
