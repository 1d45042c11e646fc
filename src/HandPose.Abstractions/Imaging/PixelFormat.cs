namespace HandPose.Imaging;

/// <summary>Pixel layouts of <see cref="ImageView"/> and <see cref="ImageBuffer"/>: 8 bits per channel, interleaved.</summary>
public enum PixelFormat
{
    /// <summary>One byte per pixel, luminance.</summary>
    Gray8 = 1,

    /// <summary>Three bytes per pixel: red, green, blue.</summary>
    Rgb24 = 3,

    /// <summary>Four bytes per pixel: red, green, blue, alpha (straight, not premultiplied).</summary>
    Rgba32 = 4,
}

/// <summary>Helpers for <see cref="PixelFormat"/>.</summary>
public static class PixelFormatExtensions
{
    /// <summary>Bytes (channels) per pixel.</summary>
    /// <param name="format">The format.</param>
    /// <returns>1, 3 or 4.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined format.</exception>
    public static int BytesPerPixel(this PixelFormat format) => format switch
    {
        PixelFormat.Gray8 => 1,
        PixelFormat.Rgb24 => 3,
        PixelFormat.Rgba32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
    };
}
