using System.Globalization;
using System.IO.Compression;

namespace HandPose.Torch.Serialization;

/// <summary>
/// Reads the tensors of a file written by PyTorch's <c>torch.save</c> (the zip format of PyTorch ≥ 1.6): a state dict,
/// or a dict holding state dicts (nested names are joined with dots, e.g. <c>state_dict.conv1.weight</c>).
/// Only the pickle subset such files use is interpreted; no Python code is run.
/// </summary>
public static class PyTorchCheckpoint
{
    /// <summary>Loads every tensor of the file, in file order.</summary>
    /// <param name="path">A <c>.pt</c>/<c>.pth</c> file.</param>
    /// <param name="entry">Read only this top-level key (e.g. <c>"state_dict"</c>) without a prefix; null reads everything.</param>
    /// <returns>The named tensors (dispose them, or the dictionary).</returns>
    /// <exception cref="ModelLoadException">The file is missing, truncated, not a torch.save zip, or holds something else; the message names the file.</exception>
    public static TensorDictionary Load(string path, string? entry = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var result = new TensorDictionary();
        try
        {
            using ZipArchive zip = OpenZip(path);
            ZipArchiveEntry pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new ModelLoadException(path, "no <archive>/data.pkl entry: not a torch.save file.");
            string root = pickle.FullName[..(pickle.FullName.IndexOf('/', StringComparison.Ordinal) + 1)];
            object? top = new Unpickler(ReadAll(pickle), PersistentLoad).Load();
            if (entry is not null)
            {
                top = top is PickleDict d && d.Items.FirstOrDefault(kv => Equals(kv.Key, entry)) is { Key: not null } found
                    ? found.Value
                    : throw new ModelLoadException(path, $"no top-level entry '{entry}'.");
            }

            var storages = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            Collect(top, string.Empty, path, zip, root, storages, result);
            if (result.Count == 0)
            {
                throw new ModelLoadException(path, "the file holds no tensors (expected a state dict).");
            }

            return result;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException or InvalidCastException or EngineException or OverflowException)
        {
            result.Dispose();
            throw new ModelLoadException(path, $"not a readable torch.save state dict ({ex.Message}).", ex);
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static ZipArchive OpenZip(string path)
    {
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "the file does not exist.");
        }

        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new ModelLoadException(path, $"not a zip archive, so not a torch.save file of PyTorch ≥ 1.6 (truncated, or the legacy format: re-save it with torch.save in a recent PyTorch). {ex.Message}", ex);
        }
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using Stream s = entry.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static PickleStorage PersistentLoad(object?[] pid)
    {
        if (pid.Length < 5 || pid[0] is not "storage" || pid[1] is not PickleGlobal type || pid[2] is not string key)
        {
            throw new InvalidDataException("unsupported persistent id (expected a tensor storage)");
        }

        DType dtype = type.Name switch
        {
            "FloatStorage" => DType.Float32,
            "DoubleStorage" => DType.Float64,
            "HalfStorage" => DType.Float16,
            "BFloat16Storage" => DType.BFloat16,
            "LongStorage" => DType.Int64,
            "IntStorage" => DType.Int32,
            "ShortStorage" => DType.Int16,
            "CharStorage" => DType.Int8,
            "ByteStorage" => DType.UInt8,
            "BoolStorage" => DType.Bool,
            _ => throw new InvalidDataException($"unsupported storage type {type.Module}.{type.Name}"),
        };
        return new PickleStorage(dtype, key, Convert.ToInt64(pid[4], CultureInfo.InvariantCulture));
    }

    private static void Collect(object? node, string prefix, string path, ZipArchive zip, string root, Dictionary<string, byte[]> storages, TensorDictionary result)
    {
        switch (node)
        {
            case PickleTensor t:
                result.Add(prefix.TrimEnd('.'), Materialize(t, path, zip, root, storages));
                break;
            case PickleDict d:
                foreach (var kv in d.Items)
                {
                    Collect(kv.Value, $"{prefix}{Convert.ToString(kv.Key, CultureInfo.InvariantCulture)}.", path, zip, root, storages, result);
                }

                break;
            case List<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    Collect(list[i], $"{prefix}{i}.", path, zip, root, storages, result);
                }

                break;
        }
    }

    private static Tensor Materialize(PickleTensor t, string path, ZipArchive zip, string root, Dictionary<string, byte[]> storages)
    {
        if (!storages.TryGetValue(t.Storage.Key, out byte[]? bytes))
        {
            ZipArchiveEntry e = zip.GetEntry($"{root}data/{t.Storage.Key}")
                ?? throw new ModelLoadException(path, $"storage '{t.Storage.Key}' is missing from the archive.");
            bytes = ReadAll(e);
            storages[t.Storage.Key] = bytes;
        }

        int size = t.Storage.DType.ElementSize();
        long elements = bytes.Length / size;
        if (t.Shape.Length != t.Strides.Length || t.Shape.Any(d => d < 0) || t.Strides.Any(s => s < 0))
        {
            throw new ModelLoadException(path, $"storage '{t.Storage.Key}': invalid shape/strides.");
        }

        long extent = t.Shape.Any(d => d == 0) ? 0 : t.Offset + 1 + t.Shape.Zip(t.Strides, (d, s) => (d - 1) * s).Sum();
        if (t.Offset < 0 || extent > elements)
        {
            throw new ModelLoadException(path, $"storage '{t.Storage.Key}' holds {elements} elements; a tensor needs {extent} (truncated?).");
        }

        return Tensor.FromRaw(bytes, t.Storage.DType, t.Shape, t.Strides, t.Offset, Device.Cpu);
    }
}
