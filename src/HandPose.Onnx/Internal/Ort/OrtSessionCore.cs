using System.Buffers;
using HandPose.Onnx.Runtime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HandPose.Onnx.Internal.Ort;

/// <summary>Type and shape facts of a model input or output.</summary>
internal readonly record struct OrtTensorFacts(bool IsTensor, int ElementType, long[] Dimensions, string?[] SymbolicDimensions);

/// <summary>A tensor buffer for one run: caller memory already pinned, described by element type and shape.</summary>
internal readonly record struct OrtTensorBinding(IntPtr Data, long ByteLength, int ElementType, long[] Shape);

/// <summary>An output that ORT allocated, copied into a pooled byte array.</summary>
internal readonly record struct OrtPooledOutput(byte[] Buffer, int ByteLength, int ElementType, long[] Shape);

/// <summary>Session settings in ORT's terms.</summary>
internal readonly record struct SessionSettings(int IntraOpThreads, int InterOpThreads, bool ParallelExecution, OnnxGraphOptimization Optimization,
                                                OnnxExecutionProvider Provider, int DeviceId, OnnxThreadSpinning Spinning);

/// <summary>
/// Every call an <c>OnnxSession</c> makes into <see cref="InferenceSession"/>. Thread-safe: nothing here keeps per-call
/// state (ORT's <c>Run</c> is thread-safe; each call wraps its own <see cref="OrtValue"/>s over the caller's pinned memory).
/// </summary>
internal sealed class OrtSessionCore : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _defaultRun = new();
    private int _references = 1; // the owner's reference plus one per run in progress; the session is released at 0
    private int _disposed;

    private OrtSessionCore(InferenceSession session)
    {
        _session = session;
        InputNames = [.. session.InputNames];
        OutputNames = [.. session.OutputNames];
        InputFacts = InputNames.Select(n => Facts(session.InputMetadata[n])).ToArray();
        OutputFacts = OutputNames.Select(n => Facts(session.OutputMetadata[n])).ToArray();
        CustomMetadata = new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
    }

    public IReadOnlyList<string> InputNames { get; }

    public IReadOnlyList<string> OutputNames { get; }

    public IReadOnlyList<OrtTensorFacts> InputFacts { get; }

    public IReadOnlyList<OrtTensorFacts> OutputFacts { get; }

    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    /// <summary>Creates a session from a file or from bytes (exactly one of <paramref name="path"/> and <paramref name="model"/>).</summary>
    /// <exception cref="EngineException">ORT rejected the model or the options.</exception>
    /// <exception cref="BackendUnavailableException">ORT or the requested execution provider is not available.</exception>
    public static OrtSessionCore Create(string? path, ReadOnlySpan<byte> model, SessionSettings settings)
    {
        _ = OrtRuntime.Instance;
        using SessionOptions options = CreateOptions(settings);
        try
        {
            InferenceSession session = path is not null ? new InferenceSession(path, options) : new InferenceSession(model.ToArray(), options);
            try
            {
                return new OrtSessionCore(session);
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
        catch (OnnxRuntimeException ex)
        {
            throw OrtRuntime.Wrap(ex);
        }
    }

    private static SessionOptions CreateOptions(SessionSettings settings)
    {
        var options = new SessionOptions();
        try
        {
            options.IntraOpNumThreads = settings.IntraOpThreads;
            options.InterOpNumThreads = settings.InterOpThreads;
            options.ExecutionMode = settings.ParallelExecution ? ExecutionMode.ORT_PARALLEL : ExecutionMode.ORT_SEQUENTIAL;
            options.GraphOptimizationLevel = settings.Optimization switch
            {
                OnnxGraphOptimization.None => GraphOptimizationLevel.ORT_DISABLE_ALL,
                OnnxGraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OnnxGraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            switch (settings.Spinning)
            {
                case OnnxThreadSpinning.DuringRun:
                    options.AddSessionConfigEntry("session.force_spinning_stop", "1");
                    break;
                case OnnxThreadSpinning.Never:
                    options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                    options.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
                    break;
            }

            if (settings.Provider != OnnxExecutionProvider.Cpu)
            {
                AppendProvider(options, settings.Provider, settings.DeviceId);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static void AppendProvider(SessionOptions options, OnnxExecutionProvider provider, int deviceId)
    {
        string name = OrtRuntime.ProviderName(provider);
        IReadOnlyList<string> available = OrtRuntime.Providers;
        string engine = $"{OrtRuntime.EngineName} {(provider == OnnxExecutionProvider.Cuda ? "CUDA" : provider.ToString())} execution provider";
        string hint = $"The {name} is in the package {OrtRuntime.ProviderPackage(provider)}; reference it instead of Microsoft.ML.OnnxRuntime. "
                      + "There is no silent CPU fallback: choose OnnxExecutionProvider.Cpu to run on the CPU.";
        if (!available.Contains(name))
        {
            throw new BackendUnavailableException(engine, [$"ONNX Runtime {OrtRuntime.Version}: built with {string.Join(", ", available)} only"], hint);
        }

        try
        {
            switch (provider)
            {
                case OnnxExecutionProvider.Cuda:
                    options.AppendExecutionProvider_CUDA(deviceId);
                    break;
                case OnnxExecutionProvider.DirectML:
                    options.AppendExecutionProvider_DML(deviceId);
                    break;
                case OnnxExecutionProvider.CoreML:
                    options.AppendExecutionProvider_CoreML();
                    break;
            }
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            throw new BackendUnavailableException(engine, [$"ONNX Runtime {OrtRuntime.Version} (providers: {string.Join(", ", available)}): {ex.Message}"], hint, ex);
        }
    }

    /// <summary>
    /// Runs the model. <paramref name="inputs"/> point into memory the caller keeps pinned for the call. When every
    /// output has memory (<see cref="OrtTensorBinding.Data"/> non-zero) ORT writes straight into it; otherwise ORT
    /// allocates every output and each is copied into a pooled array (returned in <paramref name="pooled"/>).
    /// </summary>
    public void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtTensorBinding> inputs, ReadOnlySpan<int> outputIndices,
                    ReadOnlySpan<OrtTensorBinding> outputs, Span<OrtPooledOutput> pooled, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        AddReference();
        try
        {
            RunCore(inputIndices, inputs, outputIndices, outputs, pooled, cancellationToken);
        }
        finally
        {
            Release();
        }
    }

    private void RunCore(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtTensorBinding> inputs, ReadOnlySpan<int> outputIndices,
                         ReadOnlySpan<OrtTensorBinding> outputs, Span<OrtPooledOutput> pooled, CancellationToken cancellationToken)
    {
        var inNames = new string[inputs.Length];
        var inValues = new OrtValue[inputs.Length];
        var outNames = new string[outputs.Length];
        OrtValue[]? outValues = new OrtValue[outputs.Length];
        RunOptions? cancellable = cancellationToken.CanBeCanceled ? new RunOptions() : null;
        try
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                inNames[i] = InputNames[inputIndices[i]];
                inValues[i] = Wrap(inputs[i]);
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                outNames[i] = OutputNames[outputIndices[i]];
                if (outputs[i].Data == IntPtr.Zero)
                {
                    outValues = null;
                }
                else if (outValues is not null)
                {
                    outValues[i] = Wrap(outputs[i]);
                }
            }

            RunOptions runOptions = cancellable ?? _defaultRun;
            using CancellationTokenRegistration registration = cancellable is null
                ? default
                : cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, cancellable);
            try
            {
                if (outValues is not null)
                {
                    _session.Run(runOptions, inNames, inValues, outNames, outValues);
                }
                else
                {
                    using IDisposableReadOnlyCollection<OrtValue> results = _session.Run(runOptions, inNames, inValues, outNames);
                    int k = 0;
                    foreach (OrtValue value in results)
                    {
                        pooled[k++] = CopyOut(value);
                    }
                }
            }
            catch (OnnxRuntimeException ex) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The ONNX Runtime run was cancelled.", OrtRuntime.Wrap(ex), cancellationToken);
            }
            catch (OnnxRuntimeException ex)
            {
                throw OrtRuntime.Wrap(ex);
            }
        }
        finally
        {
            DisposeAll(inValues);
            DisposeAll(outValues);
            cancellable?.Dispose();
        }
    }

    /// <summary>Bytes per element of an ONNX element type (0 for strings and unknown types).</summary>
    public static int ElementSize(int elementType) => elementType switch
    {
        1 or 6 or 12 => 4,
        2 or 3 or 9 => 1,
        4 or 5 or 10 or 16 => 2,
        7 or 11 or 13 or 14 => 8,
        15 => 16,
        _ => 0,
    };

    /// <summary>Releases the native session now, or when the last run in progress returns.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
    }

    private void AddReference()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            ObjectDisposedException.ThrowIf(current == 0, typeof(OnnxSession));
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return;
            }
        }
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _session.Dispose();
            _defaultRun.Dispose();
        }
    }

    private static OrtValue Wrap(OrtTensorBinding t) =>
        OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, (TensorElementType)t.ElementType, t.Shape, t.Data, t.ByteLength);

    private static OrtPooledOutput CopyOut(OrtValue value)
    {
        if (!value.IsTensor)
        {
            throw new EngineException(OrtRuntime.EngineName, 0, $"Output of ONNX type {value.OnnxType} is not supported by HandPose; only numeric and bool tensors are.");
        }

        OrtTensorTypeAndShapeInfo info = value.GetTensorTypeAndShape();
        int elementType = (int)info.ElementDataType;
        int size = ElementSize(elementType);
        if (size == 0)
        {
            throw new EngineException(OrtRuntime.EngineName, 0, $"Output element type {info.ElementDataType} is not supported by HandPose; only numeric and bool tensors are.");
        }

        long bytes = info.ElementCount * size;
        if (bytes > Array.MaxLength)
        {
            throw new EngineException(OrtRuntime.EngineName, 0, $"Output of {bytes} bytes is larger than one .NET array.");
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)bytes);
        value.GetTensorMutableRawData().Slice(0, (int)bytes).CopyTo(buffer);
        return new OrtPooledOutput(buffer, (int)bytes, elementType, info.Shape);
    }

    private static OrtTensorFacts Facts(NodeMetadata meta)
    {
        if (meta.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
        {
            return new OrtTensorFacts(false, 0, [], []);
        }

        long[] dims = meta.Dimensions.Select(d => (long)d).ToArray();
        string?[] symbolic = meta.SymbolicDimensions.Select(s => string.IsNullOrEmpty(s) ? null : s).ToArray();
        return new OrtTensorFacts(true, (int)meta.ElementDataType, dims, symbolic);
    }

    private static void DisposeAll(OrtValue[]? values)
    {
        if (values is null)
        {
            return;
        }

        foreach (OrtValue? v in values)
        {
            v?.Dispose();
        }
    }
}
