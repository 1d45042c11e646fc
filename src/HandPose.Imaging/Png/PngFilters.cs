namespace HandPose.Imaging.Png;

/// <summary>PNG scanline filters (PNG spec section 9).</summary>
internal static class PngFilters
{
    public static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Reverses filter <paramref name="type"/> in place on <paramref name="row"/> given the previous reconstructed row.</summary>
    /// <returns>False for an unknown filter type.</returns>
    public static bool Unfilter(int type, Span<byte> row, ReadOnlySpan<byte> up, int bpp)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                return true;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += up[i];
                }

                return true;
            case 3:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    row[i] += (byte)((a + up[i]) >> 1);
                }

                return true;
            case 4:
                for (int i = 0; i < row.Length; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, c = i >= bpp ? up[i - bpp] : 0;
                    row[i] += (byte)Paeth(a, up[i], c);
                }

                return true;
            default:
                return false;
        }
    }
}
