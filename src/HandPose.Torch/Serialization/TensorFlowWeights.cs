using System.Collections;
using HandPose.IO;
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
    /// <summary>Whether a file starts like a pickle that is not a legacy <c>torch.save</c> file.</summary>
    public static bool IsPickle(ReadOnlySpan<byte> head) => head is [0x80, >= 2 and <= 5, ..] && head is not [0x80, _, 0x8a, 0x0a, ..];

    /// <summary>Every array of the file by TF name, in TF layout (float32 or int64 tensors). The caller owns them.</summary>
    /// <exception cref="ModelLoadException">The file is missing, truncated or not a dict of numpy arrays.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        TorchRuntime.EnsureAvailable();
        object? root;
        try
        {
            root = NumpyPickle.Load(path, "TensorFlow weights");
        }
        catch (DataFormatException ex)
        {
            string reason = ex.Reason.StartsWith(path + ": ", StringComparison.Ordinal) ? ex.Reason[(path.Length + 2)..] : ex.Reason;
            throw new ModelLoadException(path, reason.TrimEnd('.'), ex);
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
                if (e.Value is not PickledArray a)
                {
                    throw new ModelLoadException(path, $"'{name}' is a {e.Value?.GetType().Name ?? "None"}, not a numpy array");
                }

                result[name] = ToTensor(a, path, name);
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

    /// <summary>Float arrays become float32 tensors, integer arrays (global_step) int64, in C order.</summary>
    private static Tensor ToTensor(PickledArray array, string path, string name)
    {
        long[] shape = [.. array.Shape.Select(d => (long)d)];
        return array.DType switch
        {
            "f4" or "f8" => tensor(array.ToSingles(), shape),
            "i4" or "i8" => tensor(array.ToInt64s(), shape),
            _ => throw new ModelLoadException(path, $"'{name}' has numpy dtype '{array.DType}'; weights must be float32/float64 (or int32/int64)"),
        };
    }
}
