using System.Buffers.Binary;
using System.Collections;
using Razorvine.Pickle;
using static TorchSharp.torch;

namespace HandPose.Torch.Serialization;

/// <summary>A network whose parameters also have TensorFlow variable names (hand3d's networks).</summary>
internal interface ITensorFlowNamed
{
    /// <summary>The variable scopes (first path component) this network's weights live under.</summary>
    IReadOnlyList<string> Scopes { get; }

    /// <summary>The TF variable name of a parameter, e.g. <c>conv1_1.weight</c> → <c>HandSegNet/conv1_1/weights</c>.</summary>
    string TensorFlowName(string parameterName);
}

/// <summary>How PyTorch-style parameter names map to TF1 <c>NetworkOps</c> variable names.</summary>
internal static class TensorFlowNames
{
    /// <summary><c>layer.weight</c> → <c>Scope/layer/weights</c>; <c>layer.bias</c> → <c>Scope/layer/biases</c>.</summary>
    public static string Layer(string scope, string parameterName)
    {
        int dot = parameterName.LastIndexOf('.');
        string layer = parameterName[..dot];
        string kind = parameterName[(dot + 1)..] switch
        {
            "weight" => "weights",
            "bias" => "biases",
            string other => other,
        };
        return $"{scope}/{layer.Replace('.', '/')}/{kind}";
    }
}

/// <summary>
/// TensorFlow weights as hand3d releases them (<c>handsegnet-rhd.pickle</c>, <c>posenet3d-rhd-stb-slr-finetuned.pickle</c>):
/// a Python pickle (protocol 2 to 5, written by Python 2 or 3, numpy 1 or 2) of one dict from TF variable names
/// (<c>PoseNet2D/conv1_1/weights</c>) to numpy arrays in TF layouts — convolution kernels HWIO, dense kernels [in, out].
/// A file may hold several networks; each network takes the variables under its own scopes.
/// </summary>
internal static class TensorFlowWeights
{
    private static readonly Lazy<bool> Registered = new(Register);

    /// <summary>Whether a file starts like a pickle that is not a legacy <c>torch.save</c> file.</summary>
    public static bool IsPickle(ReadOnlySpan<byte> head) => head is [0x80, >= 2 and <= 5, ..] && head is not [0x80, _, 0x8a, 0x0a, ..];

    /// <summary>Every array of the file by TF name, in TF layout (float32 or int64 tensors). The caller owns them.</summary>
    /// <exception cref="ModelLoadException">The file is missing, truncated or not a dict of numpy arrays.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        TorchRuntime.EnsureAvailable();
        _ = Registered.Value;
        object root;
        try
        {
            using FileStream f = File.OpenRead(path);
            using var unpickler = new Unpickler();
            root = unpickler.load(f);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PickleException or InvalidCastException
            or InvalidDataException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            throw new ModelLoadException(path, $"not a readable pickle of numpy arrays ({ex.GetType().Name}: {ex.Message})", ex);
        }

        if (root is not Hashtable table)
        {
            throw new ModelLoadException(path, $"the pickle holds a {root?.GetType().Name ?? "None"}, not a dict of TF variable names to numpy arrays");
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (DictionaryEntry e in table)
            {
                string name = e.Key switch
                {
                    string s => s,
                    byte[] b => System.Text.Encoding.UTF8.GetString(b),
                    _ => throw new ModelLoadException(path, $"a key is a {e.Key.GetType().Name}, not a variable name"),
                };
                if (e.Value is not NumpyArray a)
                {
                    throw new ModelLoadException(path, $"'{name}' is a {e.Value?.GetType().Name ?? "None"}, not a numpy array");
                }

                result[name] = a.ToTensor(path, name);
            }
        }
        catch
        {
            foreach (Tensor t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return result;
    }

    /// <summary>
    /// Loads the variables under the module's scopes, converting layouts (HWIO → OIHW, [in, out] → [out, in]); strict:
    /// every parameter must be present with the right shape and no other variable may sit under those scopes.
    /// Variables of other scopes (other networks in the same file) are ignored.
    /// </summary>
    /// <exception cref="ModelLoadException">The file cannot be read, the module has no TF names, or names are missing, unexpected or mis-shaped (all listed, by TF name).</exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (module is not ITensorFlowNamed named)
        {
            throw new ModelLoadException(path, $"a pickle of TensorFlow variables, but {module.GetType().Name} has no TensorFlow names (only hand3d's networks do); give a torch.save or safetensors file");
        }

        Dictionary<string, Tensor> source = Read(path);
        var converted = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var problems = new List<string>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach ((string key, Tensor target) in module.state_dict())
            {
                string tfName = named.TensorFlowName(key);
                if (!source.TryGetValue(tfName, out Tensor? t))
                {
                    problems.Add($"missing '{tfName}'");
                    continue;
                }

                used.Add(tfName);
                Tensor torchLayout = t.dim() switch
                {
                    4 => t.permute(3, 2, 0, 1).contiguous(),
                    2 => t.t().contiguous(),
                    _ => t.alias(),
                };
                if (!torchLayout.shape.SequenceEqual(target.shape))
                {
                    problems.Add($"'{tfName}' has shape [{string.Join(", ", t.shape)}], the model needs [{string.Join(", ", TfLayout(target.shape))}]");
                    torchLayout.Dispose();
                    continue;
                }

                converted[key] = torchLayout;
            }

            string[] scopes = [.. named.Scopes.Select(s => s + "/")];
            problems.AddRange(source.Keys.Where(k => !used.Contains(k) && scopes.Any(s => k.StartsWith(s, StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal).Select(k => $"unexpected '{k}'"));
            if (used.Count == 0)
            {
                string held = string.Join(", ", source.Keys.Select(k => k.Split('/')[0]).Distinct().Order(StringComparer.Ordinal));
                throw new ModelLoadException(path, $"no variable under {string.Join(" or ", scopes)} for {module.GetType().Name}; the file holds the scopes: {(held.Length == 0 ? "none" : held)}");
            }

            if (problems.Count > 0)
            {
                string shown = string.Join("; ", problems.Take(12)) + (problems.Count > 12 ? $"; and {problems.Count - 12} more" : string.Empty);
                throw new ModelLoadException(path, $"the TensorFlow weights do not fit {module.GetType().Name}: {shown}");
            }

            StateDicts.Copy(module, converted, path);
        }
        finally
        {
            foreach (Tensor t in source.Values.Concat(converted.Values))
            {
                t.Dispose();
            }
        }
    }

    private static long[] TfLayout(long[] torchShape) => torchShape.Length switch
    {
        4 => [torchShape[2], torchShape[3], torchShape[1], torchShape[0]],
        2 => [torchShape[1], torchShape[0]],
        _ => torchShape,
    };

    private static bool Register()
    {
        foreach (string core in new[] { "numpy.core", "numpy._core" })
        {
            Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", new ArrayReconstructor());
            Unpickler.registerConstructor(core + ".numeric", "_frombuffer", new FromBuffer());
        }

        Unpickler.registerConstructor("numpy", "dtype", new DtypeConstructor());
        Unpickler.registerConstructor("numpy", "ndarray", new Placeholder());
        return true;
    }

    /// <summary>Python 2 strings arrive as .NET strings with one char per byte; Python 3 bytes as byte arrays.</summary>
    private static byte[] Bytes(object? data) => data switch
    {
        byte[] b => b,
        string s => s.Select(c => c <= 0xff ? (byte)c : throw new InvalidDataException("array data is text, not bytes")).ToArray(),
        _ => throw new InvalidDataException($"array data is a {data?.GetType().Name ?? "None"}, not bytes (object arrays are not weights)"),
    };

    private sealed class Placeholder : IObjectConstructor
    {
        public object construct(object[] args) => this;
    }

    private sealed class ArrayReconstructor : IObjectConstructor
    {
        public object construct(object[] args) => new NumpyArray();
    }

    private sealed class DtypeConstructor : IObjectConstructor
    {
        public object construct(object[] args) => new NumpyDtype(args.Length > 0 ? args[0] as string ?? string.Empty : string.Empty);
    }

    private sealed class FromBuffer : IObjectConstructor
    {
        // _frombuffer(buffer, dtype, shape, order) (pickle protocol 5, in-band buffer)
        public object construct(object[] args) => new NumpyArray
        {
            Dtype = (NumpyDtype)args[1],
            Shape = [.. ((object[])args[2]).Select(Convert.ToInt64)],
            Fortran = args.Length > 3 && args[3] is "F",
            Data = Bytes(args[0]),
        };
    }

    /// <summary>A numpy dtype: its kind code ('f4', 'f8', 'i8', …) and byte order (from <c>__setstate__</c>).</summary>
    internal sealed class NumpyDtype(string code)
    {
        public string Code { get; } = code;

        public bool BigEndian { get; private set; }

        // state = (version, byteorder, subarray, names, fields, elsize, alignment, flags)
        public void __setstate__(object[] state) => BigEndian = state.Length > 1 && state[1] is ">";
    }

    /// <summary>An ndarray being unpickled: <c>_reconstruct</c> creates it, <c>__setstate__</c> fills it.</summary>
    internal sealed class NumpyArray
    {
        public NumpyDtype? Dtype { get; set; }

        public long[] Shape { get; set; } = [];

        public bool Fortran { get; set; }

        public byte[] Data { get; set; } = [];

        // state = (version, shape, dtype, is_fortran, rawdata)
        public void __setstate__(object[] state)
        {
            int o = state.Length == 5 ? 1 : 0;
            Shape = [.. ((object[])state[o]).Select(Convert.ToInt64)];
            Dtype = (NumpyDtype)state[o + 1];
            Fortran = state[o + 2] is true;
            Data = Bytes(state[o + 3]);
        }

        public Tensor ToTensor(string path, string name)
        {
            string code = Dtype?.Code ?? "?";
            int size = code switch
            {
                "f4" or "i4" => 4,
                "f8" or "i8" => 8,
                _ => throw new ModelLoadException(path, $"'{name}' has numpy dtype '{code}'; weights must be float32/float64 (or int32/int64)"),
            };
            long count = Shape.Aggregate(1L, (a, b) => a * b);
            if (Shape.Any(d => d < 0) || count * size != Data.LongLength)
            {
                throw new ModelLoadException(path, $"'{name}': shape [{string.Join(", ", Shape)}] of '{code}' needs {count * size} bytes, the pickle has {Data.LongLength} (truncated or corrupt)");
            }

            bool swap = Dtype!.BigEndian != !BitConverter.IsLittleEndian;
            long[] shape = Fortran ? [.. Shape.Reverse()] : Shape;
            Tensor t;
            if (code[0] == 'f')
            {
                var values = new float[count];
                for (long i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> b = Data.AsSpan((int)(i * size), size);
                    values[i] = size == 4
                        ? BitConverter.Int32BitsToSingle(swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt32(b)) : BitConverter.ToInt32(b))
                        : (float)BitConverter.Int64BitsToDouble(swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt64(b)) : BitConverter.ToInt64(b));
                }

                t = tensor(values, shape);
            }
            else
            {
                var values = new long[count];
                for (long i = 0; i < count; i++)
                {
                    ReadOnlySpan<byte> b = Data.AsSpan((int)(i * size), size);
                    values[i] = size == 4
                        ? (swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt32(b)) : BitConverter.ToInt32(b))
                        : (swap ? BinaryPrimitives.ReverseEndianness(BitConverter.ToInt64(b)) : BitConverter.ToInt64(b));
                }

                t = tensor(values, shape);
            }

            if (!Fortran || shape.Length < 2)
            {
                return t;
            }

            using (t)
            {
                return t.permute([.. Enumerable.Range(0, shape.Length).Reverse().Select(i => (long)i)]).contiguous();
            }
        }
    }
}
