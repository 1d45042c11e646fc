namespace HandPose.Imaging;

/// <summary>What an image file declares about itself, read without decoding the pixels.</summary>
/// <param name="Format">The container format: "JPEG", "PNG", "PPM" or "PGM".</param>
/// <param name="Width">Width in pixels as stored (before any EXIF orientation).</param>
/// <param name="Height">Height in pixels as stored.</param>
/// <param name="Channels">Channels as stored (1 gray, 2 gray+alpha, 3 colour, 4 colour+alpha or CMYK).</param>
/// <param name="BitDepth">Bits per channel as stored.</param>
public sealed record ImageInfo(string Format, int Width, int Height, int Channels, int BitDepth)
{
    /// <summary>JPEG chroma subsampling such as "4:2:0" (null for other formats and grayscale).</summary>
    public string? Subsampling { get; init; }

    /// <summary>Whether a JPEG is progressive (or a PNG interlaced).</summary>
    public bool Progressive { get; init; }

    /// <summary>EXIF orientation tag 1–8 (1 when absent).</summary>
    public int Orientation { get; init; } = 1;
}
