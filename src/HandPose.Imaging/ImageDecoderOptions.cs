namespace HandPose.Imaging;

/// <summary>Options for decoding images.</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>
    /// The largest image (width × height) the decoder allocates for, checked from the header before any pixel memory is
    /// allocated. Default 100 megapixels (400 MB as Rgba32); raise it deliberately for larger files.
    /// </summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Whether to rotate/flip the result according to the EXIF orientation tag. Default false.</summary>
    public bool ApplyExifOrientation { get; init; }

    /// <summary>
    /// Whether truncated data (Skia's "incomplete input") yields the partial image, the missing rows filled, instead of
    /// an <see cref="ImageFormatException"/>. Default false.
    /// </summary>
    public bool AllowIncompleteInput { get; init; }

    /// <summary>The defaults.</summary>
    public static ImageDecoderOptions Default { get; } = new();
}
