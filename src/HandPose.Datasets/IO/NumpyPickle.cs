using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Razorvine.Pickle;

namespace HandPose.IO;

/// <summary>
/// Reads Python pickles of dicts, lists and NumPy arrays — dataset annotations (RHD's <c>anno_*.pickle</c>) and
/// TensorFlow-era weight files (hand3d's) — written by Python 2 or 3 with NumPy 1 or 2, pickle protocols 0 to 5.
/// Dicts become <see cref="System.Collections.Hashtable"/>, lists <see cref="System.Collections.ArrayList"/>, tuples
/// <c>object[]</c>, strings <see cref="string"/>, bytes <c>byte[]</c> and arrays <see cref="PickledArray"/>.
/// </summary>
/// <remarks>
/// This is the process's one reader of NumPy pickles: the underlying unpickler keeps a process-wide registry of
/// constructors, so a second reader registering its own NumPy constructors would break this one (and the reverse).
/// Only NumPy's array and dtype globals are constructed; other classes come back as dictionaries of their state.
/// </remarks>
public static class NumpyPickle
{
    private static readonly Lazy<bool> Registered = new(Register);

    /// <summary>Unpickles <paramref name="pickle"/>.</summary>
    /// <param name="pickle">The pickle's bytes.</param>
    /// <param name="source">The file (or other origin) named in error messages.</param>
    /// <param name="format">The format named by <see cref="DataFormatException.Format"/>, e.g. <c>RHD</c>.</param>
    /// <returns>The pickled object (see the type's summary for how Python types map), or <see langword="null"/> for <c>None</c>.</returns>
    /// <exception cref="DataFormatException">Not a pickle, truncated, an array whose bytes do not fit its shape and dtype, an unsupported dtype or class.</exception>
    public static object? Read(byte[] pickle, string source, string format = "pickle")
    {
        ArgumentNullException.ThrowIfNull(pickle);
        ArgumentNullException.ThrowIfNull(source);
        _ = Registered.Value;
        try
        {
            using var unpickler = new Unpickler();
            return Finish(unpickler.loads(pickle));
        }
#pragma warning disable CA1031 // Razorvine parses untrusted bytes and fails on bad ones with whatever it hits (FormatException, NullReferenceException, …): each means "not a readable pickle".
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            // Razorvine wraps what our constructors throw ("failed to __setstate__()"): name the cause, not just the step.
            Exception cause = ex;
            while (cause.InnerException is { } inner)
            {
                cause = inner;
            }

            string reason = cause == ex || ex is System.Reflection.TargetInvocationException ? cause.Message : $"{ex.Message}: {cause.Message}";
            throw new DataFormatException(format, $"{source}: not a readable pickle of NumPy arrays ({reason}).", ex);
        }
    }

    /// <summary>Reads and unpickles the file at <paramref name="path"/>.</summary>
    /// <param name="path">The pickle file.</param>
    /// <param name="format">The format named by <see cref="DataFormatException.Format"/>.</param>
    /// <returns>The pickled object, as <see cref="Read(byte[], string, string)"/> returns it.</returns>
    /// <exception cref="DataFormatException">The file is missing or unreadable, or its content is not a readable pickle.</exception>
    public static object? Load(string path, string format = "pickle")
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(format, $"{path}: cannot be read ({ex.Message}).", ex);
        }

        return Read(bytes, path, format);
    }

    private static bool Register()
    {
        foreach (string core in (string[])["numpy.core", "numpy._core"])
        {
            // _reconstruct(ndarray, (0,), b'b') then BUILD with the state; _frombuffer(buffer, dtype, shape, order) (protocol 5).
            Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", new Constructor(_ => new NdarrayBuilder()));
            Unpickler.registerConstructor(core + ".numeric", "_frombuffer", new Constructor(NdarrayBuilder.FromBuffer));
        }

        Unpickler.registerConstructor("numpy", "dtype", new Constructor(a => new NumpyDtype(a.Length > 0 && a[0] is string s ? s : "?")));
        Unpickler.registerConstructor("numpy", "ndarray", new Constructor(_ => NdarrayType.Instance));

        // Python 3 pickles Python 2 byte strings (protocol 2) as _codecs.encode(text, 'latin1').
        Unpickler.registerConstructor("_codecs", "encode", new Constructor(a => a.Length > 0 && a[0] is string s ? NdarrayBuilder.Latin1(s) : Array.Empty<byte>()));
        return true;
    }

    /// <summary>Replaces the unpickler's array builders by the arrays they built, without recursion (pickles may nest deeply or refer to themselves).</summary>
    private static object? Finish(object? root)
    {
        var pending = new Stack<object>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        root = Replace(root, pending);
        while (pending.TryPop(out object? node))
        {
            if (!seen.Add(node))
            {
                continue;
            }

            switch (node)
            {
                case System.Collections.Hashtable dict:
                    foreach (object key in dict.Keys.Cast<object>().ToList())
                    {
                        dict[key] = Replace(dict[key], pending);
                    }

                    break;
                case System.Collections.ArrayList list:
                    for (int i = 0; i < list.Count; i++)
                    {
                        list[i] = Replace(list[i], pending);
                    }

                    break;
                case object?[] tuple:
                    for (int i = 0; i < tuple.Length; i++)
                    {
                        tuple[i] = Replace(tuple[i], pending);
                    }

                    break;
            }
        }

        return root;
    }

    private static object? Replace(object? value, Stack<object> pending)
    {
        if (value is NdarrayBuilder builder)
        {
            return builder.Build();
        }

        if (value is System.Collections.Hashtable or System.Collections.ArrayList or object[])
        {
            pending.Push(value);
        }

        return value;
    }

    private sealed class Constructor(Func<object[], object> create) : IObjectConstructor
    {
        public object construct(object[] args) => create(args);
    }

    /// <summary>The <c>numpy.ndarray</c> class, an argument of <c>_reconstruct</c>.</summary>
    private sealed class NdarrayType
    {
        public static readonly NdarrayType Instance = new();
    }
}

/// <summary>A NumPy array read by <see cref="NumpyPickle"/>: shape, dtype and raw bytes, converted on request.</summary>
public sealed class PickledArray
{
    private readonly NumpyDtype _dtype;
    private readonly byte[] _data;
    private readonly bool _fortran;

    internal PickledArray(int[] shape, long count, NumpyDtype dtype, bool fortran, byte[] data)
    {
        Shape = shape;
        Count = count;
        _dtype = dtype;
        _fortran = fortran;
        _data = data;
    }

    /// <summary>The shape, outermost dimension first (C order, also for arrays NumPy stored in Fortran order).</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>NumPy's type code without byte order: <c>f4</c>, <c>f8</c>, <c>i1</c> … <c>i8</c>, <c>u1</c> … <c>u8</c> or <c>b1</c>.</summary>
    public string DType => _dtype.Code;

    /// <summary>The number of elements (the product of <see cref="Shape"/>).</summary>
    public long Count { get; }

    /// <summary>Whether <see cref="DType"/> is a float type (<c>f4</c>, <c>f8</c>).</summary>
    public bool IsFloatingPoint => DType[0] == 'f';

    /// <summary>The values in C order, widened to double (exact for every dtype but 64-bit integers beyond 2⁵³).</summary>
    /// <returns>A new array of <see cref="Count"/> values.</returns>
    public double[] ToDoubles() => Convert(_dtype.ReadDouble);

    /// <summary>The values in C order as float32 (float64 rounds to nearest, as NumPy's <c>astype(np.float32)</c>).</summary>
    /// <returns>A new array of <see cref="Count"/> values.</returns>
    public float[] ToSingles()
    {
        if (DType == "f4" && _dtype.BigEndian != BitConverter.IsLittleEndian && (!_fortran || Shape.Count < 2))
        {
            return MemoryMarshal.Cast<byte, float>(_data).ToArray();
        }

        return DType == "f4" ? Convert(_dtype.ReadSingle) : Convert(b => (float)_dtype.ReadDouble(b));
    }

    /// <summary>The values in C order as 64-bit integers (<c>u8</c> beyond <see cref="long.MaxValue"/> wraps, as in C#).</summary>
    /// <returns>A new array of <see cref="Count"/> values.</returns>
    /// <exception cref="InvalidOperationException">The array holds floats.</exception>
    public long[] ToInt64s() => IsFloatingPoint
        ? throw new InvalidOperationException($"a NumPy array of dtype '{DType}' holds floats, not integers")
        : Convert(_dtype.ReadInt64);

    private T[] Convert<T>(Func<ReadOnlySpan<byte>, T> read)
    {
        int size = _dtype.Size;
        var values = new T[Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = read(_data.AsSpan(i * size, size));
        }

        return _fortran && Shape.Count > 1 ? ToCOrder(values) : values;
    }

    private T[] ToCOrder<T>(T[] fortran)
    {
        var result = new T[fortran.Length];
        var index = new int[Shape.Count];
        for (int c = 0; c < result.Length; c++)
        {
            int f = 0, stride = 1;
            for (int d = 0; d < index.Length; d++)
            {
                f += index[d] * stride;
                stride *= Shape[d];
            }

            result[c] = fortran[f];
            for (int d = index.Length - 1; d >= 0 && ++index[d] == Shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return result;
    }
}

/// <summary>An ndarray being unpickled: <c>_reconstruct</c> creates it, BUILD calls <c>__setstate__</c>; <see cref="Build"/> checks it.</summary>
internal sealed class NdarrayBuilder
{
    private PickledArray? _built;

    // state = (version, shape, dtype, is_fortran, raw bytes), the version absent in old pickles
    public void __setstate__(object[] state)
    {
        int o = state.Length == 5 ? 1 : 0;
        if (state.Length < 4 || state[o] is not object[] shape || state[o + 1] is not NumpyDtype dtype)
        {
            throw new PickleException("unsupported ndarray state (not version, shape, dtype, is_fortran, data)");
        }

        _built = Fill(shape, dtype, state[o + 2] is true, state[o + 3]);
    }

    public PickledArray Build() => _built ?? throw new PickleException("an ndarray without its state (no BUILD after _reconstruct)");

    // _frombuffer(buffer, dtype, shape, order)
    public static object FromBuffer(object[] args)
    {
        if (args.Length < 3 || args[1] is not NumpyDtype dtype || args[2] is not object[] shape)
        {
            throw new PickleException("unsupported _frombuffer arguments (not buffer, dtype, shape, order)");
        }

        return Fill(shape, dtype, args.Length > 3 && args[3] is "F", args[0]);
    }

    /// <summary>Python 2 strings arrive as .NET strings with one char per byte.</summary>
    public static byte[] Latin1(string s)
    {
        var bytes = new byte[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            bytes[i] = s[i] <= 0xff ? (byte)s[i] : throw new InvalidDataException("array data is text, not bytes");
        }

        return bytes;
    }

    private static PickledArray Fill(object[] shape, NumpyDtype dtype, bool fortran, object? data)
    {
        int[] dims = [.. shape.Select(s => Convert.ToInt32(s, CultureInfo.InvariantCulture))];
        if (dims.Any(d => d < 0))
        {
            throw new PickleException($"ndarray shape ({string.Join(", ", dims)}) has a negative dimension");
        }

        byte[] raw = data switch
        {
            byte[] b => b,
            string s => Latin1(s),
            _ => throw new PickleException($"ndarray data is a {data?.GetType().Name ?? "None"}, not bytes (object arrays are not supported)"),
        };

        // Products past int.MaxValue elements cannot match a .NET byte array: clamp them so the check below cannot overflow.
        long count = dims.Aggregate(1L, (a, b) => b == 0 || a <= int.MaxValue ? a * b : long.MaxValue / 16);
        if (count * dtype.Size != raw.LongLength)
        {
            throw new PickleException($"ndarray of shape ({string.Join(", ", dims)}) and dtype '{dtype.Code}' needs {count * dtype.Size} bytes; the pickle has {raw.LongLength} (truncated or corrupt)");
        }

        return new PickledArray(dims, count, dtype, fortran, raw);
    }
}

/// <summary>A NumPy dtype as a pickle holds it: <c>dtype("f8", False, True)</c>, then BUILD with the byte order.</summary>
internal sealed class NumpyDtype(string code)
{
    public string Code { get; } = code;

    public bool BigEndian { get; private set; }

    public int Size => Code switch
    {
        "f8" or "i8" or "u8" => 8,
        "f4" or "i4" or "u4" => 4,
        "i2" or "u2" => 2,
        "u1" or "i1" or "b1" => 1,
        _ => throw new PickleException($"unsupported dtype '{Code}' (numeric dtypes only)"),
    };

    // state = (version, byteorder, subarray, names, fields, elsize, alignment, flags)
    public void __setstate__(object[] state) => BigEndian = state.Length > 1 && state[1] is ">";

    public float ReadSingle(ReadOnlySpan<byte> b) => BitConverter.Int32BitsToSingle(BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b));

    public double ReadDouble(ReadOnlySpan<byte> b) => Code switch
    {
        "f8" => BitConverter.Int64BitsToDouble(BigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b)),
        "f4" => ReadSingle(b),
        "u8" => BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
        _ => ReadInt64(b),
    };

    public long ReadInt64(ReadOnlySpan<byte> b) => Code switch
    {
        "i8" => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        "u8" => unchecked((long)(BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b))),
        "i4" => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        "u4" => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        "i2" => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        "u2" => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        "i1" => (sbyte)b[0],
        "u1" or "b1" => b[0],
        _ => throw new InvalidOperationException($"dtype '{Code}' is not an integer type"),
    };
}
