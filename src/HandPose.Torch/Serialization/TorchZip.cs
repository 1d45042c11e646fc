using System.Collections;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace HandPose.Torch.Serialization;

/// <summary>
/// Reads the pickle of a <c>torch.save</c> zip (PyTorch ≥ 1.6) with every size checked before anything is
/// allocated. TorchSharp.PyBridge's reader trusts the pickle: a storage's declared element count sizes its buffer and
/// a tensor's shape and strides go to libtorch unchecked, so a corrupt file could allocate gigabytes or fail inside
/// libtorch. Here a storage must be exactly as long as its <c>data/KEY</c> entry (which the file's size bounds), and a
/// tensor's shape, strides and offset must lie inside its storage; anything else is a <see cref="ModelLoadException"/>.
/// PyBridge's own readers (optimizer state) keep working: its tensor constructor is wrapped, not replaced.
/// </summary>
internal static class TorchZip
{
    /// <summary>The largest tensor rank accepted (libtorch's own limit is far above any state dict's).</summary>
    private const int MaxRank = 16;

    static TorchZip()
    {
        // PyBridge registers its constructors in its type initialiser, which runs once: run it first, then wrap.
        RuntimeHelpers.RunClassConstructor(typeof(PyTorchUnpickler).TypeHandle);
        CheckedUnpickler.WrapTensorConstructors();
    }

    /// <summary>Whether an exception thrown while reading a pickle or zip means "not a readable file" (rather than a bug).</summary>
    public static bool IsFormatError(Exception ex) =>
        ex is InvalidDataException or EndOfStreamException or NotImplementedException or InvalidCastException
            or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException
            or IOException or PickleException or FormatException or IndexOutOfRangeException or OverflowException
            or ExternalException;

    /// <summary>Unpickles the file's <c>data.pkl</c>, loading the storages it references (checked).</summary>
    /// <param name="path">The file.</param>
    public static Hashtable Read(string path)
    {
        using FileStream file = File.OpenRead(path);
        return Read(file, path);
    }

    /// <summary>Unpickles a <c>torch.save</c> zip held in a seekable stream (left open).</summary>
    /// <param name="stream">The stream, positioned at the zip's start.</param>
    /// <param name="origin">What to name in errors (the file path).</param>
    public static Hashtable Read(Stream stream, string origin)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        ZipArchiveEntry[] pickles = [.. archive.Entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))];
        if (pickles.Length != 1)
        {
            throw new ModelLoadException(origin, $"a torch.save zip has exactly one data.pkl entry, this one has {pickles.Length}");
        }

        ZipArchiveEntry pickle = pickles[0];
        long limit = stream.Length;
        if (pickle.Length > limit)
        {
            throw new ModelLoadException(origin, $"data.pkl declares {pickle.Length} bytes in a {limit}-byte file");
        }

        byte[] bytes = new byte[pickle.Length];
        using (Stream s = pickle.Open())
        {
            s.ReadExactly(bytes);
        }

        string prefix = pickle.FullName[..^"data.pkl".Length];
        using var unpickler = new CheckedUnpickler(archive, prefix, limit, origin);
        return unpickler.loads(bytes) as Hashtable
            ?? throw new ModelLoadException(origin, "data.pkl does not hold a dictionary (a state dict or checkpoint)");
    }

    /// <summary>The bytes and type of one storage, as the persistent id announced and the zip entry held.</summary>
    private sealed record Storage(ScalarType Type, long Count, byte[] Bytes, string Origin);

    private sealed class CheckedUnpickler(ZipArchive archive, string prefix, long limit, string origin) : Unpickler
    {
        public static void WrapTensorConstructors()
        {
            foreach (string name in (string[])["_rebuild_tensor", "_rebuild_tensor_v2"])
            {
                objectConstructors.TryGetValue("torch._utils." + name, out IObjectConstructor? original);
                registerConstructor("torch._utils", name, new RebuildTensor(original));
            }
        }

        /// <summary>torch.save's persistent id: ('storage', storage type, key, location, element count).</summary>
        protected override object persistentLoad(object pid)
        {
            if (pid is not object[] { Length: >= 5 } id || id[0] is not "storage" || id[1] is not ClassDictConstructor type || id[2] is not string key)
            {
                throw new ModelLoadException(origin, "a persistent id is not ('storage', type, key, location, count): not a torch.save file");
            }

            ScalarType dtype = StorageType(type.name);
            long count = Convert.ToInt64(id[4], System.Globalization.CultureInfo.InvariantCulture);
            long size = count < 0 || count > limit ? -1 : count * ElementSize(dtype);
            ZipArchiveEntry entry = archive.GetEntry(prefix + "data/" + key)
                ?? throw new ModelLoadException(origin, $"storage '{key}' has no entry data/{key}");
            if (size < 0 || size != entry.Length || size > limit)
            {
                throw new ModelLoadException(origin, $"storage '{key}' declares {count} {type.name} elements but its entry data/{key} holds {entry.Length} bytes (file: {limit} bytes)");
            }

            byte[] bytes = new byte[size];
            using (Stream s = entry.Open())
            {
                s.ReadExactly(bytes);
            }

            return new Storage(dtype, count, bytes, origin);
        }

        private static ScalarType StorageType(string name) => name switch
        {
            "FloatStorage" => ScalarType.Float32,
            "DoubleStorage" => ScalarType.Float64,
            "HalfStorage" => ScalarType.Float16,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            "ComplexFloatStorage" => ScalarType.ComplexFloat32,
            "ComplexDoubleStorage" => ScalarType.ComplexFloat64,
            _ => throw new NotImplementedException($"storage type '{name}' is not one torch.save writes for tensors"),
        };

        private static long ElementSize(ScalarType type) => type switch
        {
            ScalarType.Float64 or ScalarType.Int64 or ScalarType.ComplexFloat32 => 8,
            ScalarType.Float32 or ScalarType.Int32 => 4,
            ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
            ScalarType.ComplexFloat64 => 16,
            _ => 1,
        };
    }

    /// <summary>
    /// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)</c> for <see cref="Storage"/>s, with the
    /// view checked against the storage; anything else (PyBridge's own storages) goes to PyBridge's constructor.
    /// </summary>
    private sealed class RebuildTensor(IObjectConstructor? original) : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args is not [Storage storage, ..])
            {
                return original?.construct(args) ?? throw new PickleException("torch._utils._rebuild_tensor_v2 without a storage");
            }

            if (args.Length < 4 || args[2] is not object[] sizeItems || args[3] is not object[] strideItems || sizeItems.Length != strideItems.Length || sizeItems.Length > MaxRank)
            {
                throw new ModelLoadException(storage.Origin, "a tensor's size and stride are not two tuples of the same length (at most 16)");
            }

            long offset = Convert.ToInt64(args[1], System.Globalization.CultureInfo.InvariantCulture);
            long[] size = [.. sizeItems.Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture))];
            long[] stride = [.. strideItems.Select(i => Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture))];
            string shown = $"size ({string.Join(", ", size)}), stride ({string.Join(", ", stride)}), offset {offset}";
            if (offset < 0 || size.Any(s => s < 0) || stride.Any(s => s < 0))
            {
                throw new ModelLoadException(storage.Origin, $"a tensor has a negative {shown}");
            }

            // The last element the view reads must lie inside the storage (an empty view reads nothing).
            bool nothing = size.Any(s => s == 0);
            long last = offset;
            for (int i = 0; i < size.Length && !nothing; i++)
            {
                if (size[i] > storage.Count || stride[i] > storage.Count)
                {
                    throw new ModelLoadException(storage.Origin, $"a tensor's {shown} does not fit its storage of {storage.Count} elements");
                }

                last = checked(last + ((size[i] - 1) * stride[i]));
            }

            if (!nothing && last >= storage.Count)
            {
                throw new ModelLoadException(storage.Origin, $"a tensor's {shown} reads element {last} of a storage of {storage.Count}");
            }

            using var scope = NewDisposeScope();
            Tensor flat = empty(storage.Count, storage.Type);
            flat.bytes = storage.Bytes;
            return flat.as_strided(size, stride, offset).clone().MoveToOuterDisposeScope();
        }
    }
}
