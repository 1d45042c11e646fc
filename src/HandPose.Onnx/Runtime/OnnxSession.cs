using HandPose.Onnx.Model;
using System.Buffers;
using HandPose.Onnx.Internal;
using HandPose.Onnx.Internal.Ort;

namespace HandPose.Onnx.Runtime;

/// <summary>
/// A loaded ONNX model on ONNX Runtime (the <c>Microsoft.ML.OnnxRuntime</c> package's <c>InferenceSession</c>).
/// </summary>
/// <remarks>
/// Thread-safety: <c>Run</c> may be called from many threads at once on one session (ONNX Runtime's session run is
/// thread-safe and every call here uses its own native values); <see cref="Dispose"/> must not race with new runs,
/// but a run already in progress keeps the native session alive until it returns.
/// Inputs are wrapped without copying; outputs go to caller memory (<see cref="RunInto"/>) or to pooled buffers owned
/// by the returned <see cref="OnnxRunResult"/>. Every ONNX Runtime error surfaces as <see cref="EngineException"/>
/// with ORT's code and message; inputs are checked before ONNX Runtime sees them.
/// </remarks>
public sealed class OnnxSession : IDisposable
{
    private readonly OrtSessionCore _core;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    private volatile bool _disposed;

    private OnnxSession(OrtSessionCore core)
    {
        _core = core;
        Inputs = Describe(core.InputNames, core.InputFacts);
        Outputs = Describe(core.OutputNames, core.OutputFacts);
        _inputIndex = Index(core.InputNames);
        _outputIndex = Index(core.OutputNames);
    }

    /// <summary>The model's inputs, in model order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>The model's outputs, in model order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>The model's <c>metadata_props</c> (key/value strings written by the exporter).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _core.CustomMetadata;

    /// <summary>The version of the loaded ONNX Runtime library, e.g. <c>1.30.0</c>.</summary>
#pragma warning disable CA1822 // kept an instance member: the version of the runtime this session runs on
    public string RuntimeVersion => OrtRuntime.Version;
#pragma warning restore CA1822

    /// <summary>Loads a model file.</summary>
    /// <param name="path">The <c>.onnx</c> file.</param>
    /// <param name="options">Session options; <see langword="null"/> for the defaults.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ModelLoadException">The file is missing, truncated or not a valid model for this runtime.</exception>
    /// <exception cref="BackendUnavailableException">ONNX Runtime could not be loaded, or the requested execution provider is not in this build.</exception>
    public static OnnxSession FromFile(string path, OnnxSessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ModelLoadException(path, "the file does not exist.");
        }

        return Create(full, full, [], options);
    }

    /// <summary>Loads a model from its serialized bytes (the bytes are not needed after this returns).</summary>
    /// <param name="model">A serialized ONNX <c>ModelProto</c>.</param>
    /// <param name="options">Session options; <see langword="null"/> for the defaults.</param>
    /// <returns>The session.</returns>
    /// <exception cref="ModelLoadException">The bytes are empty, truncated or not a valid model for this runtime.</exception>
    /// <exception cref="BackendUnavailableException">ONNX Runtime could not be loaded, or the requested execution provider is not in this build.</exception>
    public static OnnxSession FromBytes(ReadOnlySpan<byte> model, OnnxSessionOptions? options = null)
    {
        if (model.IsEmpty)
        {
            throw new ModelLoadException("in-memory model", "the model is empty (0 bytes).");
        }

        return Create("in-memory model", null, model, options);
    }

    /// <summary>Describes the ONNX Runtime library this process would use (loading it if needed) without throwing.</summary>
    /// <returns>Availability, version, origin and the loader trace.</returns>
    public static NativeEngineInfo ProbeRuntime() => OrtRuntime.Probe();

    private static OnnxSession Create(string source, string? path, ReadOnlySpan<byte> model, OnnxSessionOptions? options)
    {
        options ??= new OnnxSessionOptions();
        options.Validate();
        var settings = new SessionSettings(options.IntraOpThreads, options.InterOpThreads, options.ParallelExecution, options.Optimization, options.ExecutionProvider, options.DeviceId, options.Spinning);
        try
        {
            return new OnnxSession(OrtSessionCore.Create(path, model, settings));
        }
        catch (EngineException ex) when (ex.ErrorCode is 3 or 4 or 7 or 10 or 1 or 9 or 2)
        {
            // NoSuchFile, NoModel, InvalidProtobuf, InvalidGraph, Fail, NotImplemented, InvalidArgument while loading.
            throw new ModelLoadException(source, ex.EngineMessage, ex);
        }
    }

    /// <summary>Runs the model and returns every output in pooled memory.</summary>
    /// <param name="inputs">One tensor per model input, by name.</param>
    /// <param name="cancellationToken">Cancels the run (ONNX Runtime stops at the next operator).</param>
    /// <returns>The outputs in model order; dispose the result to return its buffers.</returns>
    /// <exception cref="InputShapeException">An input is unknown, missing, duplicated, or has the wrong element type or shape.</exception>
    /// <exception cref="EngineException">ONNX Runtime reported an error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public OnnxRunResult Run(IReadOnlyList<OnnxTensor> inputs, CancellationToken cancellationToken = default) =>
        Run(inputs, _core.OutputNames, cancellationToken);

    /// <summary>Runs the model and returns the named outputs in pooled memory.</summary>
    /// <param name="inputs">One tensor per model input, by name.</param>
    /// <param name="outputNames">The outputs wanted, in the order they are returned.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The outputs; dispose the result to return its buffers.</returns>
    /// <exception cref="InputShapeException">An input is unknown, missing, duplicated, or has the wrong element type or shape.</exception>
    /// <exception cref="ArgumentException">An output name is unknown or repeated.</exception>
    /// <exception cref="EngineException">ONNX Runtime reported an error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public OnnxRunResult Run(IReadOnlyList<OnnxTensor> inputs, IReadOnlyList<string> outputNames, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int[] inIdx = CheckInputs(inputs);
        int[] outIdx = new int[outputNames.Count];
        var bindings = new OrtTensorBinding[outputNames.Count];
        var pins = new List<MemoryHandle>();
        var preallocated = new byte[]?[outputNames.Count];
        var result = new OnnxRunResult();
        try
        {
            for (int i = 0; i < outIdx.Length; i++)
            {
                outIdx[i] = OutputIndex(outputNames[i], outIdx.AsSpan(0, i));
            }

            // Static shapes everywhere: ORT writes straight into pooled buffers (no copy after the run); otherwise ORT
            // allocates every output and the values are copied into pooled buffers.
            bool allStatic = outIdx.All(k => Outputs[k].IsFixedShape && OrtSessionCore.ElementSize((int)Outputs[k].ElementType) > 0);
            for (int i = 0; i < outIdx.Length && allStatic; i++)
            {
                OnnxTensorInfo info = Outputs[outIdx[i]];
                int size = OrtSessionCore.ElementSize((int)info.ElementType);
                long count = info.Dimensions.Aggregate(1L, (a, d) => a * d);
                if (count * size <= Array.MaxLength)
                {
                    byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(1, count * size));
                    preallocated[i] = buffer;
                    MemoryHandle pin = buffer.AsMemory().Pin();
                    pins.Add(pin);
                    bindings[i] = new OrtTensorBinding(Pinning.Address(pin), count * size, (int)info.ElementType, [.. info.Dimensions]);
                }
            }

            var pooled = new OrtPooledOutput[outIdx.Length];
            RunCore(inputs, inIdx, outIdx, bindings, pooled, pins, cancellationToken);
            for (int i = 0; i < outIdx.Length; i++)
            {
                string name = _core.OutputNames[outIdx[i]];
                if (preallocated[i] is { } buffer)
                {
                    result.Add(name, Outputs[outIdx[i]].ElementType, bindings[i].Shape, buffer, (int)bindings[i].ByteLength);
                    preallocated[i] = null;
                }
                else
                {
                    result.Add(name, (OnnxElementType)pooled[i].ElementType, pooled[i].Shape, pooled[i].Buffer, pooled[i].ByteLength);
                }
            }

            return result;
        }
        catch
        {
            result.Dispose();
            foreach (byte[]? b in preallocated)
            {
                if (b is not null)
                {
                    ArrayPool<byte>.Shared.Return(b);
                }
            }

            throw;
        }
        finally
        {
            Unpin(pins);
        }
    }

    /// <summary>Runs the model writing the named outputs into caller memory (no output copy).</summary>
    /// <param name="inputs">One tensor per model input, by name.</param>
    /// <param name="outputs">Writable tensors named after model outputs, with the exact shape of this run's output.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="InputShapeException">An input or output tensor is unknown, missing, duplicated, read-only, or has the wrong element type or shape.</exception>
    /// <exception cref="EngineException">ONNX Runtime reported an error (e.g. the output shape differs from what the model produces).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The session was disposed.</exception>
    public void RunInto(IReadOnlyList<OnnxTensor> inputs, IReadOnlyList<OnnxTensor> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int[] inIdx = CheckInputs(inputs);
        int[] outIdx = CheckTensors(outputs, Outputs, _outputIndex, "output", requireAll: false);
        var bindings = new OrtTensorBinding[outputs.Count];
        var pins = new List<MemoryHandle>(outputs.Count);
        try
        {
            for (int i = 0; i < outputs.Count; i++)
            {
                OnnxTensor t = outputs[i];
                if (!t.IsWritable)
                {
                    throw new InputShapeException(t.Name, "writable memory for an output", "read-only memory");
                }

                MemoryHandle pin = t.Pin();
                pins.Add(pin);
                bindings[i] = new OrtTensorBinding(NonNull(pin), t.ByteLength, (int)t.ElementType, t.ShapeArray);
            }

            RunCore(inputs, inIdx, outIdx, bindings, new OrtPooledOutput[outputs.Count], pins, cancellationToken);
        }
        finally
        {
            Unpin(pins);
        }
    }

    /// <summary>Releases the native session (after runs in progress return).</summary>
    public void Dispose()
    {
        _disposed = true;
        _core.Dispose();
    }

    private void RunCore(IReadOnlyList<OnnxTensor> inputs, int[] inIdx, int[] outIdx, OrtTensorBinding[] outBindings, OrtPooledOutput[] pooled,
                         List<MemoryHandle> pins, CancellationToken cancellationToken)
    {
        var inBindings = new OrtTensorBinding[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            MemoryHandle pin = inputs[i].Pin();
            pins.Add(pin);
            inBindings[i] = new OrtTensorBinding(NonNull(pin), inputs[i].ByteLength, (int)inputs[i].ElementType, inputs[i].ShapeArray);
        }

        _core.Run(inIdx, inBindings, outIdx, outBindings, pooled, cancellationToken);
    }

    private static void Unpin(List<MemoryHandle> pins)
    {
        foreach (MemoryHandle pin in pins)
        {
            pin.Dispose();
        }

        pins.Clear();
    }

    private static IntPtr NonNull(MemoryHandle pin)
    {
        IntPtr p = Pinning.Address(pin);
        return p == IntPtr.Zero ? Pinning.EmptyBuffer : p;
    }

    private int[] CheckInputs(IReadOnlyList<OnnxTensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return CheckTensors(inputs, Inputs, _inputIndex, "input", requireAll: true);
    }

    private static int[] CheckTensors(IReadOnlyList<OnnxTensor> given, IReadOnlyList<OnnxTensorInfo> declared, Dictionary<string, int> index, string kind, bool requireAll)
    {
        int[] map = new int[given.Count];
        var seen = new HashSet<int>();
        for (int i = 0; i < given.Count; i++)
        {
            OnnxTensor t = given[i] ?? throw new ArgumentException($"The {kind} list contains null.", kind + "s");
            if (!index.TryGetValue(t.Name, out int k))
            {
                throw new InputShapeException(t.Name, $"one of the model {kind}s: {string.Join(", ", declared.Select(d => $"'{d.Name}' {d}"))}", $"an unknown {kind} name with {t}");
            }

            if (!seen.Add(k))
            {
                throw new InputShapeException(t.Name, $"each {kind} once", $"'{t.Name}' given twice");
            }

            OnnxTensorInfo info = declared[k];
            bool rankOk = info.Dimensions.Count == t.Shape.Count;
            bool dimsOk = rankOk && info.Dimensions.Select((d, j) => d < 0 || d == t.Shape[j]).All(ok => ok);
            if (!info.IsTensor || info.ElementType != t.ElementType || !dimsOk)
            {
                throw new InputShapeException(t.Name, info.ToString(), t.ToString());
            }

            map[i] = k;
        }

        if (requireAll && seen.Count != declared.Count)
        {
            OnnxTensorInfo missing = declared.Where((_, j) => !seen.Contains(j)).First();
            throw new InputShapeException(missing.Name, missing.ToString(), "no tensor for this input");
        }

        return map;
    }

    private int OutputIndex(string name, ReadOnlySpan<int> before)
    {
        if (!_outputIndex.TryGetValue(name, out int k))
        {
            throw new ArgumentException($"Unknown output '{name}'; the model's outputs: {string.Join(", ", _core.OutputNames)}.", nameof(name));
        }

        if (before.Contains(k))
        {
            throw new ArgumentException($"Output '{name}' is requested twice.", nameof(name));
        }

        return k;
    }

    private static OnnxTensorInfo[] Describe(IReadOnlyList<string> names, IReadOnlyList<OrtTensorFacts> facts) =>
        names.Select((n, i) => new OnnxTensorInfo(n, facts[i].IsTensor, (OnnxElementType)facts[i].ElementType, facts[i].Dimensions, facts[i].SymbolicDimensions)).ToArray();

    private static Dictionary<string, int> Index(IReadOnlyList<string> names) =>
        names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
}
