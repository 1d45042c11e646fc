using HandPose.Imaging.Codecs;
using SkiaSharp;

namespace HandPose.Imaging;

/// <summary>
/// Decodes images through SkiaSharp (JPEG baseline and progressive, PNG of every type and depth incl. 16-bit and Adam7,
/// WebP, GIF's first frame, BMP, ICO, WBMP) into 8-bit <see cref="ImageBuffer"/>s (Gray8, Rgb24 or Rgba32); the codec
/// is chosen from the data, never the file name.
/// </summary>
/// <remarks>
/// Every malformed, truncated, unsupported or too large input raises <see cref="ImageFormatException"/>; the pixel
/// limit (<see cref="ImageDecoderOptions.MaxPixels"/>) is checked from the header before the pixels are allocated, and
/// truncated data is an error unless <see cref="ImageDecoderOptions.AllowIncompleteInput"/> is set. No colour management
/// is applied (stored values, like Pillow and libjpeg-turbo). 16-bit files decode straight to 8 bits. Thread-safe.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The container format from the data's signature: "JPEG", "PNG", "WebP", "GIF", "BMP" or null.</summary>
    /// <param name="data">The file bytes (the first 12 suffice).</param>
    /// <returns>The format name, or null when no signature of these matches.</returns>
    public static string? DetectFormat(ReadOnlySpan<byte> data) => FormatName.FromSignature(data);

    /// <summary>Reads the header: format, stored size, channels, bit depth, EXIF orientation (and JPEG/PNG details) without decoding pixels.</summary>
    /// <param name="data">The file bytes.</param>
    /// <returns>The image's description.</returns>
    /// <exception cref="ImageFormatException">The data is not an image header SkiaSharp reads.</exception>
    public static ImageInfo Identify(ReadOnlySpan<byte> data)
    {
        (string format, SKImageInfo info, int origin) = SkiaDecoding.WithCodec(data, 0, static (c, _) => (FormatName.Of(c.EncodedFormat), c.Info, (int)c.EncodedOrigin));
        int channels = info.ColorType == SKColorType.Gray8 ? 1 : info.AlphaType == SKAlphaType.Opaque ? 3 : 4;
        var result = new ImageInfo(format, info.Width, info.Height, channels, 8) { Orientation = origin is >= 1 and <= 8 ? origin : 1 };
        return HeaderFacts.Read(data, format, channels == 4) is { } h
            ? result with { Channels = h.Channels, BitDepth = h.BitDepth, Subsampling = h.Subsampling, Progressive = h.Progressive }
            : result;
    }

    /// <summary>Reads the header of an image file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The image's description.</returns>
    /// <exception cref="ImageFormatException">The file is not an image SkiaSharp reads.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ImageInfo Identify(string path) => Identify(File.ReadAllBytes(path));

    /// <summary>Decodes an image (the first frame of an animation).</summary>
    /// <param name="data">The file bytes.</param>
    /// <param name="options">Limits, truncation and EXIF handling; null means <see cref="ImageDecoderOptions.Default"/>.</param>
    /// <returns>A new buffer: Gray8 for gray images, Rgb24 for opaque colour, Rgba32 when the file has alpha or transparency.</returns>
    /// <exception cref="ImageFormatException">The data is malformed, truncated, unsupported or over the pixel limit.</exception>
    public static ImageBuffer Decode(ReadOnlySpan<byte> data, ImageDecoderOptions? options = null) =>
        SkiaDecoding.WithCodec(data, options ?? ImageDecoderOptions.Default, SkiaDecoding.Decode);

    /// <summary>Reads and decodes an image file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits, truncation and EXIF handling; null means the defaults.</param>
    /// <returns>A new buffer.</returns>
    /// <exception cref="ImageFormatException">The file is malformed, truncated, unsupported or over the pixel limit.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ImageBuffer Load(string path, ImageDecoderOptions? options = null) => Decode(File.ReadAllBytes(path), options);
}
