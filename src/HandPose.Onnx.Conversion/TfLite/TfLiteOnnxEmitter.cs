using System.Buffers.Binary;
using HandPose.Onnx.Model;

namespace HandPose.Onnx.TfLite;

/// <summary>
/// Emits the ONNX graph for one parsed TFLite model. Every TFLite tensor may exist in ONNX in two layouts: "plain"
/// (TFLite's own, NHWC for 4-D; value named like the tensor) and NCHW (value named <c>tensor__nchw</c>). Convolution-like
/// operators produce NCHW; a Transpose converts on demand when a consumer needs the other layout (graph input, the
/// RESHAPEs before the palm heads, graph outputs), so a straight chain of conv layers needs none.
/// </summary>
internal sealed class TfLiteOnnxEmitter
{
    public static readonly int[] SupportedCodes =
    [
        TfLiteModel.Add, TfLiteModel.Concatenation, TfLiteModel.Conv2D, TfLiteModel.DepthwiseConv2D, TfLiteModel.Dequantize,
        TfLiteModel.FullyConnected, TfLiteModel.Logistic, TfLiteModel.MaxPool2D, TfLiteModel.Mean, TfLiteModel.Pad,
        TfLiteModel.Prelu, TfLiteModel.Reshape, TfLiteModel.ResizeBilinear,
    ];

    private static readonly long[] ToNchw = [0, 3, 1, 2];
    private static readonly long[] ToNhwc = [0, 2, 3, 1];

    private readonly TfLiteModel _model;
    private readonly string _source;
    private readonly OnnxGraphBuilder _b = new("tflite", 13);
    private readonly string[] _names;
    private readonly string?[] _plain;
    private readonly string?[] _nchw;
    private readonly float[]?[] _folded;
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);

    public TfLiteOnnxEmitter(TfLiteModel model, string source)
    {
        _model = model;
        _source = source;
        int n = model.Tensors.Count;
        _names = new string[n];
        _plain = new string?[n];
        _nchw = new string?[n];
        _folded = new float[]?[n];

        // Graph inputs and outputs keep their TFLite names exactly; other names are made unique.
        foreach (int t in model.Inputs.Concat(model.Outputs))
        {
            _names[t] = Reserve(model.Tensors[t].Name);
        }

        for (int t = 0; t < n; t++)
        {
            _names[t] ??= Reserve(model.Tensors[t].Name);
        }
    }

    public OnnxGraphBuilder Emit()
    {
        CheckSupported();
        foreach (int t in _model.Inputs)
        {
            TfLiteTensor tensor = _model.Tensors[t];
            _b.AddInput(_names[t], OnnxElementType.Float, Dims(tensor.Shape));
            _plain[t] = _names[t];
        }

        foreach (TfLiteOperator op in _model.Operators)
        {
            EmitOperator(op);
        }

        foreach (int t in _model.Outputs)
        {
            string value = Plain(t);
            if (value != _names[t])
            {
                _b.AddNode("Identity", [value], [_names[t]]);
            }

            _b.AddOutput(_names[t], OnnxElementType.Float, Dims(_model.Tensors[t].Shape));
        }

        return _b;
    }

    private static OnnxDimension[] Dims(int[] shape) => shape.Select(d => (OnnxDimension)(long)d).ToArray();

    private string Reserve(string name)
    {
        string candidate = name.Length == 0 ? "tensor" : name;
        for (int i = 1; !_usedNames.Add(candidate); i++)
        {
            candidate = $"{name}__{i}";
        }

        return candidate;
    }

    /// <summary>Lists every operator, tensor type and subgraph feature the converter cannot handle, in one exception.</summary>
    private void CheckSupported()
    {
        var problems = new List<string>();
        if (_model.Inputs.Count == 0 || _model.Outputs.Count == 0)
        {
            problems.Add("a main subgraph without inputs or outputs");
        }

        if (_model.SubgraphCount != 1)
        {
            problems.Add($"{_model.SubgraphCount} subgraphs (only single-subgraph models are supported)");
        }

        var unsupported = _model.Operators.Where(o => o.CustomCode is not null || !SupportedCodes.Contains(o.BuiltinCode))
            .GroupBy(o => o.OpName, StringComparer.Ordinal)
            .Select(g => $"{g.Key} (x{g.Count()})")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unsupported.Count > 0)
        {
            problems.Add("unsupported operators " + string.Join(", ", unsupported));
        }

        var quantized = _model.Tensors.Where(t => t.IsQuantized || t.Type is TfLiteTensorType.Int8 or TfLiteTensorType.UInt8 or TfLiteTensorType.Int16)
            .Select(t => t.Name).ToList();
        if (quantized.Count > 0)
        {
            problems.Add($"{quantized.Count} quantized tensors (e.g. '{quantized[0]}'; only float32/float16 models are supported)");
        }

        var activationTypes = _model.Operators.SelectMany(o => o.Outputs)
            .Select(t => _model.Tensors[t])
            .Where(t => t.Type != TfLiteTensorType.Float32)
            .Select(t => $"'{t.Name}' is {t.Type}")
            .Distinct()
            .ToList();
        if (activationTypes.Count > 0 && unsupported.Count == 0)
        {
            problems.Add("non-float32 activations (" + string.Join(", ", activationTypes.Take(3)) + ")");
        }

        var dynamic = _model.Tensors.Where(t => t.Shape.Any(d => d < 1)).Select(t => t.Name).ToList();
        if (dynamic.Count > 0)
        {
            problems.Add($"dynamic or empty shapes (e.g. '{dynamic[0]}')");
        }

        if (problems.Count > 0)
        {
            throw new ModelLoadException(_source,
                string.Join("; ", problems) + ". Supported operators: " + string.Join(", ", TfLiteConverter.SupportedOperators) + ".");
        }
    }

    private ModelLoadException Unsupported(TfLiteOperator op, string what) =>
        new(_source, $"operator {op.Index} ({op.OpName}): {what} is not supported by the TFLite import.");

    private void EmitOperator(TfLiteOperator op)
    {
        switch (op.BuiltinCode)
        {
            case TfLiteModel.Dequantize:
                _folded[op.Outputs[0]] = ConstFloats(op.Inputs[0]) ?? throw Unsupported(op, "DEQUANTIZE of a computed tensor");
                break;
            case TfLiteModel.Conv2D:
                EmitConv(op, depthwise: false);
                break;
            case TfLiteModel.DepthwiseConv2D:
                EmitConv(op, depthwise: true);
                break;
            case TfLiteModel.MaxPool2D:
                EmitMaxPool(op);
                break;
            case TfLiteModel.Add:
                EmitAdd(op);
                break;
            case TfLiteModel.Prelu:
                EmitPrelu(op);
                break;
            case TfLiteModel.Logistic:
                EmitSigmoid(op);
                break;
            case TfLiteModel.Pad:
                EmitPad(op);
                break;
            case TfLiteModel.ResizeBilinear:
                EmitResize(op);
                break;
            case TfLiteModel.Reshape:
                EmitReshape(op);
                break;
            case TfLiteModel.Concatenation:
                EmitConcat(op);
                break;
            case TfLiteModel.Mean:
                EmitMean(op);
                break;
            case TfLiteModel.FullyConnected:
                EmitFullyConnected(op);
                break;
            default:
                throw Unsupported(op, "this operator");
        }
    }

    // ---- constants ----------------------------------------------------------------------------------------------

    private bool IsConstant(int t) => _folded[t] is not null || !_model.Data(_model.Tensors[t]).IsEmpty;

    private float[]? ConstFloats(int t)
    {
        if (_folded[t] is { } folded)
        {
            return folded;
        }

        TfLiteTensor tensor = _model.Tensors[t];
        ReadOnlySpan<byte> data = _model.Data(tensor).Span;
        if (data.IsEmpty)
        {
            return null;
        }

        int count = Count(tensor.Shape);
        switch (tensor.Type)
        {
            case TfLiteTensorType.Float32 when data.Length == 4 * count:
                var f = new float[count];
                for (int i = 0; i < count; i++)
                {
                    f[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
                }

                return f;
            case TfLiteTensorType.Float16 when data.Length == 2 * count:
                var h = new float[count];
                for (int i = 0; i < count; i++)
                {
                    h[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]);
                }

                return h;
            default:
                throw new ModelLoadException(_source, $"constant tensor '{tensor.Name}' ({tensor.Type}, {data.Length} bytes for shape [{string.Join(", ", tensor.Shape)}]) cannot be read as float.");
        }
    }

    private int[] ConstInts(TfLiteOperator op, int t)
    {
        TfLiteTensor tensor = _model.Tensors[t];
        ReadOnlySpan<byte> data = _model.Data(tensor).Span;
        int count = Count(tensor.Shape);
        if (data.IsEmpty)
        {
            throw Unsupported(op, $"a computed (non-constant) '{tensor.Name}'");
        }

        if (tensor.Type == TfLiteTensorType.Int32 && data.Length == 4 * count)
        {
            var r = new int[count];
            for (int i = 0; i < count; i++)
            {
                r[i] = BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]);
            }

            return r;
        }

        if (tensor.Type == TfLiteTensorType.Int64 && data.Length == 8 * count)
        {
            var r = new int[count];
            for (int i = 0; i < count; i++)
            {
                r[i] = checked((int)BinaryPrimitives.ReadInt64LittleEndian(data[(8 * i)..]));
            }

            return r;
        }

        throw Unsupported(op, $"constant '{tensor.Name}' of type {tensor.Type}");
    }

    private float[] RequireFloats(TfLiteOperator op, int t, string role) =>
        ConstFloats(t) ?? throw Unsupported(op, $"a computed (non-constant) {role}");

    private static int Count(int[] shape)
    {
        int c = 1;
        foreach (int d in shape)
        {
            c = checked(c * d);
        }

        return c;
    }

    /// <summary>Reorders a row-major 4-D array: result dimension i is source dimension perm[i].</summary>
    private static float[] Permute4(float[] src, int[] shape, ReadOnlySpan<int> perm)
    {
        int[] strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
        int[] d = [shape[perm[0]], shape[perm[1]], shape[perm[2]], shape[perm[3]]];
        int[] s = [strides[perm[0]], strides[perm[1]], strides[perm[2]], strides[perm[3]]];
        var dst = new float[src.Length];
        int k = 0;
        for (int a = 0; a < d[0]; a++)
        {
            for (int b = 0; b < d[1]; b++)
            {
                for (int c = 0; c < d[2]; c++)
                {
                    int baseIndex = a * s[0] + b * s[1] + c * s[2];
                    for (int e = 0; e < d[3]; e++)
                    {
                        dst[k++] = src[baseIndex + e * s[3]];
                    }
                }
            }
        }

        return dst;
    }

    private string Initializer(string name, float[] data, params long[] shape)
    {
        string unique = Reserve(name);
        _b.AddInitializer(unique, data, shape);
        return unique;
    }

    private string Initializer(string name, long[] data, params long[] shape)
    {
        string unique = Reserve(name);
        _b.AddInitializer(unique, data, shape);
        return unique;
    }

    // ---- layouts ------------------------------------------------------------------------------------------------

    private int[] Shape(int t) => _model.Tensors[t].Shape;

    private bool IsNchwOnly(int t) => _nchw[t] is not null && _plain[t] is null;

    /// <summary>The tensor in TFLite's own layout, transposing from NCHW or materialising a constant when needed.</summary>
    private string Plain(int t)
    {
        if (_plain[t] is { } p)
        {
            return p;
        }

        if (_nchw[t] is { } n)
        {
            _b.AddNode("Transpose", [n], [_names[t]], [OnnxAttribute.Ints("perm", ToNhwc)]);
        }
        else
        {
            float[] data = ConstFloats(t) ?? throw new ModelLoadException(_source, $"tensor '{_names[t]}' is read before any operator writes it.");
            _b.AddInitializer(_names[t], data, Shape(t).Select(d => (long)d).ToArray());
        }

        return _plain[t] = _names[t];
    }

    /// <summary>A 4-D tensor in NCHW layout.</summary>
    private string Nchw(int t)
    {
        if (_nchw[t] is { } n)
        {
            return n;
        }

        int[] s = Shape(t);
        if (s.Length != 4)
        {
            throw new ModelLoadException(_source, $"tensor '{_names[t]}' has rank {s.Length} where a 4-D NHWC tensor is expected.");
        }

        string name = Reserve(_names[t] + "__nchw");
        if (_plain[t] is null && ConstFloats(t) is { } data)
        {
            _b.AddInitializer(name, Permute4(data, s, [0, 3, 1, 2]), [s[0], s[3], s[1], s[2]]);
        }
        else
        {
            _b.AddNode("Transpose", [Plain(t)], [name], [OnnxAttribute.Ints("perm", ToNchw)]);
        }

        return _nchw[t] = name;
    }

    /// <summary>Adds <paramref name="opType"/> writing tensor <paramref name="output"/> (in NCHW or plain layout),
    /// followed by the fused activation if any.</summary>
    private void EmitNode(TfLiteOperator op, string opType, IReadOnlyList<string> inputs, int output, bool nchw,
        TfLiteActivation activation = TfLiteActivation.None, IEnumerable<OnnxAttribute>? attributes = null)
    {
        string final = nchw ? Reserve(_names[output] + "__nchw") : _names[output];
        string raw = activation == TfLiteActivation.None ? final : Reserve(_names[output] + "__linear");
        _b.AddNode(opType, inputs, [raw], attributes);
        switch (activation)
        {
            case TfLiteActivation.None:
                break;
            case TfLiteActivation.Relu:
                _b.AddNode("Relu", [raw], [final]);
                break;
            case TfLiteActivation.Relu6:
                _b.AddNode("Clip", [raw, Scalar(0f), Scalar(6f)], [final]);
                break;
            case TfLiteActivation.ReluN1To1:
                _b.AddNode("Clip", [raw, Scalar(-1f), Scalar(1f)], [final]);
                break;
            case TfLiteActivation.Tanh:
                _b.AddNode("Tanh", [raw], [final]);
                break;
            default:
                throw Unsupported(op, $"fused activation {activation}");
        }

        if (nchw)
        {
            _nchw[output] = final;
        }
        else
        {
            _plain[output] = final;
        }
    }

    private string Scalar(float value)
    {
        string name = FormattableString.Invariant($"__const_{value}");
        if (!_b.IsDefined(name))
        {
            _usedNames.Add(name);
            _b.AddInitializer(name, [value], []);
        }

        return name;
    }

    private static TfLiteActivation Activation(TfLiteOperator op, int field) =>
        (TfLiteActivation)(op.Options?.UInt8(field) ?? 0);

    // ---- operators ----------------------------------------------------------------------------------------------

    /// <summary>TensorFlow's SAME rule: output = ceil(in / stride); the padding total is split with the smaller half
    /// before, so stride-2 layers on even sizes pad only after.</summary>
    internal static (long Before, long After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        int effective = (kernel - 1) * dilation + 1;
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + effective - input, 0);
        return (total / 2, total - total / 2);
    }

    private static long[] Pads(bool same, int[] nhwcInput, int kh, int kw, int sh, int sw, int dh, int dw)
    {
        if (!same)
        {
            return [0, 0, 0, 0];
        }

        (long top, long bottom) = SamePadding(nhwcInput[1], kh, sh, dh);
        (long left, long right) = SamePadding(nhwcInput[2], kw, sw, dw);
        return [top, left, bottom, right];
    }

    private void EmitConv(TfLiteOperator op, bool depthwise)
    {
        int x = op.Inputs[0];
        int[] inShape = Shape(x);
        int[] wShape = Shape(op.Inputs[1]);
        if (inShape.Length != 4 || wShape.Length != 4)
        {
            throw Unsupported(op, "a non-4-D input or filter");
        }

        float[] w = RequireFloats(op, op.Inputs[1], "filter");
        FlatBufferTable? o = op.Options;
        bool same = (o?.UInt8(0) ?? 0) == 0;
        int sw = o?.Int32(1) ?? 1, sh = o?.Int32(2) ?? 1;
        TfLiteActivation act;
        int dw, dh;
        long group;
        float[] onnxW;
        long[] onnxWShape;
        if (depthwise)
        {
            act = Activation(op, 4);
            dw = o?.Int32(5, 1) ?? 1;
            dh = o?.Int32(6, 1) ?? 1;
            // [1, kh, kw, C·m] -> [C·m, 1, kh, kw]; output channel c·m + j reads input channel c, as ONNX groups do.
            onnxW = Permute4(w, wShape, [3, 0, 1, 2]);
            onnxWShape = [wShape[3], 1, wShape[1], wShape[2]];
            group = inShape[3];
            if (wShape[0] != 1 || wShape[3] % inShape[3] != 0)
            {
                throw Unsupported(op, $"depthwise filter [{string.Join(", ", wShape)}] for {inShape[3]} channels");
            }
        }
        else
        {
            act = Activation(op, 3);
            dw = o?.Int32(4, 1) ?? 1;
            dh = o?.Int32(5, 1) ?? 1;
            // OHWI -> OIHW.
            onnxW = Permute4(w, wShape, [0, 3, 1, 2]);
            onnxWShape = [wShape[0], wShape[3], wShape[1], wShape[2]];
            if (inShape[3] % wShape[3] != 0)
            {
                throw Unsupported(op, $"filter [{string.Join(", ", wShape)}] for {inShape[3]} input channels");
            }

            group = inShape[3] / wShape[3];
        }

        int kh = wShape[1], kw = wShape[2];
        CheckWindow(op, sh, sw, dh, dw);
        var inputs = new List<string> { Nchw(x), Initializer(_names[op.Inputs[1]] + "__oihw", onnxW, onnxWShape) };
        if (op.Inputs.Length > 2 && op.Inputs[2] >= 0)
        {
            float[] bias = RequireFloats(op, op.Inputs[2], "bias");
            inputs.Add(Initializer(_names[op.Inputs[2]], bias, bias.Length));
        }

        OnnxAttribute[] attributes =
        [
            OnnxAttribute.Ints("kernel_shape", kh, kw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("dilations", dh, dw),
            OnnxAttribute.Ints("pads", Pads(same, inShape, kh, kw, sh, sw, dh, dw)),
            OnnxAttribute.Int("group", group),
        ];
        EmitNode(op, "Conv", inputs, op.Outputs[0], nchw: true, act, attributes);
    }

    private void CheckWindow(TfLiteOperator op, params ReadOnlySpan<int> stridesAndSizes)
    {
        foreach (int v in stridesAndSizes)
        {
            if (v < 1)
            {
                throw Unsupported(op, $"a stride, dilation or window size of {v}");
            }
        }
    }

    private void EmitMaxPool(TfLiteOperator op)
    {
        int x = op.Inputs[0];
        FlatBufferTable? o = op.Options;
        bool same = (o?.UInt8(0) ?? 0) == 0;
        int sw = o?.Int32(1) ?? 1, sh = o?.Int32(2) ?? 1, fw = o?.Int32(3) ?? 1, fh = o?.Int32(4) ?? 1;
        CheckWindow(op, sh, sw, fh, fw);
        OnnxAttribute[] attributes =
        [
            OnnxAttribute.Ints("kernel_shape", fh, fw),
            OnnxAttribute.Ints("strides", sh, sw),
            OnnxAttribute.Ints("pads", Pads(same, Shape(x), fh, fw, sh, sw, 1, 1)),
        ];
        EmitNode(op, "MaxPool", [Nchw(x)], op.Outputs[0], nchw: true, Activation(op, 5), attributes);
    }

    /// <summary>A constant operand of an elementwise operator in NCHW, broadcasting like its NHWC original.</summary>
    private string? ConstantForNchw(int t, int channels)
    {
        float[]? data = ConstFloats(t);
        if (data is null)
        {
            return null;
        }

        int[] s = Shape(t);
        if (data.Length == 1)
        {
            return Initializer(_names[t] + "__scalar", data, 1);
        }

        if (data.Length == channels && s.Length > 0 && s[^1] == channels)
        {
            return Initializer(_names[t] + "__c11", data, channels, 1, 1);
        }

        if (s.Length == 4)
        {
            return Nchw(t);
        }

        if (s.Length == 3)
        {
            // [H, W, C] broadcasts over N as [1, H, W, C].
            return Initializer(_names[t] + "__chw", Permute4(data, [1, s[0], s[1], s[2]], [0, 3, 1, 2]), s[2], s[0], s[1]);
        }

        return null;
    }

    /// <summary>Elementwise binary operators: NCHW when an operand is already NCHW and the other can follow.</summary>
    private void EmitElementwise(TfLiteOperator op, string opType, TfLiteActivation act)
    {
        int a = op.Inputs[0], c = op.Inputs[1], y = op.Outputs[0];
        if (Shape(y).Length == 4 && (IsNchwOnly(a) || IsNchwOnly(c)))
        {
            int channels = Shape(y)[3];
            string? left = IsConstant(a) ? ConstantForNchw(a, channels) : Shape(a).Length == 4 ? Nchw(a) : null;
            string? right = IsConstant(c) ? ConstantForNchw(c, channels) : Shape(c).Length == 4 ? Nchw(c) : null;
            if (left is not null && right is not null)
            {
                EmitNode(op, opType, [left, right], y, nchw: true, act);
                return;
            }
        }

        EmitNode(op, opType, [Plain(a), Plain(c)], y, nchw: false, act);
    }

    private void EmitAdd(TfLiteOperator op) => EmitElementwise(op, "Add", Activation(op, 0));

    private void EmitPrelu(TfLiteOperator op)
    {
        int x = op.Inputs[0], y = op.Outputs[0];
        if (Shape(x).Length == 4 && !IsConstant(x))
        {
            int channels = Shape(x)[3];
            if (PerChannel(op.Inputs[1], channels) is { } alpha)
            {
                EmitPreluAsDepthwise(op, alpha);
                return;
            }

            string? slope = ConstantForNchw(op.Inputs[1], channels);
            if (slope is not null)
            {
                EmitNode(op, "PRelu", [Nchw(x), slope], y, nchw: true);
                return;
            }
        }

        EmitNode(op, "PRelu", [Plain(x), Plain(op.Inputs[1])], y, nchw: false);
    }

    /// <summary>A constant that holds one value per channel (or one for all), expanded to <paramref name="channels"/> values.</summary>
    private float[]? PerChannel(int t, int channels)
    {
        float[]? data = ConstFloats(t);
        int[] s = Shape(t);
        if (data is null || !(data.Length == 1 || (data.Length == channels && s.Length > 0 && s[^1] == channels)))
        {
            return null;
        }

        return data.Length == channels ? data : Enumerable.Repeat(data[0], channels).ToArray();
    }

    /// <summary>
    /// PRELU with per-channel slopes α as <c>y = x + (1 − α)·relu(−x)</c>: two 1×1 depthwise convolutions, a Relu and an
    /// Add. ONNX Runtime keeps these in its blocked NCHWc layout (the Relu fuses into the first convolution, the Add into
    /// the second), whereas a PRelu node leaves it, costing a reorder on each side and a slow broadcast kernel; on the
    /// palm detector this form is 2 ms faster. For finite x it equals the PReLU up to float rounding.
    /// </summary>
    private void EmitPreluAsDepthwise(TfLiteOperator op, float[] alpha)
    {
        int x = op.Inputs[0], c = alpha.Length;
        string name = _names[op.Outputs[0]];
        string input = Nchw(x);
        string negated = DepthwiseScale(input, name + "__neg", Enumerable.Repeat(-1f, c).ToArray());
        string negativePart = Reserve(name + "__neg_relu");
        _b.AddNode("Relu", [negated], [negativePart]);
        string correction = DepthwiseScale(negativePart, name + "__one_minus_alpha", alpha.Select(a => 1f - a).ToArray());
        EmitNode(op, "Add", [correction, input], op.Outputs[0], nchw: true);
    }

    /// <summary>A 1×1 depthwise convolution without bias: channel k of the NCHW input times <paramref name="scale"/>[k].</summary>
    private string DepthwiseScale(string input, string name, float[] scale)
    {
        int c = scale.Length;
        string weights = Initializer(name + "__w", scale, c, 1, 1, 1);
        string output = Reserve(name);
        _b.AddNode("Conv", [input, weights], [output],
            [OnnxAttribute.Ints("kernel_shape", 1, 1), OnnxAttribute.Int("group", c)]);
        return output;
    }

    private void EmitSigmoid(TfLiteOperator op)
    {
        int x = op.Inputs[0];
        bool nchw = IsNchwOnly(x);
        EmitNode(op, "Sigmoid", [nchw ? Nchw(x) : Plain(x)], op.Outputs[0], nchw);
    }

    private void EmitPad(TfLiteOperator op)
    {
        int x = op.Inputs[0];
        int[] p = ConstInts(op, op.Inputs[1]);
        int rank = Shape(x).Length;
        if (p.Length != 2 * rank)
        {
            throw Unsupported(op, $"paddings of {p.Length} values for rank {rank}");
        }

        bool nchw = rank == 4 && IsNchwOnly(x);
        if (nchw && p[7] == Shape(x)[3] && p.Count(v => v != 0) == 1)
        {
            int channels = Shape(x)[3];
            // Zero channels appended to double them (the palm models' skip connections): Concat with the zeros of a
            // 1×1 depthwise convolution of weight 0 stays in ONNX Runtime's NCHWc layout; a Pad node would leave it and
            // take every later layer with it. (For finite x, as 0·x = 0.)
            string input = Nchw(x);
            string zeros = DepthwiseScale(input, _names[op.Outputs[0]] + "__zeros", new float[channels]);
            EmitNode(op, "Concat", [input, zeros], op.Outputs[0], nchw: true, attributes: [OnnxAttribute.Int("axis", 1)]);
            return;
        }

        int[] axes = nchw ? [0, 3, 1, 2] : Enumerable.Range(0, rank).ToArray();
        long[] pads = new long[2 * rank];
        for (int i = 0; i < rank; i++)
        {
            pads[i] = p[2 * axes[i]];
            pads[rank + i] = p[2 * axes[i] + 1];
        }

        string padsName = Initializer(_names[op.Inputs[1]] + "__onnx", pads, pads.Length);
        EmitNode(op, "Pad", [nchw ? Nchw(x) : Plain(x), padsName], op.Outputs[0], nchw,
            attributes: [OnnxAttribute.String("mode", "constant")]);
    }

    private void EmitResize(TfLiteOperator op)
    {
        int x = op.Inputs[0];
        int[] s = Shape(x);
        int[] size = ConstInts(op, op.Inputs[1]);
        if (s.Length != 4 || size.Length != 2)
        {
            throw Unsupported(op, "a non-4-D input");
        }

        bool alignCorners = op.Options?.Bool(2) ?? false;
        bool halfPixel = op.Options?.Bool(3) ?? false;
        string mode = alignCorners ? "align_corners" : halfPixel ? "half_pixel" : "asymmetric";
        string sizes = Initializer(_names[op.Outputs[0]] + "__sizes", new long[] { s[0], s[3], size[0], size[1] }, 4);
        EmitNode(op, "Resize", [Nchw(x), string.Empty, string.Empty, sizes], op.Outputs[0], nchw: true, attributes:
        [
            OnnxAttribute.String("mode", "linear"),
            OnnxAttribute.String("coordinate_transformation_mode", mode),
        ]);
    }

    private void EmitReshape(TfLiteOperator op)
    {
        // The output tensor's static shape is authoritative (the shape operand may hold -1).
        int y = op.Outputs[0];
        long[] shape = Shape(y).Select(d => (long)d).ToArray();
        string shapeName = Initializer(_names[y] + "__shape", shape, shape.Length);
        EmitNode(op, "Reshape", [Plain(op.Inputs[0]), shapeName], y, nchw: false);
    }

    private void EmitConcat(TfLiteOperator op)
    {
        int rank = Shape(op.Outputs[0]).Length;
        int axis = op.Options?.Int32(0) ?? 0;
        if (axis < 0)
        {
            axis += rank;
        }

        bool nchw = rank == 4 && op.Inputs.All(i => IsNchwOnly(i) || (!IsConstant(i) && _nchw[i] is not null));
        long onnxAxis = nchw ? Array.IndexOf(ToNchw, (long)axis) : axis;
        var inputs = op.Inputs.Select(i => nchw ? Nchw(i) : Plain(i)).ToArray();
        EmitNode(op, "Concat", inputs, op.Outputs[0], nchw, Activation(op, 1), [OnnxAttribute.Int("axis", onnxAxis)]);
    }

    private void EmitMean(TfLiteOperator op)
    {
        int x = op.Inputs[0];
        int rank = Shape(x).Length;
        int[] axes = ConstInts(op, op.Inputs[1]).Select(a => a < 0 ? a + rank : a).Distinct().Order().ToArray();
        bool keepDims = op.Options?.Bool(0) ?? false;
        // NCHW input works when the result's dimension order is the same in both layouts: kept dims stay NCHW;
        // dropped dims give plain order when the channel axis is dropped or both spatial axes are.
        bool nchw = rank == 4 && IsNchwOnly(x) && (keepDims || axes.Contains(3) || (axes.Contains(1) && axes.Contains(2)));
        long[] onnxAxes = nchw ? axes.Select(a => (long)Array.IndexOf(ToNchw, (long)a)).Order().ToArray() : axes.Select(a => (long)a).ToArray();
        EmitNode(op, "ReduceMean", [nchw ? Nchw(x) : Plain(x)], op.Outputs[0], nchw && keepDims, attributes:
        [
            OnnxAttribute.Ints("axes", onnxAxes),
            OnnxAttribute.Int("keepdims", keepDims ? 1 : 0),
        ]);
    }

    private void EmitFullyConnected(TfLiteOperator op)
    {
        int x = op.Inputs[0], y = op.Outputs[0];
        int[] wShape = Shape(op.Inputs[1]);
        if (wShape.Length != 2)
        {
            throw Unsupported(op, $"weights of shape [{string.Join(", ", wShape)}]");
        }

        if ((op.Options?.UInt8(1) ?? 0) != 0)
        {
            throw Unsupported(op, "a shuffled weights format");
        }

        float[] w = RequireFloats(op, op.Inputs[1], "weight matrix");
        string input = Plain(x);
        int[] xs = Shape(x);
        if (xs.Length != 2 || xs[1] != wShape[1])
        {
            string flat = Initializer(_names[x] + "__flat", new long[] { -1, wShape[1] }, 2);
            string flattened = Reserve(_names[x] + "__2d");
            _b.AddNode("Reshape", [input, flat], [flattened]);
            input = flattened;
        }

        var inputs = new List<string> { input, Initializer(_names[op.Inputs[1]], w, wShape[0], wShape[1]) };
        if (op.Inputs.Length > 2 && op.Inputs[2] >= 0)
        {
            float[] bias = RequireFloats(op, op.Inputs[2], "bias");
            inputs.Add(Initializer(_names[op.Inputs[2]], bias, bias.Length));
        }

        int[] ys = Shape(y);
        TfLiteActivation act = Activation(op, 0);
        if (ys.Length == 2)
        {
            EmitNode(op, "Gemm", inputs, y, nchw: false, act, [OnnxAttribute.Int("transB", 1)]);
            return;
        }

        string gemm = Reserve(_names[y] + "__gemm");
        _b.AddNode("Gemm", inputs, [gemm], [OnnxAttribute.Int("transB", 1)]);
        string shape = Initializer(_names[y] + "__shape", ys.Select(d => (long)d).ToArray(), ys.Length);
        EmitNode(op, "Reshape", [gemm, shape], y, nchw: false, act);
    }
}
