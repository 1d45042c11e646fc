using System.Buffers.Binary;
using System.Text;

namespace HandPose.Onnx.Tests.TfLite;

/// <summary>
/// Writes small synthetic <c>.tflite</c> files for tests: a forward-only FlatBuffers writer (vtable, then table, then
/// the objects it references) and a graph-building helper over the TFLite schema's field ids. Independent of the
/// library's reader, so reader and converter are tested against files built from the schema, not from themselves.
/// </summary>
internal sealed class TfLiteTestModel
{
    private readonly List<Table> _tensors = [];
    private readonly List<Table> _operators = [];
    private readonly List<byte[]> _buffers = [[]];
    private readonly List<(int Code, string? Custom)> _codes = [];
    private readonly List<int> _inputs = [];
    private readonly List<int> _outputs = [];

    /// <summary>A FlatBuffers table: field id -> byte, bool, int, uint, float, string, int[], byte[], Table, Table[].</summary>
    internal sealed class Table(params (int Id, object Value)[] fields)
    {
        public (int Id, object Value)[] Fields { get; } = fields;
    }

    public int Input(string name, params int[] shape)
    {
        int t = Tensor(name, shape);
        _inputs.Add(t);
        return t;
    }

    public void Output(int tensor) => _outputs.Add(tensor);

    public int Tensor(string name, int[] shape, byte type = 0, int buffer = 0)
    {
        _tensors.Add(new Table((0, shape), (1, type), (2, (uint)buffer), (3, name)));
        return _tensors.Count - 1;
    }

    public int ConstFloat(string name, float[] values, params int[] shape)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return Tensor(name, shape, 0, AddBuffer(bytes));
    }

    /// <summary>A float16 constant followed by a DEQUANTIZE to float32, as TFLite's fp16 models store weights.</summary>
    public int ConstHalfDequantized(string name, float[] values, params int[] shape)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2 * i), (Half)values[i]);
        }

        int half = Tensor(name + "_fp16", shape, 1, AddBuffer(bytes));
        int full = Tensor(name, shape);
        Op(6, [half], [full]);
        return full;
    }

    public int ConstInt(string name, int[] values, params int[] shape)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }

        return Tensor(name, shape, 2, AddBuffer(bytes));
    }

    public void Op(int builtinCode, int[] inputs, int[] outputs, byte optionsType = 0, Table? options = null, string? custom = null)
    {
        int code = _codes.IndexOf((builtinCode, custom));
        if (code < 0)
        {
            _codes.Add((builtinCode, custom));
            code = _codes.Count - 1;
        }

        var fields = new List<(int, object)> { (0, (uint)code), (1, inputs), (2, outputs) };
        if (options is not null)
        {
            fields.Add((3, optionsType));
            fields.Add((4, options));
        }

        _operators.Add(new Table([.. fields]));
    }

    public byte[] ToBytes()
    {
        var subgraph = new Table(
            (0, _tensors.ToArray()), (1, _inputs.ToArray()), (2, _outputs.ToArray()), (3, _operators.ToArray()), (4, "main"));
        Table[] codes = _codes.Select(c => c.Custom is null
            ? new Table((0, (byte)Math.Min(c.Code, 127)), (2, 1), (3, c.Code))
            : new Table((0, (byte)32), (1, c.Custom), (2, 1), (3, 32))).ToArray();
        var model = new Table(
            (0, 3u), (1, codes), (2, new[] { subgraph }), (3, "synthetic test model"),
            (4, _buffers.Select(b => new Table((0, b))).ToArray()));
        return Write(model, "TFL3");
    }

    private int AddBuffer(byte[] bytes)
    {
        _buffers.Add(bytes);
        return _buffers.Count - 1;
    }

    // ---- FlatBuffers writer -------------------------------------------------------------------------------------

    public static byte[] Write(Table root, string identifier)
    {
        var buf = new List<byte>(new byte[8]);
        for (int i = 0; i < 4; i++)
        {
            buf[4 + i] = (byte)identifier[i];
        }

        int rootPos = WriteTable(buf, root);
        Patch(buf, 0, (uint)rootPos);
        return [.. buf];
    }

    private static void Align(List<byte> buf)
    {
        while (buf.Count % 4 != 0)
        {
            buf.Add(0);
        }
    }

    private static void Patch(List<byte> buf, int at, uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            buf[at + i] = (byte)(value >> (8 * i));
        }
    }

    private static void AddU32(List<byte> buf, uint value)
    {
        for (int i = 0; i < 4; i++)
        {
            buf.Add((byte)(value >> (8 * i)));
        }
    }

    private static int WriteTable(List<byte> buf, Table table)
    {
        Align(buf);
        int maxId = table.Fields.Length == 0 ? -1 : table.Fields.Max(f => f.Id);
        int vtableSize = 4 + 2 * (maxId + 1);
        int vtablePos = buf.Count;
        var vtable = new byte[vtableSize + (vtableSize % 4)];
        BinaryPrimitives.WriteUInt16LittleEndian(vtable, (ushort)vtableSize);
        BinaryPrimitives.WriteUInt16LittleEndian(vtable.AsSpan(2), (ushort)(4 + 4 * table.Fields.Length));
        for (int i = 0; i < table.Fields.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(vtable.AsSpan(4 + 2 * table.Fields[i].Id), (ushort)(4 + 4 * i));
        }

        buf.AddRange(vtable);
        int tablePos = buf.Count;
        AddU32(buf, (uint)(tablePos - vtablePos));
        var references = new List<(int Slot, object Value)>();
        foreach ((int _, object value) in table.Fields)
        {
            int slot = buf.Count;
            switch (value)
            {
                case byte b: AddU32(buf, b); break;
                case bool b: AddU32(buf, b ? 1u : 0u); break;
                case int i: AddU32(buf, (uint)i); break;
                case uint u: AddU32(buf, u); break;
                case float f: AddU32(buf, BitConverter.SingleToUInt32Bits(f)); break;
                default: AddU32(buf, 0); references.Add((slot, value)); break;
            }
        }

        foreach ((int slot, object value) in references)
        {
            int target = WriteObject(buf, value);
            Patch(buf, slot, (uint)(target - slot));
        }

        return tablePos;
    }

    private static int WriteObject(List<byte> buf, object value)
    {
        Align(buf);
        int pos = buf.Count;
        switch (value)
        {
            case string s:
                byte[] utf8 = Encoding.UTF8.GetBytes(s);
                AddU32(buf, (uint)utf8.Length);
                buf.AddRange(utf8);
                buf.Add(0);
                return pos;
            case byte[] bytes:
                AddU32(buf, (uint)bytes.Length);
                buf.AddRange(bytes);
                return pos;
            case int[] ints:
                AddU32(buf, (uint)ints.Length);
                foreach (int i in ints)
                {
                    AddU32(buf, (uint)i);
                }

                return pos;
            case Table t:
                return WriteTable(buf, t);
            case Table[] tables:
                AddU32(buf, (uint)tables.Length);
                int first = buf.Count;
                foreach (Table _ in tables)
                {
                    AddU32(buf, 0);
                }

                for (int i = 0; i < tables.Length; i++)
                {
                    int target = WriteTable(buf, tables[i]);
                    Patch(buf, first + 4 * i, (uint)(target - (first + 4 * i)));
                }

                return pos;
            default:
                throw new ArgumentException($"cannot write {value.GetType()}");
        }
    }
}
