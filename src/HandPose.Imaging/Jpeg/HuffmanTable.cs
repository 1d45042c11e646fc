namespace HandPose.Imaging.Jpeg;

/// <summary>A canonical Huffman decoding table (ITU T.81 annex C) with a 9-bit lookahead table.</summary>
internal sealed class HuffmanTable
{
    /// <summary>Bits of lookahead resolved by <see cref="Fast"/>.</summary>
    public const int FastBits = 9;

    /// <summary>Indexed by the next 9 bits: (code length &lt;&lt; 8) | symbol, or 0 when the code is longer.</summary>
    public readonly ushort[] Fast = new ushort[1 << FastBits];

    /// <summary>Largest code of each length (1..16), -1 when the length has no code.</summary>
    public readonly int[] MaxCode = new int[17];

    /// <summary>Index of a code's symbol = code + ValueOffset[length].</summary>
    public readonly int[] ValueOffset = new int[17];

    /// <summary>
    /// AC tables: indexed by the next 9 bits, a whole (run, value) pair when its code and its extra bits fit in them:
    /// (value &lt;&lt; 16) | (run &lt;&lt; 8) | total bits; 0 when the slow path must decode it.
    /// </summary>
    public readonly int[] FastAc = new int[1 << FastBits];

    /// <summary>Symbols in code order (always 256 long so a masked index stays in range).</summary>
    public readonly byte[] Values = new byte[256];

    /// <summary>Builds a table from a DHT segment's 16 counts and its symbols.</summary>
    /// <param name="counts">Number of codes of each length 1..16.</param>
    /// <param name="values">The symbols.</param>
    /// <param name="isDc">Whether the table is a DC table (symbols must be at most 15).</param>
    /// <returns>The table.</returns>
    /// <exception cref="ImageFormatException">The counts describe an impossible code.</exception>
    public static HuffmanTable Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, bool isDc)
    {
        var table = new HuffmanTable();
        values.CopyTo(table.Values);
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            table.ValueOffset[length] = k - code;
            for (int i = 0; i < n; i++, code++, k++)
            {
                if (code >= (1 << length) - 1 && length <= FastBits)
                {
                    throw JpegDecoder.Corrupt("a Huffman table declares more codes than its lengths allow");
                }

                if (isDc && values[k] > 15)
                {
                    throw JpegDecoder.Corrupt($"DC Huffman symbol {values[k]} is larger than 15");
                }

                if (length <= FastBits)
                {
                    int shift = FastBits - length;
                    ushort entry = (ushort)((length << 8) | values[k]);
                    table.Fast.AsSpan(code << shift, 1 << shift).Fill(entry);
                }
            }

            table.MaxCode[length] = n == 0 ? -1 : code - 1;
            if (code >= 1 << length)
            {
                throw JpegDecoder.Corrupt("a Huffman table declares more codes than its lengths allow");
            }

            code <<= 1;
        }

        if (!isDc)
        {
            table.BuildFastAc();
        }

        return table;
    }

    private void BuildFastAc()
    {
        for (int bits = 0; bits < Fast.Length; bits++)
        {
            int entry = Fast[bits];
            if (entry == 0)
            {
                continue;
            }

            int length = entry >> 8, rs = entry & 0xFF, run = rs >> 4, size = rs & 15;
            if (size == 0 || length + size > FastBits)
            {
                continue; // EOB/ZRL or extra bits beyond the window: the ordinary path handles them
            }

            int extra = (bits >> (FastBits - length - size)) & ((1 << size) - 1);
            int value = extra < (1 << (size - 1)) ? extra + (-1 << size) + 1 : extra;
            FastAc[bits] = (value << 16) | (run << 8) | (length + size);
        }
    }
}
