using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HandPose.Torch.Serialization;

/// <summary>The safetensors format: an 8-byte little-endian header length, a JSON header, then raw little-endian data.</summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";

    /// <summary>Writes tensors (copied to the CPU) and optional string metadata.</summary>
    /// <param name="path">The file to write (replaced atomically).</param>
    /// <param name="tensors">Named tensors; names must be unique.</param>
    /// <param name="metadata">String metadata, or null.</param>
    public static void Save(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        var blobs = new List<(string Name, DType DType, long[] Shape, byte[] Data)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string name, Tensor tensor) in tensors)
        {
            if (!seen.Add(name) || name == MetadataKey)
            {
                throw new ArgumentException($"Duplicate or reserved tensor name '{name}'.", nameof(tensors));
            }

            blobs.Add((name, tensor.DType, tensor.Shape, tensor.ToBytes()));
        }

        using var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var kv in metadata)
                {
                    json.WriteString(kv.Key, kv.Value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var b in blobs)
            {
                json.WriteStartObject(b.Name);
                json.WriteString("dtype", Code(b.DType));
                json.WriteStartArray("shape");
                foreach (long d in b.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + b.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += b.Data.Length;
            }

            json.WriteEndObject();
        }

        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }

        string temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var b in blobs)
            {
                file.Write(b.Data);
            }
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads every tensor and the metadata.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The tensors in header order, with <see cref="TensorDictionary.Metadata"/>.</returns>
    /// <exception cref="ModelLoadException">The file is missing, truncated or malformed; the message names the file.</exception>
    public static TensorDictionary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ModelLoadException(path, "the file does not exist.");
        }

        var result = new TensorDictionary();
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length < 8)
            {
                throw new InvalidDataException("shorter than the 8-byte header length");
            }

            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            if (headerLength > (ulong)(bytes.Length - 8))
            {
                throw new InvalidDataException($"header length {headerLength} exceeds the file (truncated?)");
            }

            int dataStart = 8 + (int)headerLength;
            using JsonDocument doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
            foreach (JsonProperty entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == MetadataKey)
                {
                    foreach (JsonProperty m in entry.Value.EnumerateObject())
                    {
                        result.Metadata[m.Name] = m.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                DType dtype = Parse(entry.Value.GetProperty("dtype").GetString());
                long[] shape = entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long[] offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                long count = shape.Aggregate(1L, (a, d) => d < 0 ? throw new InvalidDataException($"'{entry.Name}': negative dimension") : a * d);
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] - offsets[0] != count * dtype.ElementSize() || dataStart + offsets[1] > bytes.Length)
                {
                    throw new InvalidDataException($"'{entry.Name}': data offsets [{string.Join(", ", offsets)}] do not fit its shape and the file (truncated?)");
                }

                result.Add(entry.Name, Tensor.FromRaw(bytes.AsSpan(dataStart + (int)offsets[0], (int)(offsets[1] - offsets[0])), dtype, shape, null, 0, Device.Cpu));
            }

            return result;
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException or IOException)
        {
            result.Dispose();
            throw new ModelLoadException(path, $"not a valid safetensors file ({ex.Message}).", ex);
        }
    }

    private static string Code(DType dtype) => dtype switch
    {
        DType.Float32 => "F32",
        DType.Float64 => "F64",
        DType.Float16 => "F16",
        DType.BFloat16 => "BF16",
        DType.Int64 => "I64",
        DType.Int32 => "I32",
        DType.Int16 => "I16",
        DType.Int8 => "I8",
        DType.UInt8 => "U8",
        DType.Bool => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    private static DType Parse(string? code) => code switch
    {
        "F32" => DType.Float32,
        "F64" => DType.Float64,
        "F16" => DType.Float16,
        "BF16" => DType.BFloat16,
        "I64" => DType.Int64,
        "I32" => DType.Int32,
        "I16" => DType.Int16,
        "I8" => DType.Int8,
        "U8" => DType.UInt8,
        "BOOL" => DType.Bool,
        _ => throw new InvalidDataException($"unsupported dtype '{code}'"),
    };

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static double ParseDouble(string value) => double.Parse(value, CultureInfo.InvariantCulture);

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
