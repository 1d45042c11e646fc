using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.Internal.Native;

/// <summary>Type and shape facts read from an <c>OrtTypeInfo</c> or an <c>OrtValue</c>.</summary>
internal readonly record struct OrtTensorFacts(int OnnxType, int ElementType, long[] Dimensions, string?[] SymbolicDimensions);

/// <summary>A tensor buffer for one run: caller memory already pinned, described by element type and shape.</summary>
internal readonly record struct OrtTensorBinding(IntPtr Data, long ByteLength, int ElementType, long[] Shape);

/// <summary>An output that ORT allocated, copied into a pooled byte array.</summary>
internal readonly record struct OrtPooledOutput(byte[] Buffer, int ByteLength, int ElementType, long[] Shape);

/// <summary>Every native call an <c>OnnxSession</c> makes. Thread-safe: nothing here keeps per-call state.</summary>
internal sealed unsafe class OrtSessionCore : IDisposable
{
    private readonly OrtLibrary.Loaded _lib;
    private readonly OrtHandle _session;
    private readonly byte[][] _inputNames;   // null-terminated UTF-8 on the pinned object heap
    private readonly byte[][] _outputNames;

    private OrtSessionCore(OrtLibrary.Loaded lib, OrtHandle session)
    {
        _lib = lib;
        _session = session;
        InputNames = ReadNames(lib.Api.SessionGetInputCount, lib.Api.SessionGetInputName);
        OutputNames = ReadNames(lib.Api.SessionGetOutputCount, lib.Api.SessionGetOutputName);
        InputFacts = ReadFacts(InputNames.Count, lib.Api.SessionGetInputTypeInfo);
        OutputFacts = ReadFacts(OutputNames.Count, lib.Api.SessionGetOutputTypeInfo);
        CustomMetadata = ReadCustomMetadata();
        _inputNames = InputNames.Select(PinnedUtf8).ToArray();
        _outputNames = OutputNames.Select(PinnedUtf8).ToArray();
    }

    public IReadOnlyList<string> InputNames { get; }

    public IReadOnlyList<string> OutputNames { get; }

    public IReadOnlyList<OrtTensorFacts> InputFacts { get; }

    public IReadOnlyList<OrtTensorFacts> OutputFacts { get; }

    public IReadOnlyDictionary<string, string> CustomMetadata { get; }

    public string LibraryVersion => _lib.Version;

    /// <summary>Creates a session from a file or from bytes (exactly one of <paramref name="path"/> and <paramref name="model"/>).</summary>
    public static OrtSessionCore Create(OrtLibrary.Loaded lib, string? path, ReadOnlySpan<byte> model, SessionSettings settings)
    {
        using OrtHandle options = CreateOptions(lib, settings);
        var session = OrtHandle.Session(lib);
        try
        {
            IntPtr created;
            bool envAdded = false;
            lib.Env.DangerousAddRef(ref envAdded);
            try
            {
                if (path is not null)
                {
                    byte[] utf8 = Utf8Z(path);
                    fixed (byte* p = utf8)
                    {
                        lib.Check(lib.Api.CreateSession(lib.Env.DangerousGetHandle(), p, options.DangerousGetHandle(), &created));
                    }
                }
                else
                {
                    fixed (byte* m = model)
                    {
                        lib.Check(lib.Api.CreateSessionFromArray(lib.Env.DangerousGetHandle(), m, (nuint)model.Length, options.DangerousGetHandle(), &created));
                    }
                }
            }
            finally
            {
                if (envAdded)
                {
                    lib.Env.DangerousRelease();
                }
            }

            session.Adopt(created);
            return new OrtSessionCore(lib, session);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public const string CudaEngineName = "ONNX Runtime CUDA execution provider";

    public const string CudaHint =
        "CUDA needs an NVIDIA GPU with its driver, CUDA and cuDNN, and an ONNX Runtime build whose "
        + "libonnxruntime_providers_cuda.so sits next to libonnxruntime.so (point OnnxSessionOptions.LibraryPath or "
        + "HANDPOSE_ONNXRUNTIME_PATH at it). There is no silent CPU fallback: choose OnnxExecutionProvider.Cpu to run on the CPU.";

    private static OrtHandle CreateOptions(OrtLibrary.Loaded lib, SessionSettings settings)
    {
        var options = OrtHandle.SessionOptions(lib);
        try
        {
            IntPtr created;
            lib.Check(lib.Api.CreateSessionOptions(&created));
            options.Adopt(created);
            IntPtr o = options.DangerousGetHandle();
            lib.Check(lib.Api.SetIntraOpNumThreads(o, settings.IntraOpThreads));
            lib.Check(lib.Api.SetInterOpNumThreads(o, settings.InterOpThreads));
            lib.Check(lib.Api.SetSessionExecutionMode(o, settings.ParallelExecution ? 1 : 0));
            lib.Check(lib.Api.SetSessionGraphOptimizationLevel(o, settings.OptimizationLevel));
            switch (settings.Spinning)
            {
                case OnnxThreadSpinning.DuringRun:
                    AddConfigEntry(lib, o, "session.force_spinning_stop"u8, "1"u8);
                    break;
                case OnnxThreadSpinning.Never:
                    AddConfigEntry(lib, o, "session.intra_op.allow_spinning"u8, "0"u8);
                    AddConfigEntry(lib, o, "session.inter_op.allow_spinning"u8, "0"u8);
                    break;
            }

            if (settings.UseCuda)
            {
                var cuda = new CudaProviderOptions
                {
                    DeviceId = settings.DeviceId,
                    GpuMemLimit = nuint.MaxValue,
                    DoCopyInDefaultStream = 1,
                };
                try
                {
                    lib.Check(lib.Api.SessionOptionsAppendExecutionProviderCuda(o, &cuda));
                }
                catch (EngineException ex)
                {
                    throw new BackendUnavailableException(CudaEngineName,
                        [$"{lib.Path} (ONNX Runtime {lib.Version}, providers: {string.Join(", ", lib.AvailableProviders())}): {ex.EngineMessage}"],
                        CudaHint, ex);
                }
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    /// <summary>Sets one session configuration entry (keys from ORT's onnxruntime_session_options_config_keys.h).</summary>
    private static void AddConfigEntry(OrtLibrary.Loaded lib, IntPtr options, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> k = stackalloc byte[key.Length + 1], v = stackalloc byte[value.Length + 1];
        key.CopyTo(k);
        value.CopyTo(v);
        k[^1] = 0;
        v[^1] = 0;
        fixed (byte* pk = k, pv = v)
        {
            lib.Check(lib.Api.AddSessionConfigEntry(options, pk, pv));
        }
    }

    /// <summary>
    /// Runs the model. <paramref name="inputs"/> and <paramref name="outputs"/> point into memory the caller keeps
    /// pinned for the call; an output with <see cref="OrtTensorBinding.Data"/> zero is allocated by ORT and copied
    /// into a pooled array (returned in <paramref name="pooled"/> at the same index).
    /// </summary>
    public void Run(ReadOnlySpan<int> inputIndices, ReadOnlySpan<OrtTensorBinding> inputs, ReadOnlySpan<int> outputIndices,
                    ReadOnlySpan<OrtTensorBinding> outputs, Span<OrtPooledOutput> pooled, CancellationToken cancellationToken)
    {
        int nIn = inputs.Length, nOut = outputs.Length;
        var values = new OrtHandle[nIn + nOut];
        IntPtr* inNames = stackalloc IntPtr[nIn];
        IntPtr* inValues = stackalloc IntPtr[nIn];
        IntPtr* outNames = stackalloc IntPtr[nOut];
        IntPtr* outValues = stackalloc IntPtr[nOut];
        bool sessionAdded = false;
        try
        {
            for (int i = 0; i < nIn; i++)
            {
                values[i] = Wrap(inputs[i]);
                inValues[i] = values[i].DangerousGetHandle();
                inNames[i] = Address(_inputNames[inputIndices[i]]);
            }

            for (int i = 0; i < nOut; i++)
            {
                outNames[i] = Address(_outputNames[outputIndices[i]]);
                if (outputs[i].Data != IntPtr.Zero)
                {
                    values[nIn + i] = Wrap(outputs[i]);
                    outValues[i] = values[nIn + i].DangerousGetHandle();
                }
                else
                {
                    outValues[i] = IntPtr.Zero;
                }
            }

            _session.DangerousAddRef(ref sessionAdded);
            IntPtr session = _session.DangerousGetHandle();
            if (!cancellationToken.CanBeCanceled)
            {
                IntPtr status = _lib.Api.Run(session, IntPtr.Zero, inNames, inValues, (nuint)nIn, outNames, (nuint)nOut, outValues);
                AdoptOutputs(values, nIn, outputs, outValues);
                _lib.Check(status);
            }
            else
            {
                RunCancellable(session, inNames, inValues, nIn, outNames, nOut, outValues, values, outputs, cancellationToken);
            }

            for (int i = 0; i < nOut; i++)
            {
                if (outputs[i].Data == IntPtr.Zero)
                {
                    pooled[i] = CopyOut(values[nIn + i].DangerousGetHandle());
                }
            }
        }
        finally
        {
            if (sessionAdded)
            {
                _session.DangerousRelease();
            }

            foreach (OrtHandle? v in values)
            {
                v?.Dispose();
            }
        }
    }

    private void RunCancellable(IntPtr session, IntPtr* inNames, IntPtr* inValues, int nIn, IntPtr* outNames, int nOut, IntPtr* outValues,
                                OrtHandle[] values, ReadOnlySpan<OrtTensorBinding> outputs, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = OrtHandle.RunOptions(_lib);
        IntPtr created;
        _lib.Check(_lib.Api.CreateRunOptions(&created));
        runOptions.Adopt(created);
        IntPtr status;
        using (cancellationToken.Register(static state => ((OrtSessionCore.Terminator)state!).Terminate(), new Terminator(_lib, runOptions)))
        {
            status = _lib.Api.Run(session, runOptions.DangerousGetHandle(), inNames, inValues, (nuint)nIn, outNames, (nuint)nOut, outValues);
        }

        AdoptOutputs(values, nIn, outputs, outValues);
        if (status != IntPtr.Zero && cancellationToken.IsCancellationRequested)
        {
            try
            {
                _lib.Check(status);
            }
            catch (EngineException ex)
            {
                throw new OperationCanceledException("The ONNX Runtime run was cancelled.", ex, cancellationToken);
            }
        }

        _lib.Check(status);
    }

    private void AdoptOutputs(OrtHandle[] values, int nIn, ReadOnlySpan<OrtTensorBinding> outputs, IntPtr* outValues)
    {
        for (int i = 0; i < outputs.Length; i++)
        {
            if (outputs[i].Data == IntPtr.Zero && outValues[i] != IntPtr.Zero)
            {
                values[nIn + i] = OrtHandle.Value(_lib);
                values[nIn + i].Adopt(outValues[i]);
            }
        }
    }

    private OrtHandle Wrap(OrtTensorBinding t)
    {
        var value = OrtHandle.Value(_lib);
        IntPtr created;
        fixed (long* shape = t.Shape)
        {
            bool added = false;
            _lib.CpuMemoryInfo.DangerousAddRef(ref added);
            try
            {
                _lib.Check(_lib.Api.CreateTensorWithDataAsOrtValue(_lib.CpuMemoryInfo.DangerousGetHandle(), (void*)t.Data, (nuint)t.ByteLength,
                                                                   shape, (nuint)t.Shape.Length, t.ElementType, &created));
            }
            finally
            {
                if (added)
                {
                    _lib.CpuMemoryInfo.DangerousRelease();
                }
            }
        }

        value.Adopt(created);
        return value;
    }

    private OrtPooledOutput CopyOut(IntPtr value)
    {
        OrtTensorFacts facts = ValueFacts(value);
        long count = 1;
        foreach (long d in facts.Dimensions)
        {
            count *= d;
        }

        int size = ElementSize(facts.ElementType);
        if (size == 0)
        {
            throw new EngineException(OrtLibrary.EngineName, 0, $"Output element type {facts.ElementType} (ONNX TensorProto.DataType) is not supported by HandPose's binding; only numeric and bool tensors are.");
        }

        long bytes = count * size;
        if (bytes > Array.MaxLength)
        {
            throw new EngineException(OrtLibrary.EngineName, 0, $"Output of {bytes} bytes is larger than one .NET array.");
        }

        void* data;
        _lib.Check(_lib.Api.GetTensorMutableData(value, &data));
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)bytes);
        new ReadOnlySpan<byte>(data, (int)bytes).CopyTo(buffer);
        return new OrtPooledOutput(buffer, (int)bytes, facts.ElementType, facts.Dimensions);
    }

    private OrtTensorFacts ValueFacts(IntPtr value)
    {
        using var info = OrtHandle.TensorTypeAndShape(_lib);
        IntPtr created;
        _lib.Check(_lib.Api.GetTensorTypeAndShape(value, &created));
        info.Adopt(created);
        return TensorFacts(1, info.DangerousGetHandle());
    }

    private OrtTensorFacts TensorFacts(int onnxType, IntPtr tensorInfo)
    {
        int elementType;
        nuint rank;
        _lib.Check(_lib.Api.GetTensorElementType(tensorInfo, &elementType));
        _lib.Check(_lib.Api.GetDimensionsCount(tensorInfo, &rank));
        long[] dims = new long[(int)rank];
        byte** symbolic = stackalloc byte*[Math.Max(1, (int)rank)];
        fixed (long* d = dims)
        {
            _lib.Check(_lib.Api.GetDimensions(tensorInfo, d, rank));
        }

        _lib.Check(_lib.Api.GetSymbolicDimensions(tensorInfo, symbolic, rank));
        string?[] names = new string?[(int)rank];
        for (int i = 0; i < names.Length; i++)
        {
            string? s = symbolic[i] is null ? null : Marshal.PtrToStringUTF8((IntPtr)symbolic[i]);
            names[i] = string.IsNullOrEmpty(s) ? null : s;
        }

        return new OrtTensorFacts(onnxType, elementType, dims, names);
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

    private string[] ReadNames(delegate* unmanaged<IntPtr, nuint*, IntPtr> count, delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> name)
    {
        IntPtr s = _session.DangerousGetHandle();
        nuint n;
        _lib.Check(count(s, &n));
        var names = new string[(int)n];
        for (int i = 0; i < names.Length; i++)
        {
            byte* value;
            _lib.Check(name(s, (nuint)i, _lib.DefaultAllocator, &value));
            names[i] = _lib.TakeString(value);
        }

        return names;
    }

    private OrtTensorFacts[] ReadFacts(int count, delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> typeInfo)
    {
        var facts = new OrtTensorFacts[count];
        for (int i = 0; i < count; i++)
        {
            using var info = OrtHandle.TypeInfo(_lib);
            IntPtr created;
            _lib.Check(typeInfo(_session.DangerousGetHandle(), (nuint)i, &created));
            info.Adopt(created);
            int onnxType;
            _lib.Check(_lib.Api.GetOnnxTypeFromTypeInfo(info.DangerousGetHandle(), &onnxType));
            IntPtr tensorInfo = IntPtr.Zero;
            if (onnxType == 1)
            {
                _lib.Check(_lib.Api.CastTypeInfoToTensorInfo(info.DangerousGetHandle(), &tensorInfo));
            }

            facts[i] = tensorInfo == IntPtr.Zero ? new OrtTensorFacts(onnxType, 0, [], []) : TensorFacts(onnxType, tensorInfo);
        }

        return facts;
    }

    private Dictionary<string, string> ReadCustomMetadata()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var meta = OrtHandle.ModelMetadata(_lib);
        IntPtr created;
        _lib.Check(_lib.Api.SessionGetModelMetadata(_session.DangerousGetHandle(), &created));
        meta.Adopt(created);
        byte** keys;
        long n;
        _lib.Check(_lib.Api.ModelMetadataGetCustomMetadataMapKeys(meta.DangerousGetHandle(), _lib.DefaultAllocator, &keys, &n));
        if (keys is null)
        {
            return result;
        }

        try
        {
            for (long i = 0; i < n; i++)
            {
                string key = Marshal.PtrToStringUTF8((IntPtr)keys[i]) ?? string.Empty;
                byte* value;
                _lib.Check(_lib.Api.ModelMetadataLookupCustomMetadataMap(meta.DangerousGetHandle(), _lib.DefaultAllocator, keys[i], &value));
                result[key] = _lib.TakeString(value);
            }
        }
        finally
        {
            for (long i = 0; i < n; i++)
            {
                _lib.Check(_lib.Api.AllocatorFree(_lib.DefaultAllocator, keys[i]));
            }

            _lib.Check(_lib.Api.AllocatorFree(_lib.DefaultAllocator, keys));
        }

        return result;
    }

    private static byte[] Utf8Z(string s)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    private static byte[] PinnedUtf8(string s)
    {
        byte[] bytes = GC.AllocateArray<byte>(Encoding.UTF8.GetByteCount(s) + 1, pinned: true);
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    private static IntPtr Address(byte[] pinned) => Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);

    public void Dispose() => _session.Dispose();

    /// <summary>Sets the terminate flag of a run from the cancellation callback (ORT allows this from another thread).</summary>
    private sealed class Terminator(OrtLibrary.Loaded lib, OrtHandle runOptions)
    {
        public void Terminate()
        {
            bool added = false;
            runOptions.DangerousAddRef(ref added);
            try
            {
                lib.Check(lib.Api.RunOptionsSetTerminate(runOptions.DangerousGetHandle()));
            }
            finally
            {
                if (added)
                {
                    runOptions.DangerousRelease();
                }
            }
        }
    }
}

/// <summary>Session settings in ORT's terms.</summary>
internal readonly record struct SessionSettings(int IntraOpThreads, int InterOpThreads, bool ParallelExecution, int OptimizationLevel, bool UseCuda, int DeviceId, OnnxThreadSpinning Spinning);
