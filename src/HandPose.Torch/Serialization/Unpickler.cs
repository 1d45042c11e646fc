using System.Buffers.Binary;
using System.Text;

namespace HandPose.Torch.Serialization;

/// <summary>
/// The subset of Python's pickle (protocols 2-5) that <c>torch.save</c> writes for state dicts and training
/// checkpoints: dicts, OrderedDicts, lists, tuples, strings, numbers, and tensors rebuilt from persistent storages.
/// Anything else becomes an opaque <see cref="PickleObject"/>; no code is ever run.
/// </summary>
internal sealed class Unpickler
{
    private readonly byte[] _data;
    private readonly Func<object?[], object> _persistentLoad;
    private readonly Stack<List<object?>> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private List<object?> _stack = [];
    private int _pos;

    public Unpickler(byte[] data, Func<object?[], object> persistentLoad)
    {
        _data = data;
        _persistentLoad = persistentLoad;
    }

    public object? Load()
    {
        while (true)
        {
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break; // PROTO
                case 0x95: Read(8); break; // FRAME
                case (byte)'}': Push(new PickleDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(Array.Empty<object?>()); break;
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2))); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4))); break;
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: Push(ReadLong(BinaryPrimitives.ReadInt32LittleEndian(Read(4)))); break; // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Read(8))); break;
                case (byte)'X': Push(Encoding.UTF8.GetString(Read(BinaryPrimitives.ReadInt32LittleEndian(Read(4))))); break;
                case 0x8c: Push(Encoding.UTF8.GetString(Read(ReadByte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Encoding.UTF8.GetString(Read(checked((int)BinaryPrimitives.ReadInt64LittleEndian(Read(8)))))); break;
                case (byte)'U': Push(Encoding.Latin1.GetString(Read(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'T': Push(Encoding.Latin1.GetString(Read(BinaryPrimitives.ReadInt32LittleEndian(Read(4))))); break;
                case (byte)'C': Push(Read(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case (byte)'B': Push(Read(BinaryPrimitives.ReadInt32LittleEndian(Read(4))).ToArray()); break;
                case (byte)'c': Push(new PickleGlobal(ReadLine(), ReadLine())); break;
                case 0x93: // STACK_GLOBAL
                {
                    string name = (string)Pop()!;
                    string module = (string)Pop()!;
                    Push(new PickleGlobal(module, name));
                    break;
                }

                case (byte)'q': _memo[ReadByte()] = Peek(); break;
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Read(4))] = Peek(); break;
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': Push(Memo(ReadByte())); break;
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)))); break;
                case (byte)'(':
                    _marks.Push(_stack);
                    _stack = [];
                    break;
                case (byte)'t': Push(PopMark().ToArray()); break;
                case 0x85: Push(new[] { Pop() }); break;
                case 0x86:
                {
                    object? b = Pop();
                    object? a = Pop();
                    Push(new[] { a, b });
                    break;
                }

                case 0x87:
                {
                    object? c = Pop();
                    object? b = Pop();
                    object? a = Pop();
                    Push(new[] { a, b, c });
                    break;
                }

                case (byte)'a':
                {
                    object? v = Pop();
                    ((List<object?>)Peek()!).Add(v);
                    break;
                }

                case (byte)'e':
                {
                    List<object?> items = PopMark();
                    ((List<object?>)Peek()!).AddRange(items);
                    break;
                }

                case (byte)'s':
                {
                    object? v = Pop();
                    object? k = Pop();
                    AsDict(Peek()).Set(k, v);
                    break;
                }

                case (byte)'u':
                {
                    List<object?> items = PopMark();
                    PickleDict d = AsDict(Peek());
                    for (int i = 0; i + 1 < items.Count; i += 2)
                    {
                        d.Set(items[i], items[i + 1]);
                    }

                    break;
                }

                case (byte)'Q': Push(_persistentLoad(AsTuple(Pop()))); break; // BINPERSID
                case (byte)'R':
                {
                    object?[] args = AsTuple(Pop());
                    Push(Reduce(Pop(), args));
                    break;
                }

                case 0x81: // NEWOBJ
                {
                    object?[] args = AsTuple(Pop());
                    Push(Reduce(Pop(), args));
                    break;
                }

                case (byte)'b': Pop(); break; // BUILD: object state (e.g. OrderedDict._metadata) is not needed
                case (byte)'.': return Pop();
                default:
                    throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {_pos - 1}");
            }
        }
    }

    private static PickleDict AsDict(object? o) => o as PickleDict ?? throw new InvalidDataException($"expected a dict, found {o?.GetType().Name ?? "None"}");

    private static object?[] AsTuple(object? o) => o as object?[] ?? throw new InvalidDataException($"expected a tuple, found {o?.GetType().Name ?? "None"}");

    private static object? Reduce(object? callable, object?[] args)
    {
        if (callable is not PickleGlobal g)
        {
            throw new InvalidDataException("REDUCE of something that is not a global");
        }

        switch (g.Module, g.Name)
        {
            case ("collections", "OrderedDict"):
                return new PickleDict();
            case ("torch._utils", "_rebuild_tensor_v2"):
            case ("torch._utils", "_rebuild_tensor"):
                return new PickleTensor(
                    (PickleStorage)args[0]!,
                    Convert.ToInt64(args[1], System.Globalization.CultureInfo.InvariantCulture),
                    AsTuple(args[2]).Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                    AsTuple(args[3]).Select(v => Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            case ("torch._utils", "_rebuild_parameter"):
            case ("torch._utils", "_rebuild_parameter_with_state"):
                return args[0];
            default:
                return new PickleObject(g, args);
        }
    }

    private object? Memo(long key) => _memo.TryGetValue(key, out object? v) ? v : throw new InvalidDataException($"pickle memo {key} is undefined");

    private void Push(object? o) => _stack.Add(o);

    private object? Peek() => _stack.Count > 0 ? _stack[^1] : throw new InvalidDataException("pickle stack underflow");

    private object? Pop()
    {
        object? o = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return o;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0)
        {
            throw new InvalidDataException("pickle MARK missing");
        }

        List<object?> items = _stack;
        _stack = _marks.Pop();
        return items;
    }

    private byte ReadByte() => Read(1)[0];

    private ReadOnlySpan<byte> Read(int n)
    {
        if (n < 0 || _pos + n > _data.Length)
        {
            throw new InvalidDataException("the pickle stream ends early (truncated file?)");
        }

        var span = new ReadOnlySpan<byte>(_data, _pos, n);
        _pos += n;
        return span;
    }

    private long ReadLong(int n)
    {
        ReadOnlySpan<byte> bytes = Read(n);
        if (n > 8)
        {
            throw new InvalidDataException("integer wider than 64 bits in pickle");
        }

        long v = 0;
        for (int i = n - 1; i >= 0; i--)
        {
            v = (v << 8) | bytes[i];
        }

        if (n is > 0 and < 8 && (bytes[n - 1] & 0x80) != 0)
        {
            v -= 1L << (8 * n);
        }

        return v;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos);
        if (end < 0)
        {
            throw new InvalidDataException("the pickle stream ends early (truncated file?)");
        }

        string s = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        _pos = end + 1;
        return s;
    }
}

/// <summary>A Python global (module + name) met in a pickle.</summary>
internal sealed record PickleGlobal(string Module, string Name);

/// <summary>An object of a class we do not interpret.</summary>
internal sealed record PickleObject(PickleGlobal Type, object?[] Args);

/// <summary>A reference to a storage file of the archive.</summary>
internal sealed record PickleStorage(DType DType, string Key, long Elements);

/// <summary>A tensor view over a storage.</summary>
internal sealed record PickleTensor(PickleStorage Storage, long Offset, long[] Shape, long[] Strides);

/// <summary>A Python dict or OrderedDict (insertion order kept).</summary>
internal sealed class PickleDict
{
    public List<KeyValuePair<object, object?>> Items { get; } = [];

    public void Set(object? key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        int i = Items.FindIndex(kv => kv.Key.Equals(key));
        if (i >= 0)
        {
            Items[i] = new(key, value);
        }
        else
        {
            Items.Add(new(key, value));
        }
    }
}
