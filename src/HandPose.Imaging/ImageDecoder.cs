using HandPose.Imaging.Jpeg;
using HandPose.Imaging.Png;
using HandPose.Imaging.Pnm;

namespace HandPose.Imaging;

/// <summary>
/// Decodes JPEG, PNG and binary PGM/PPM into 8-bit <see cref="ImageBuffer"/>s (Gray8, Rgb24 or Rgba32), choosing the
/// codec from the file's signature (never its extension).
/// </summary>
/// <remarks>
/// Every malformed, truncated, unsupported or too large input raises <see cref="ImageFormatException"/>; the pixel
/// limit (<see cref="ImageDecoderOptions.MaxPixels"/>) is checked before the pixels are allocated. Thread-safe.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>The container format of the data from its signature: "JPEG", "PNG", "PGM", "PPM" or null.</summary>
    /// <param name="data">The file bytes (the first few suffice).</param>
    /// <returns>The format name, or null when no supported signature matches.</returns>
    public static string? DetectFormat(ReadOnlySpan<byte> data) =>
        PngDecoder.IsPng(data) ? "PNG"
        : JpegDecoder.IsJpeg(data) ? "JPEG"
        : PnmCodec.IsPnm(data) ? (data[1] == (byte)'5' ? "PGM" : "PPM")
        : null;

    /// <summary>Reads the header: format, size, channels, bit depth (and JPEG details) without decoding pixels.</summary>
    /// <param name="data">The file bytes.</param>
    /// <returns>The image's description.</returns>
    /// <exception cref="ImageFormatException">The data is not a supported, well-formed image header.</exception>
    public static ImageInfo Identify(ReadOnlySpan<byte> data) => Guarded(DetectFormat(data), data, static d =>
        PngDecoder.IsPng(d) ? PngDecoder.Identify(d) : JpegDecoder.IsJpeg(d) ? JpegDecoder.Identify(d) : PnmCodec.Identify(d));

    /// <summary>Reads the header of an image file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The image's description.</returns>
    /// <exception cref="ImageFormatException">The file is not a supported, well-formed image.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ImageInfo Identify(string path) => Identify(File.ReadAllBytes(path));

    /// <summary>Decodes an image.</summary>
    /// <param name="data">The file bytes.</param>
    /// <param name="options">Limits and EXIF handling; null means <see cref="ImageDecoderOptions.Default"/>.</param>
    /// <returns>A new buffer: Gray8 for gray images, Rgb24 for colour, Rgba32 when the file has alpha or transparency.</returns>
    /// <exception cref="ImageFormatException">The data is malformed, unsupported or over the pixel limit.</exception>
    public static ImageBuffer Decode(ReadOnlySpan<byte> data, ImageDecoderOptions? options = null)
    {
        ImageDecoderOptions o = options ?? ImageDecoderOptions.Default;
        string? format = DetectFormat(data);
        return format switch
        {
            "PNG" => Guarded(format, data, o, static (d, op) => PngDecoder.Decode(d, op)),
            "JPEG" => Guarded(format, data, o, static (d, op) => JpegDecoder.Decode(d, op)),
            _ => Guarded(format, data, o, static (d, op) => PnmCodec.Decode(d, op)),
        };
    }

    /// <summary>Reads and decodes an image file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Limits and EXIF handling; null means the defaults.</param>
    /// <returns>A new buffer.</returns>
    /// <exception cref="ImageFormatException">The file is malformed, unsupported or over the pixel limit.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ImageBuffer Load(string path, ImageDecoderOptions? options = null) => Decode(File.ReadAllBytes(path), options);

    private delegate T Reader<T>(ReadOnlySpan<byte> data);

    private delegate T Reader<T, TArg>(ReadOnlySpan<byte> data, TArg arg);

    private static T Guarded<T>(string? format, ReadOnlySpan<byte> data, Reader<T> read) =>
        Guarded(format, data, read, static (d, r) => r(d));

    /// <summary>The one place that turns codec bugs on hostile input into <see cref="ImageFormatException"/>.</summary>
    private static T Guarded<T, TArg>(string? format, ReadOnlySpan<byte> data, TArg arg, Reader<T, TArg> read)
    {
        if (format is null)
        {
            throw new ImageFormatException("unknown", data.IsEmpty ? "the data is empty." : "not a JPEG, PNG, PGM or PPM file (no known signature).");
        }

        try
        {
            return read(data, arg);
        }
        catch (Exception ex) when (ex is IndexOutOfRangeException or ArgumentException or OverflowException or InvalidDataException or InvalidOperationException)
        {
            throw new ImageFormatException(format, $"malformed data ({ex.GetType().Name}: {ex.Message})", ex);
        }
        catch (OutOfMemoryException ex)
        {
            throw new ImageFormatException(format, "not enough memory to decode the declared image size.", ex);
        }
    }
}
