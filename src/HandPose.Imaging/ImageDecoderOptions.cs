namespace HandPose.Imaging;

/// <summary>Options for decoding images.</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>
    /// The largest image (width × height) the decoder allocates for, checked from the header before any pixel memory is
    /// allocated. Default: the process-wide <see cref="HandPoseLimits.MaxImagePixels"/> when the options are created
    /// (2^28 pixels unless configured, e.g. by <c>HANDPOSE_MAX_IMAGE_PIXELS</c>); raise it deliberately for larger files.
    /// </summary>
    public long MaxPixels { get; init; } = HandPoseLimits.MaxImagePixels;

    /// <summary>Whether to rotate/flip the result according to the EXIF orientation tag. Default false.</summary>
    public bool ApplyExifOrientation { get; init; }

    /// <summary>
    /// Whether truncated data (Skia's "incomplete input") yields the partial image, the missing rows filled, instead of
    /// an <see cref="ImageFormatException"/>. Default false.
    /// </summary>
    public bool AllowIncompleteInput { get; init; }

    /// <summary>New options with the defaults (the pixel limit as <see cref="HandPoseLimits.MaxImagePixels"/> is now).</summary>
    public static ImageDecoderOptions Default => new();
}
