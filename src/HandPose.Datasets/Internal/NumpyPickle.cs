using System.Buffers.Binary;
using Razorvine.Pickle;

namespace HandPose.Datasets.Internal;

/// <summary>A NumPy array as a pickle holds it (numeric dtypes), values widened to double in C order.</summary>
internal sealed class NumpyArray
{
    public int[] Shape { get; private set; } = [];

    public double[] Values { get; private set; } = [];

    /// <summary>Called by the unpickler's BUILD: (version, shape, dtype, is_fortran, raw bytes).</summary>
    public void __setstate__(object[] state)
    {
        if (state.Length < 5 || state[1] is not object[] shape || state[2] is not NumpyDtype dtype)
        {
            throw new PickleException("unsupported ndarray state");
        }

        Shape = shape.Select(s => Convert.ToInt32(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        bool fortran = state[3] is true;
        byte[] raw = state[4] switch
        {
            byte[] b => b,
            string s => s.Select(c => (byte)c).ToArray(), // Python 2 str, read as Latin-1
            _ => throw new PickleException($"ndarray data of type {state[4]?.GetType().Name ?? "None"} (object arrays) is not supported"),
        };
        long count = Shape.Aggregate(1L, (a, b) => a * b);
        if (raw.Length != count * dtype.Size)
        {
            throw new PickleException($"ndarray of shape ({string.Join(", ", Shape)}) and dtype {dtype.Code} needs {count * dtype.Size} bytes; got {raw.Length}");
        }

        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = dtype.Read(raw.AsSpan(i * dtype.Size, dtype.Size));
        }

        Values = fortran && Shape.Length > 1 ? ToCOrder(values, Shape) : values;
    }

    private static double[] ToCOrder(double[] fortran, int[] shape)
    {
        var result = new double[fortran.Length];
        var index = new int[shape.Length];
        for (int c = 0; c < result.Length; c++)
        {
            int f = 0, stride = 1;
            for (int d = 0; d < shape.Length; d++)
            {
                f += index[d] * stride;
                stride *= shape[d];
            }

            result[c] = fortran[f];
            for (int d = shape.Length - 1; d >= 0 && ++index[d] == shape[d]; d--)
            {
                index[d] = 0;
            }
        }

        return result;
    }
}

/// <summary>A NumPy dtype as a pickle holds it: <c>dtype("f8", False, True)</c> then BUILD with the byte order.</summary>
internal sealed class NumpyDtype(string code)
{
    private bool _bigEndian;

    public string Code { get; } = code;

    public int Size => Code switch
    {
        "f8" or "i8" or "u8" => 8,
        "f4" or "i4" or "u4" => 4,
        "i2" or "u2" => 2,
        "u1" or "i1" or "b1" => 1,
        _ => throw new PickleException($"unsupported dtype '{Code}'"),
    };

    public void __setstate__(object[] state) => _bigEndian = state.Length > 1 && state[1] is ">";

    public double Read(ReadOnlySpan<byte> b) => Code switch
    {
        "f8" => BitConverter.Int64BitsToDouble(_bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b)),
        "f4" => BitConverter.Int32BitsToSingle(_bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b)),
        "i8" => _bigEndian ? BinaryPrimitives.ReadInt64BigEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b),
        "u8" => _bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(b) : BinaryPrimitives.ReadUInt64LittleEndian(b),
        "i4" => _bigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b),
        "u4" => _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(b) : BinaryPrimitives.ReadUInt32LittleEndian(b),
        "i2" => _bigEndian ? BinaryPrimitives.ReadInt16BigEndian(b) : BinaryPrimitives.ReadInt16LittleEndian(b),
        "u2" => _bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(b) : BinaryPrimitives.ReadUInt16LittleEndian(b),
        "i1" => (sbyte)b[0],
        _ => b[0],
    };
}

/// <summary>Reads pickles of dicts/lists/NumPy arrays (what Python-era dataset annotations are) with Razorvine.Pickle.</summary>
internal static class NumpyPickle
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        foreach (string module in (string[])["numpy.core.multiarray", "numpy._core.multiarray"])
        {
            Unpickler.registerConstructor(module, "_reconstruct", new Constructor(_ => new NumpyArray()));
        }

        Unpickler.registerConstructor("numpy", "dtype", new Constructor(a => new NumpyDtype(a.Length > 0 && a[0] is string s ? s : "?")));
        Unpickler.registerConstructor("_codecs", "encode", new Constructor(a => a.Length > 0 && a[0] is string s ? s.Select(c => (byte)c).ToArray() : Array.Empty<byte>()));
        return true;
    });

    public static object Load(byte[] bytes, string path, string format)
    {
        _ = Registered.Value;
        try
        {
            using var unpickler = new Unpickler();
            return unpickler.loads(bytes);
        }
        catch (Exception ex) when (ex is PickleException or InvalidCastException or IndexOutOfRangeException or ArgumentException or EndOfStreamException or OverflowException or System.Reflection.TargetInvocationException)
        {
            string reason = ex is System.Reflection.TargetInvocationException { InnerException: { } inner } ? inner.Message : ex.Message;
            throw new DataFormatException(format, $"{path}: not a readable pickle of NumPy annotations ({reason}).", ex);
        }
    }

    private sealed class Constructor(Func<object[], object> create) : IObjectConstructor
    {
        public object construct(object[] args) => create(args);
    }
}
