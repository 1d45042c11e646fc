namespace HandPose.Imaging;

/// <summary>EXIF orientation (1–8, the values of Skia's <c>SKEncodedOrigin</c>): turning stored pixels upright.</summary>
internal static class Orientation
{
    /// <summary>Rotates/flips so the image displays upright (the TIFF/EXIF definition of orientations 2..8).</summary>
    /// <param name="image">The stored pixels.</param>
    /// <param name="orientation">EXIF orientation 1..8.</param>
    /// <returns>A new buffer (or <paramref name="image"/> for orientation 1 or an unknown value).</returns>
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
                // Source pixel of displayed pixel (ox, oy).
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
                src.Slice((sy * image.Stride) + (sx * bpp), bpp).CopyTo(dst.Slice((oy * result.Stride) + (ox * bpp), bpp));
            }
        }

        return result;
    }
}
