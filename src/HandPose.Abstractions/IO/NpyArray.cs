using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HandPose.IO;

/// <summary>
/// A float32 array with a shape, read from and written to NumPy's <c>.npy</c> format (version 1.0/2.0, C order).
/// Reading accepts little-endian <c>&lt;f4</c>, <c>&lt;f8</c>, <c>&lt;i4</c>, <c>&lt;i8</c>, <c>|u1</c> and converts to float32.
/// </summary>
/// <remarks>Instances are not thread-safe for writes to <see cref="Data"/>.</remarks>
public sealed partial class NpyArray
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Creates an array over existing data.</summary>
    /// <param name="shape">The shape (an empty shape is a scalar).</param>
    /// <param name="data">The values in C order; length must be the product of the shape.</param>
    /// <exception cref="ArgumentException">The data length does not match the shape, or a dimension is negative.</exception>
    public NpyArray(IReadOnlyList<int> shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Any(d => d < 0))
        {
            throw new ArgumentException($"Dimensions must be non-negative; got [{string.Join(", ", shape)}].", nameof(shape));
        }

        long count = shape.Aggregate(1L, (a, d) => a * d);
        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] holds {count} values; got {data.Length}.", nameof(data));
        }

        Shape = shape.ToArray();
        Data = data;
    }

    /// <summary>The shape.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values in C order.</summary>
    public float[] Data { get; }

    /// <summary>Reads an array from a file.</summary>
    /// <param name="path">The .npy file.</param>
    /// <returns>The array.</returns>
    /// <exception cref="DataFormatException">The file is not a supported .npy array; the message says what was found.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static NpyArray Load(string path)
    {
        try
        {
            return Read(File.ReadAllBytes(path));
        }
        catch (DataFormatException ex)
        {
            throw ex.WithSource(path);
        }
    }

    /// <summary>Parses an array from bytes.</summary>
    /// <param name="bytes">The .npy file's contents.</param>
    /// <returns>The array.</returns>
    /// <exception cref="DataFormatException">The bytes are not a supported .npy array.</exception>
    public static NpyArray Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
        {
            throw new DataFormatException(".npy", "Not a .npy file (missing the \\x93NUMPY magic).");
        }

        int major = bytes[6];
        int headerLength, offset;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]);
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12)
            {
                throw new DataFormatException(".npy", "Truncated .npy header.");
            }

            uint length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            headerLength = length <= int.MaxValue - 12 ? (int)length : -1;
            offset = 12;
        }
        else
        {
            throw new DataFormatException(".npy", $"Unsupported .npy version {major}.");
        }

        if (headerLength < 0 || bytes.Length < offset + headerLength)
        {
            throw new DataFormatException(".npy", "Truncated .npy header.");
        }

        string header = Encoding.Latin1.GetString(bytes.Slice(offset, headerLength));
        Match descr = DescrPattern().Match(header);
        Match order = FortranPattern().Match(header);
        Match shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !order.Success || !shapeMatch.Success)
        {
            throw new DataFormatException(".npy", $"Unreadable .npy header: {header.Trim()}");
        }

        if (order.Groups[1].Value == "True")
        {
            throw new DataFormatException(".npy", "Fortran-ordered .npy arrays are not supported; save with C order.");
        }

        long[] dims = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long d) && d <= int.MaxValue
                ? d
                : throw new DataFormatException(".npy", $"Unreadable .npy shape dimension '{s}' in header: {header.Trim()}"))
            .ToArray();
        long count = HandPoseLimits.CheckElements(dims, ".npy array");
        int[] shape = Array.ConvertAll(dims, d => (int)d);
        string dtype = descr.Groups[1].Value;
        int size = dtype switch
        {
            "<f4" or "<i4" => 4,
            "<f8" or "<i8" => 8,
            "|u1" or "<u1" or "|b1" => 1,
            _ => throw new DataFormatException(".npy", $"Unsupported .npy dtype '{dtype}'; expected <f4, <f8, <i4, <i8 or |u1."),
        };
        ReadOnlySpan<byte> payload = bytes[(offset + headerLength)..];
        if (payload.Length < count * size)
        {
            throw new DataFormatException(".npy", $"Truncated .npy data: shape [{string.Join(", ", shape)}] of {dtype} needs {count * size} bytes, file has {payload.Length}.");
        }

        var data = new float[count];
        for (int i = 0; i < data.Length; i++)
        {
            ReadOnlySpan<byte> v = payload.Slice(i * size, size);
            data[i] = dtype switch
            {
                "<f4" => BinaryPrimitives.ReadSingleLittleEndian(v),
                "<f8" => (float)BinaryPrimitives.ReadDoubleLittleEndian(v),
                "<i4" => BinaryPrimitives.ReadInt32LittleEndian(v),
                "<i8" => BinaryPrimitives.ReadInt64LittleEndian(v),
                _ => v[0],
            };
        }

        return new NpyArray(shape, data);
    }

    /// <summary>Writes the array as a version 1.0 .npy file of little-endian float32.</summary>
    /// <param name="path">The file to create or overwrite.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        using FileStream stream = File.Create(path);
        Write(stream);
    }

    /// <summary>Writes the array as a version 1.0 .npy stream of little-endian float32.</summary>
    /// <param name="stream">The destination.</param>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string shape = Shape.Count == 1
            ? $"({Shape[0]},)"
            : $"({string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)))})";
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}";
        int total = Magic.Length + 4 + header.Length + 1;
        int padding = (64 - (total % 64)) % 64;
        header = header + new string(' ', padding) + "\n";
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, checked((ushort)header.Length));
        stream.Write(len);
        stream.Write(Encoding.Latin1.GetBytes(header));
        var buffer = new byte[Data.Length * 4];
        for (int i = 0; i < Data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer.AsSpan(i * 4), Data[i]);
        }

        stream.Write(buffer);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
