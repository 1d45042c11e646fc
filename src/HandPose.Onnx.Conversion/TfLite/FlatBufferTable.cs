using System.Buffers.Binary;
using System.Text;

namespace HandPose.Onnx.TfLite;

/// <summary>
/// One table of a FlatBuffers buffer, read in place with bounds checks. Layout (FlatBuffers binary format): a table
/// starts with a signed 32-bit offset back to its vtable; the vtable holds its own byte size, the table's inline size,
/// then one unsigned 16-bit offset per field id (0 = field absent, use the default). Reference fields (tables,
/// vectors, strings) hold an unsigned 32-bit offset relative to the field's own position; vectors and strings start
/// with their 32-bit element count. Any offset outside the buffer raises <see cref="InvalidDataException"/>.
/// </summary>
internal readonly struct FlatBufferTable
{
    private readonly byte[] _buffer;
    private readonly int _position;
    private readonly int _vtable;
    private readonly int _vtableSize;

    private FlatBufferTable(byte[] buffer, int position)
    {
        _buffer = buffer;
        _position = position;
        CheckRange(buffer, position, 4);
        long vtable = (long)position - BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(position));
        if (vtable < 0 || vtable > buffer.Length - 4)
        {
            throw new InvalidDataException($"table at byte {position} points to a vtable outside the buffer");
        }

        _vtable = (int)vtable;
        _vtableSize = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(_vtable));
        if (_vtableSize < 4 || _vtableSize % 2 != 0 || _vtable + _vtableSize > buffer.Length)
        {
            throw new InvalidDataException($"vtable at byte {_vtable} has an invalid size {_vtableSize}");
        }
    }

    /// <summary>The root table of a buffer (its first 4 bytes are the offset to it).</summary>
    public static FlatBufferTable Root(byte[] buffer)
    {
        CheckRange(buffer, 0, 8);
        return new FlatBufferTable(buffer, checked((int)BinaryPrimitives.ReadUInt32LittleEndian(buffer)));
    }

    /// <summary>The 4-character file identifier stored after the root offset.</summary>
    public static string FileIdentifier(byte[] buffer) =>
        buffer.Length < 8 ? string.Empty : Encoding.ASCII.GetString(buffer, 4, 4);

    public bool Has(int field) => FieldPosition(field) != 0;

    public byte UInt8(int field, byte defaultValue = 0)
    {
        int p = FieldPosition(field);
        return p == 0 ? defaultValue : _buffer[Checked(p, 1)];
    }

    public bool Bool(int field, bool defaultValue = false) => UInt8(field, defaultValue ? (byte)1 : (byte)0) != 0;

    public int Int32(int field, int defaultValue = 0)
    {
        int p = FieldPosition(field);
        return p == 0 ? defaultValue : BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(Checked(p, 4)));
    }

    public uint UInt32(int field, uint defaultValue = 0)
    {
        int p = FieldPosition(field);
        return p == 0 ? defaultValue : BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(Checked(p, 4)));
    }

    public float Float32(int field, float defaultValue = 0f)
    {
        int p = FieldPosition(field);
        return p == 0 ? defaultValue : BinaryPrimitives.ReadSingleLittleEndian(_buffer.AsSpan(Checked(p, 4)));
    }

    public FlatBufferTable? Table(int field)
    {
        int p = FieldPosition(field);
        return p == 0 ? null : new FlatBufferTable(_buffer, Follow(p));
    }

    public string? String(int field)
    {
        int p = FieldPosition(field);
        if (p == 0)
        {
            return null;
        }

        (int start, int count) = VectorAt(Follow(p), 1);
        return Encoding.UTF8.GetString(_buffer, start, count);
    }

    /// <summary>A vector of bytes as a slice of the buffer (no copy); empty when absent.</summary>
    public ReadOnlyMemory<byte> Bytes(int field)
    {
        int p = FieldPosition(field);
        if (p == 0)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        (int start, int count) = VectorAt(Follow(p), 1);
        return _buffer.AsMemory(start, count);
    }

    public int[] Int32s(int field)
    {
        int p = FieldPosition(field);
        if (p == 0)
        {
            return [];
        }

        (int start, int count) = VectorAt(Follow(p), 4);
        var result = new int[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(start + 4 * i));
        }

        return result;
    }

    public float[] Float32s(int field)
    {
        int p = FieldPosition(field);
        if (p == 0)
        {
            return [];
        }

        (int start, int count) = VectorAt(Follow(p), 4);
        var result = new float[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = BinaryPrimitives.ReadSingleLittleEndian(_buffer.AsSpan(start + 4 * i));
        }

        return result;
    }

    public FlatBufferTable[] Tables(int field)
    {
        int p = FieldPosition(field);
        if (p == 0)
        {
            return [];
        }

        (int start, int count) = VectorAt(Follow(p), 4);
        var result = new FlatBufferTable[count];
        for (int i = 0; i < count; i++)
        {
            result[i] = new FlatBufferTable(_buffer, Follow(start + 4 * i));
        }

        return result;
    }

    private static void CheckRange(byte[] buffer, long position, long size)
    {
        if (position < 0 || size < 0 || position + size > buffer.Length)
        {
            throw new InvalidDataException($"{size} bytes at offset {position} lie outside the {buffer.Length}-byte buffer");
        }
    }

    private int FieldPosition(int field)
    {
        int entry = 4 + 2 * field;
        if (entry + 2 > _vtableSize)
        {
            return 0;
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_vtable + entry));
        return offset == 0 ? 0 : _position + offset;
    }

    private int Checked(int position, int size)
    {
        CheckRange(_buffer, position, size);
        return position;
    }

    /// <summary>Follows the 32-bit relative offset stored at <paramref name="position"/>.</summary>
    private int Follow(int position)
    {
        CheckRange(_buffer, position, 4);
        long target = position + (long)BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(position));
        CheckRange(_buffer, target, 4);
        return (int)target;
    }

    private (int Start, int Count) VectorAt(int position, int elementSize)
    {
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(Checked(position, 4)));
        CheckRange(_buffer, position + 4L, (long)count * elementSize);
        return (position + 4, (int)count);
    }
}
