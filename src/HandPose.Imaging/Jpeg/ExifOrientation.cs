using System.Buffers.Binary;

namespace HandPose.Imaging.Jpeg;

/// <summary>Reads the EXIF orientation tag (0x0112) and applies it to decoded pixels.</summary>
internal static class ExifOrientation
{
    /// <summary>The orientation in a TIFF structure (the APP1 payload after "Exif\0\0"); 1 when absent or unreadable.</summary>
    /// <remarks>A malformed EXIF block is ignored (libjpeg ignores it too): orientation is metadata, not image data.</remarks>
    public static int Read(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }

        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I')
        {
            little = true;
        }
        else if (tiff[0] == 'M' && tiff[1] == 'M')
        {
            little = false;
        }
        else
        {
            return 1;
        }

        if (U16(tiff[2..], little) != 42)
        {
            return 1;
        }

        uint ifd = U32(tiff[4..], little);
        if (ifd > (uint)tiff.Length - 2)
        {
            return 1;
        }

        int count = U16(tiff[(int)ifd..], little);
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2 + (12L * i);
            if (entry + 12 > tiff.Length)
            {
                return 1;
            }

            ReadOnlySpan<byte> e = tiff.Slice((int)entry, 12);
            if (U16(e, little) == 0x0112 && U16(e[2..], little) == 3)
            {
                int value = U16(e[8..], little);
                return value is >= 1 and <= 8 ? value : 1;
            }
        }

        return 1;
    }

    private static int U16(ReadOnlySpan<byte> s, bool little) => little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);

    private static uint U32(ReadOnlySpan<byte> s, bool little) => little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);

    /// <summary>Rotates/flips so the image displays upright (EXIF orientation 2..8).</summary>
    /// <param name="image">The stored pixels.</param>
    /// <param name="orientation">EXIF orientation 1..8.</param>
    /// <returns>A new buffer (or <paramref name="image"/> for orientation 1).</returns>
    public static ImageBuffer Apply(ImageBuffer image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        int w = image.Width, h = image.Height, bpp = image.Format.BytesPerPixel();
        bool swap = orientation >= 5;
        int ow = swap ? h : w, oh = swap ? w : h;
        var result = new ImageBuffer(ow, oh, image.Format);
        ReadOnlySpan<byte> src = image.Memory.Span;
        Span<byte> dst = result.Memory.Span;
        for (int oy = 0; oy < oh; oy++)
        {
            for (int ox = 0; ox < ow; ox++)
            {
                // Source pixel of displayed pixel (ox, oy), per the TIFF/EXIF definition of each orientation.
                (int sx, int sy) = orientation switch
                {
                    2 => (w - 1 - ox, oy),
                    3 => (w - 1 - ox, h - 1 - oy),
                    4 => (ox, h - 1 - oy),
                    5 => (oy, ox),
                    6 => (oy, h - 1 - ox),
                    7 => (w - 1 - oy, h - 1 - ox),
                    _ => (w - 1 - oy, ox),
                };
                src.Slice(((sy * w) + sx) * bpp, bpp).CopyTo(dst.Slice(((oy * ow) + ox) * bpp, bpp));
            }
        }

        return result;
    }
}
