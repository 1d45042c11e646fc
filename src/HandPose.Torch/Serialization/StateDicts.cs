using System.Buffers.Binary;
using System.Collections;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace HandPose.Torch.Serialization;

/// <summary>
/// Weights by their official PyTorch names, read by TorchSharp.PyBridge: <c>torch.save</c> state dicts (the zip
/// format of PyTorch 1.6 and later; also a training checkpoint's <c>state_dict</c> entry, and names prefixed by
/// DataParallel's <c>module.</c>) and safetensors files. Every failure is a <see cref="ModelLoadException"/> naming
/// the file and the problem (truncated, foreign, legacy format, missing/unexpected/mis-shaped names).
/// </summary>
public static class StateDicts
{
    /// <summary>Reads every tensor of a state dict file. The caller owns (disposes) the tensors.</summary>
    /// <param name="path">A <c>.pt</c>/<c>.pth</c> written by <c>torch.save</c>, or a <c>.safetensors</c> file (told apart by content).</param>
    /// <exception cref="ModelLoadException">The file is missing, truncated or not a state dict.</exception>
    /// <exception cref="BackendUnavailableException">libtorch does not load.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        TorchRuntime.EnsureAvailable();
        byte[] head = ReadHead(path);
        try
        {
            if (head is [0x50, 0x4b, 0x03, 0x04, ..])
            {
                Hashtable table = TorchZip.Read(path);
                if (table["state_dict"] is Hashtable inner)
                {
                    table = inner; // a training checkpoint: {"state_dict": ..., "epoch": ..., ...}
                }

                var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (DictionaryEntry e in table)
                {
                    if (e.Key is not string name || e.Value is not Tensor t)
                    {
                        throw new ModelLoadException(path, $"entry '{e.Key}' is a {e.Value?.GetType().Name ?? "null"}, not a tensor: not a state dict");
                    }

                    result[name] = t;
                }

                return StripDataParallelPrefix(result);
            }

            if (TensorFlowWeights.IsPickle(head))
            {
                throw new ModelLoadException(path, "a pickle of TensorFlow variables (hand3d's weights format), not a PyTorch state dict; load it into its network with StateDicts.Load");
            }

            if (head is [0x80, ..] || head is [0x8a, 0x0a, ..])
            {
                throw new ModelLoadException(path, "a legacy torch.save file (PyTorch before 1.6), which TorchSharp.PyBridge does not read; re-save it from PyTorch >= 1.6 with torch.save(model.state_dict(), f)");
            }

            CheckSafetensors(path);
            return StripDataParallelPrefix(Safetensors.LoadStateDict(path));
        }
        catch (Exception ex) when (TorchZip.IsFormatError(ex))
        {
            throw new ModelLoadException(path, $"not a readable state dict ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <summary>
    /// Loads a state dict file into a module by name, strictly: every parameter and buffer of the module must be in
    /// the file with the same shape, and the file must hold nothing else. Values are copied (dtype converted).
    /// hand3d's networks also load the official TensorFlow weights: a pickle of numpy arrays keyed by TF variable
    /// names (<c>HandSegNet/conv1_1/weights</c>, TF layouts), from which each network takes its own scopes
    /// (<c>HandSegNet</c>, <c>PoseNet2D</c>, <c>PosePrior</c> + <c>ViewpointNet</c>), converting the layouts.
    /// </summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file (see <see cref="Read"/>), or for hand3d's networks an official <c>.pickle</c>.</param>
    /// <exception cref="ModelLoadException">The file cannot be read, or names are missing, unexpected or mis-shaped (all listed).</exception>
    public static void Load(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        if (TensorFlowWeights.IsPickle(ReadHead(path)))
        {
            TensorFlowWeights.Load(module, path);
            return;
        }

        Dictionary<string, Tensor> source = Read(path);
        try
        {
            Copy(module, source, path);
        }
        finally
        {
            foreach (Tensor t in source.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Saves a module's state dict: safetensors when the path ends in <c>.safetensors</c>, otherwise <c>torch.save</c>'s zip format.</summary>
    /// <param name="module">The module.</param>
    /// <param name="path">The file to write.</param>
    public static void Save(nn.Module module, string path)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            module.save_safetensors(path);
        }
        else
        {
            module.save_py(path);
        }
    }

    /// <summary>Copies named tensors into the module's parameters and buffers (strict, shape-checked).</summary>
    internal static void Copy(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string origin)
    {
        Dictionary<string, Tensor> target = module.state_dict();
        var problems = new List<string>();
        problems.AddRange(target.Keys.Where(k => !source.ContainsKey(k)).Select(k => $"missing '{k}'"));
        problems.AddRange(source.Keys.Where(k => !target.ContainsKey(k)).Select(k => $"unexpected '{k}'"));
        problems.AddRange(target.Where(kv => source.TryGetValue(kv.Key, out Tensor? s) && !s.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"'{kv.Key}' has shape [{string.Join(", ", source[kv.Key].shape)}], the model needs [{string.Join(", ", kv.Value.shape)}]"));
        if (problems.Count > 0)
        {
            string shown = string.Join("; ", problems.Take(12)) + (problems.Count > 12 ? $"; and {problems.Count - 12} more" : string.Empty);
            throw new ModelLoadException(origin, $"the weights do not fit {module.GetType().Name}: {shown}");
        }

        using var noGrad = no_grad();
        foreach ((string name, Tensor t) in target)
        {
            t.copy_(source[name]);
        }
    }

    private static Dictionary<string, Tensor> StripDataParallelPrefix(Dictionary<string, Tensor> tensors) =>
        tensors.Count > 0 && tensors.Keys.All(k => k.StartsWith("module.", StringComparison.Ordinal))
            ? tensors.ToDictionary(kv => kv.Key["module.".Length..], kv => kv.Value, StringComparer.Ordinal)
            : tensors;

    private static byte[] ReadHead(string path)
    {
        try
        {
            using FileStream f = File.OpenRead(path);
            byte[] head = new byte[16];
            int n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return n < 8 ? throw new ModelLoadException(path, $"only {n} bytes: not a state dict") : head;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, ex.Message, ex);
        }
    }

    /// <summary>The safetensors layout (u64 header length, JSON header, data) must cover every tensor's bytes.</summary>
    private static void CheckSafetensors(string path)
    {
        using FileStream f = File.OpenRead(path);
        Span<byte> n = stackalloc byte[8];
        f.ReadExactly(n);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(n);
        if (headerLength > (ulong)(f.Length - 8) || headerLength < 2)
        {
            throw new ModelLoadException(path, $"neither a torch.save zip nor a safetensors file (header length {headerLength}, file {f.Length} bytes)");
        }

        byte[] header = new byte[headerLength];
        f.ReadExactly(header);
        using JsonDocument json = JsonDocument.Parse(header);
        long end = 0;
        foreach (JsonProperty p in json.RootElement.EnumerateObject())
        {
            if (p.Name != "__metadata__")
            {
                end = Math.Max(end, p.Value.GetProperty("data_offsets")[1].GetInt64());
            }
        }

        long available = f.Length - 8 - (long)headerLength;
        if (end > available)
        {
            throw new ModelLoadException(path, $"truncated safetensors file: the header needs {end} data bytes, the file has {available}");
        }
    }
}
