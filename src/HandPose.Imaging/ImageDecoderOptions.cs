namespace HandPose.Imaging;

/// <summary>Options for decoding images.</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>The largest image (width × height) the decoder allocates for; checked before allocating. Default 100 megapixels.</summary>
    public long MaxPixels { get; init; } = 100_000_000;

    /// <summary>Whether to rotate/flip the result according to the EXIF orientation tag. Default false.</summary>
    public bool ApplyExifOrientation { get; init; }

    /// <summary>The defaults.</summary>
    public static ImageDecoderOptions Default { get; } = new();
}
