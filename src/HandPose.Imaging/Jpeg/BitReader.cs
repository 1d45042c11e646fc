using System.Runtime.CompilerServices;

namespace HandPose.Imaging.Jpeg;

/// <summary>
/// Reads entropy-coded bits MSB first, removing byte stuffing (FF 00). At a marker (or the end of the data) it supplies
/// zero bits and counts them, so a scan that really consumed them is reported as truncated.
/// </summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private ulong _bits;
    private int _count;
    private int _phantom;
    private bool _atMarker;

    /// <summary>Starts reading at <paramref name="position"/>.</summary>
    public BitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        Position = position;
    }

    /// <summary>The next unread byte (never past a marker).</summary>
    public int Position { get; private set; }

    /// <summary>Whether bits past the end of the entropy-coded data were consumed.</summary>
    public readonly bool Overrun => _count < _phantom;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int n)
    {
        if (_count < n)
        {
            Fill();
        }
    }

    private void Fill()
    {
        ReadOnlySpan<byte> data = _data;
        int pos = Position;

        // Fast path: 6 bytes with no 0xFF among them.
        if (!_atMarker && _count <= 16 && pos + 6 <= data.Length)
        {
            ReadOnlySpan<byte> six = data.Slice(pos, 6);
            if (six.IndexOf((byte)0xFF) < 0)
            {
                ulong v = ((ulong)six[0] << 40) | ((ulong)six[1] << 32) | ((ulong)six[2] << 24) | ((ulong)six[3] << 16) | ((ulong)six[4] << 8) | six[5];
                _bits |= v << (16 - _count);
                _count += 48;
                Position = pos + 6;
                return;
            }
        }

        while (_count <= 56)
        {
            int b = 0;
            if (!_atMarker && pos < data.Length)
            {
                b = data[pos];
                if (b == 0xFF)
                {
                    if (pos + 1 < data.Length && data[pos + 1] == 0)
                    {
                        pos += 2;
                    }
                    else
                    {
                        _atMarker = true;
                        b = 0;
                        _phantom += 8;
                    }
                }
                else
                {
                    pos++;
                }
            }
            else
            {
                _phantom += 8;
            }

            _bits |= (ulong)b << (56 - _count);
            _count += 8;
        }

        Position = pos;
    }

    /// <summary>Decodes one Huffman symbol.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Decode(HuffmanTable table)
    {
        Ensure(16);
        int entry = table.Fast[(int)(_bits >> (64 - HuffmanTable.FastBits))];
        if (entry != 0)
        {
            int length = entry >> 8;
            _bits <<= length;
            _count -= length;
            return entry & 0xFF;
        }

        return DecodeSlow(table);
    }

    /// <summary>
    /// AC fast path: when the next code and its extra bits fit in the lookahead window, consumes them and returns
    /// (value &lt;&lt; 16) | (run &lt;&lt; 8) | bits; otherwise returns 0 and consumes nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TryDecodeAc(HuffmanTable table)
    {
        Ensure(16);
        int entry = table.FastAc[(int)(_bits >> (64 - HuffmanTable.FastBits))];
        int length = entry & 0xFF;
        _bits <<= length;
        _count -= length;
        return entry;
    }

    private int DecodeSlow(HuffmanTable table)
    {
        int code16 = (int)(_bits >> 48);
        for (int length = HuffmanTable.FastBits + 1; length <= 16; length++)
        {
            int code = code16 >> (16 - length);
            if (code <= table.MaxCode[length])
            {
                _bits <<= length;
                _count -= length;
                return table.Values[(code + table.ValueOffset[length]) & 0xFF];
            }
        }

        throw JpegDecoder.Corrupt("invalid Huffman code in the entropy-coded data");
    }

    /// <summary>Reads <paramref name="n"/> (1..16) bits and sign-extends them as T.81 F.2.2.1 EXTEND.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReceiveExtend(int n)
    {
        Ensure(n);
        int v = (int)(_bits >> (64 - n));
        _bits <<= n;
        _count -= n;
        return v < (1 << (n - 1)) ? v + (-1 << n) + 1 : v;
    }

    /// <summary>Reads <paramref name="n"/> (1..16) raw bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBits(int n)
    {
        Ensure(n);
        int v = (int)(_bits >> (64 - n));
        _bits <<= n;
        _count -= n;
        return v;
    }

    /// <summary>Reads one bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetBit()
    {
        Ensure(1);
        int v = (int)(_bits >> 63);
        _bits <<= 1;
        _count--;
        return v;
    }

    /// <summary>Throws when the data ran out before the scan did.</summary>
    public readonly void ThrowIfOverrun()
    {
        if (Overrun)
        {
            throw JpegDecoder.Corrupt("the entropy-coded data is truncated (a marker or the end of the file came too early)");
        }
    }

    /// <summary>Discards the buffered bits and consumes the RSTn marker that ends a restart interval.</summary>
    public void Restart()
    {
        ThrowIfOverrun();
        _bits = 0;
        _count = 0;
        _phantom = 0;
        _atMarker = false;
        int pos = JpegDecoder.FindMarker(_data, Position);
        if (pos < 0)
        {
            throw JpegDecoder.Corrupt("the data ends inside a restart interval");
        }

        byte marker = _data[pos + 1];
        if (marker < 0xD0 || marker > 0xD7)
        {
            throw JpegDecoder.Corrupt($"expected a restart marker, found marker 0x{marker:X2}");
        }

        Position = pos + 2;
    }
}
