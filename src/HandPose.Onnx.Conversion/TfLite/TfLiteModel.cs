namespace HandPose.Onnx.TfLite;

/// <summary>Element types of TFLite tensors (the schema's <c>TensorType</c> codes).</summary>
internal enum TfLiteTensorType : byte
{
    Float32 = 0,
    Float16 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float64 = 10,
}

/// <summary>Fused activation codes of TFLite operator options.</summary>
internal enum TfLiteActivation : byte
{
    None = 0,
    Relu = 1,
    ReluN1To1 = 2,
    Relu6 = 3,
    Tanh = 4,
    SignBit = 5,
}

/// <summary>One tensor of the main subgraph.</summary>
internal sealed record TfLiteTensor(int Index, string Name, int[] Shape, TfLiteTensorType Type, int Buffer, bool IsQuantized);

/// <summary>One operator of the main subgraph: builtin code (or custom name), tensor indices (-1 = optional input
/// left out) and the options table.</summary>
internal sealed record TfLiteOperator(int Index, int BuiltinCode, string? CustomCode, int[] Inputs, int[] Outputs, FlatBufferTable? Options)
{
    public string OpName => CustomCode is not null ? $"CUSTOM:{CustomCode}" : TfLiteModel.BuiltinName(BuiltinCode);
}

/// <summary>
/// A parsed <c>.tflite</c> model (FlatBuffers, file identifier <c>TFL3</c>): the main subgraph's tensors, operators,
/// inputs and outputs, and the constant buffers. Field ids follow the TFLite schema (Model: version 0, operator_codes 1,
/// subgraphs 2, description 3, buffers 4; SubGraph: tensors 0, inputs 1, outputs 2, operators 3, name 4; Tensor: shape 0,
/// type 1, buffer 2, name 3, quantization 4; Operator: opcode_index 0, inputs 1, outputs 2, builtin_options_type 3,
/// builtin_options 4; OperatorCode: deprecated_builtin_code 0, custom_code 1, version 2, builtin_code 3; Buffer: data 0).
/// </summary>
internal sealed class TfLiteModel
{
    public const int Conv2D = 3;
    public const int DepthwiseConv2D = 4;
    public const int Dequantize = 6;
    public const int FullyConnected = 9;
    public const int Logistic = 14;
    public const int MaxPool2D = 17;
    public const int Reshape = 22;
    public const int ResizeBilinear = 23;
    public const int Pad = 34;
    public const int Mean = 40;
    public const int Prelu = 54;
    public const int Add = 0;
    public const int Concatenation = 2;

    private static readonly string[] Names =
    [
        "ADD", "AVERAGE_POOL_2D", "CONCATENATION", "CONV_2D", "DEPTHWISE_CONV_2D", "DEPTH_TO_SPACE", "DEQUANTIZE",
        "EMBEDDING_LOOKUP", "FLOOR", "FULLY_CONNECTED", "HASHTABLE_LOOKUP", "L2_NORMALIZATION", "L2_POOL_2D",
        "LOCAL_RESPONSE_NORMALIZATION", "LOGISTIC", "LSH_PROJECTION", "LSTM", "MAX_POOL_2D", "MUL", "RELU",
        "RELU_N1_TO_1", "RELU6", "RESHAPE", "RESIZE_BILINEAR", "RNN", "SOFTMAX", "SPACE_TO_DEPTH", "SVDF", "TANH",
        "CONCAT_EMBEDDINGS", "SKIP_GRAM", "CALL", "CUSTOM", "EMBEDDING_LOOKUP_SPARSE", "PAD",
        "UNIDIRECTIONAL_SEQUENCE_RNN", "GATHER", "BATCH_TO_SPACE_ND", "SPACE_TO_BATCH_ND", "TRANSPOSE", "MEAN", "SUB",
        "DIV", "SQUEEZE", "UNIDIRECTIONAL_SEQUENCE_LSTM", "STRIDED_SLICE", "BIDIRECTIONAL_SEQUENCE_RNN", "EXP",
        "TOPK_V2", "SPLIT", "LOG_SOFTMAX", "DELEGATE", "BIDIRECTIONAL_SEQUENCE_LSTM", "CAST", "PRELU", "MAXIMUM",
        "ARG_MAX", "MINIMUM", "LESS", "NEG", "PADV2", "GREATER", "GREATER_EQUAL", "LESS_EQUAL", "SELECT", "SLICE",
        "SIN", "TRANSPOSE_CONV", "SPARSE_TO_DENSE", "TILE", "EXPAND_DIMS", "EQUAL", "NOT_EQUAL", "LOG", "SUM", "SQRT",
        "RSQRT", "SHAPE", "POW", "ARG_MIN", "FAKE_QUANT", "REDUCE_PROD", "REDUCE_MAX", "PACK", "LOGICAL_OR", "ONE_HOT",
        "LOGICAL_AND", "LOGICAL_NOT", "UNPACK", "REDUCE_MIN", "FLOOR_DIV", "REDUCE_ANY", "SQUARE", "ZEROS_LIKE", "FILL",
        "FLOOR_MOD", "RANGE", "RESIZE_NEAREST_NEIGHBOR", "LEAKY_RELU", "SQUARED_DIFFERENCE", "MIRROR_PAD", "ABS",
        "SPLIT_V", "UNIQUE", "CEIL", "REVERSE_V2", "ADD_N", "GATHER_ND", "COS", "WHERE", "RANK", "ELU",
        "REVERSE_SEQUENCE", "MATRIX_DIAG", "QUANTIZE", "MATRIX_SET_DIAG", "ROUND", "HARD_SWISH",
    ];

    private TfLiteModel(
        uint version,
        string? description,
        int subgraphCount,
        IReadOnlyList<TfLiteTensor> tensors,
        IReadOnlyList<TfLiteOperator> operators,
        int[] inputs,
        int[] outputs,
        IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        Version = version;
        Description = description;
        SubgraphCount = subgraphCount;
        Tensors = tensors;
        Operators = operators;
        Inputs = inputs;
        Outputs = outputs;
        Buffers = buffers;
    }

    public uint Version { get; }

    public string? Description { get; }

    public int SubgraphCount { get; }

    public IReadOnlyList<TfLiteTensor> Tensors { get; }

    public IReadOnlyList<TfLiteOperator> Operators { get; }

    public IReadOnlyList<int> Inputs { get; }

    public IReadOnlyList<int> Outputs { get; }

    public IReadOnlyList<ReadOnlyMemory<byte>> Buffers { get; }

    public static string BuiltinName(int code) =>
        code >= 0 && code < Names.Length ? Names[code] : $"BUILTIN_OPERATOR_{code}";

    /// <summary>The constant data of a tensor, or empty when it is computed at run time.</summary>
    public ReadOnlyMemory<byte> Data(TfLiteTensor tensor) =>
        tensor.Buffer > 0 && tensor.Buffer < Buffers.Count ? Buffers[tensor.Buffer] : ReadOnlyMemory<byte>.Empty;

    /// <summary>Parses a model file's bytes.</summary>
    /// <exception cref="ModelLoadException">Not a TFLite model, corrupt, or with offsets outside the file.</exception>
    public static TfLiteModel Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (FlatBufferTable.FileIdentifier(bytes) != "TFL3")
        {
            throw new ModelLoadException(source, "not a TFLite model (expected the FlatBuffers file identifier 'TFL3' at byte 4).");
        }

        try
        {
            return ParseTables(bytes, source);
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException)
        {
            throw new ModelLoadException(source, $"corrupt or truncated TFLite model: {e.Message}.", e);
        }
    }

    private static TfLiteModel ParseTables(byte[] bytes, string source)
    {
        FlatBufferTable model = FlatBufferTable.Root(bytes);
        uint version = model.UInt32(0);
        if (version != 3)
        {
            throw new ModelLoadException(source, $"TFLite schema version {version}; only version 3 is supported.");
        }

        FlatBufferTable[] codes = model.Tables(1);
        FlatBufferTable[] subgraphs = model.Tables(2);
        if (subgraphs.Length == 0)
        {
            throw new ModelLoadException(source, "the TFLite model has no subgraph.");
        }

        ReadOnlyMemory<byte>[] buffers = model.Tables(4).Select(b => b.Bytes(0)).ToArray();
        FlatBufferTable main = subgraphs[0];

        var tensors = new List<TfLiteTensor>();
        foreach (FlatBufferTable t in main.Tables(0))
        {
            FlatBufferTable? q = t.Table(4);
            bool quantized = q is { } qt && (qt.Float32s(2).Length > 0 || qt.Has(5));
            tensors.Add(new TfLiteTensor(tensors.Count, t.String(3) ?? $"tensor_{tensors.Count}", t.Int32s(0),
                (TfLiteTensorType)t.UInt8(1), (int)t.UInt32(2), quantized));
        }

        var operators = new List<TfLiteOperator>();
        foreach (FlatBufferTable op in main.Tables(3))
        {
            uint opcode = op.UInt32(0);
            if (opcode >= codes.Length)
            {
                throw new InvalidDataException($"operator {operators.Count} uses operator code {opcode} of {codes.Length}");
            }

            FlatBufferTable code = codes[opcode];
            // Newer files keep the code in field 3 (int32) and a clamped copy in field 0 (int8): take the larger.
            int builtin = Math.Max(code.UInt8(0), code.Int32(3));
            string? custom = builtin == 32 ? code.String(1) ?? "unnamed" : null;
            int[] inputs = op.Int32s(1);
            int[] outputs = op.Int32s(2);
            foreach (int index in inputs.Concat(outputs))
            {
                if (index < -1 || index >= tensors.Count)
                {
                    throw new InvalidDataException($"operator {operators.Count} refers to tensor {index} of {tensors.Count}");
                }
            }

            operators.Add(new TfLiteOperator(operators.Count, builtin, custom, inputs, outputs, op.Table(4)));
        }

        int[] graphInputs = main.Int32s(1);
        int[] graphOutputs = main.Int32s(2);
        if (graphInputs.Concat(graphOutputs).Any(i => i < 0 || i >= tensors.Count))
        {
            throw new InvalidDataException("a subgraph input or output refers to a tensor that does not exist");
        }

        foreach (TfLiteTensor t in tensors)
        {
            if (t.Buffer >= buffers.Length)
            {
                throw new InvalidDataException($"tensor '{t.Name}' refers to buffer {t.Buffer} of {buffers.Length}");
            }
        }

        return new TfLiteModel(version, model.String(3), subgraphs.Length, tensors, operators, graphInputs, graphOutputs, buffers);
    }
}
