using System.IO.Compression;
using HandPose.Imaging.Codecs;

namespace HandPose.Imaging;

/// <summary>
/// Writes images through SkiaSharp: PNG (8-bit gray, RGB or RGBA), JPEG (quality) and WebP (lossy or lossless); and
/// 16-bit grayscale PNG (depth maps) with a minimal writer on <see cref="ZLibStream"/>.
/// </summary>
/// <remarks>Thread-safe. Invalid arguments raise <see cref="ArgumentException"/>; an encoder failure raises <see cref="ImageFormatException"/>.</remarks>
public static class ImageEncoder
{
    /// <summary>The default JPEG/WebP quality.</summary>
    public const int DefaultQuality = 90;

    /// <summary>Encodes an image into a stream.</summary>
    /// <param name="image">The image; gray stays gray, RGBA keeps alpha in PNG and WebP.</param>
    /// <param name="output">A writable stream (left open).</param>
    /// <param name="format">The file format.</param>
    /// <param name="quality">JPEG/WebP quality 1–100 (WebP 100 is lossless); ignored for PNG.</param>
    public static void Write(ImageView image, Stream output, ImageFileFormat format, int quality = DefaultQuality) =>
        SkiaEncoding.Write(image, output, format, quality, CompressionLevel.Fastest);

    /// <summary>Encodes an image into a new array.</summary>
    /// <param name="image">The image.</param>
    /// <param name="format">The file format.</param>
    /// <param name="quality">JPEG/WebP quality 1–100; ignored for PNG.</param>
    /// <returns>The file bytes.</returns>
    public static byte[] Encode(ImageView image, ImageFileFormat format, int quality = DefaultQuality)
    {
        using var ms = new MemoryStream();
        Write(image, ms, format, quality);
        return ms.ToArray();
    }

    /// <summary>Writes an image file in the format its extension names: .png, .jpg/.jpeg or .webp.</summary>
    /// <param name="image">The image.</param>
    /// <param name="path">The file path (replaced if it exists).</param>
    /// <param name="quality">JPEG/WebP quality 1–100; ignored for PNG.</param>
    /// <exception cref="ArgumentException">The extension is not one of these.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Save(ImageView image, string path, int quality = DefaultQuality)
    {
        ImageFileFormat format = FormatFromPath(path);
        using FileStream file = File.Create(path);
        Write(image, file, format, quality);
    }

    /// <summary>The format a file name's extension names: .png, .jpg/.jpeg or .webp (case-insensitive).</summary>
    /// <param name="path">The file name or path.</param>
    /// <returns>The format.</returns>
    /// <exception cref="ArgumentException">The extension is not one of these.</exception>
    public static ImageFileFormat FormatFromPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".PNG" => ImageFileFormat.Png,
            ".JPG" or ".JPEG" => ImageFileFormat.Jpeg,
            ".WEBP" => ImageFileFormat.Webp,
            string ext => throw new ArgumentException($"Cannot tell the image format from the extension '{ext}' of '{path}': use .png, .jpg/.jpeg or .webp.", nameof(path)),
        };
    }

    /// <summary>Encodes a PNG into a stream.</summary>
    /// <param name="image">The image; its format decides the PNG colour type (gray, RGB or RGBA, 8-bit).</param>
    /// <param name="output">A writable stream (left open).</param>
    /// <param name="compression">zlib effort; <see cref="CompressionLevel.Fastest"/> by default.</param>
    public static void WritePng(ImageView image, Stream output, CompressionLevel compression = CompressionLevel.Fastest) =>
        SkiaEncoding.Write(image, output, ImageFileFormat.Png, DefaultQuality, compression);

    /// <summary>Encodes a PNG into a new array.</summary>
    /// <param name="image">The image.</param>
    /// <param name="compression">zlib effort.</param>
    /// <returns>The PNG file bytes.</returns>
    public static byte[] EncodePng(ImageView image, CompressionLevel compression = CompressionLevel.Fastest)
    {
        using var ms = new MemoryStream();
        WritePng(image, ms, compression);
        return ms.ToArray();
    }

    /// <summary>Writes a PNG file (replacing an existing one).</summary>
    /// <param name="image">The image.</param>
    /// <param name="path">The file path.</param>
    /// <param name="compression">zlib effort.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void SavePng(ImageView image, string path, CompressionLevel compression = CompressionLevel.Fastest)
    {
        using FileStream file = File.Create(path);
        WritePng(image, file, compression);
    }

    /// <summary>Writes a 16-bit grayscale PNG (e.g. a depth map in millimetres), rows top to bottom, tightly packed.</summary>
    /// <param name="samples">width × height samples, row-major.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="output">A writable stream (left open).</param>
    /// <param name="compression">zlib effort.</param>
    /// <exception cref="ArgumentException">The sizes are not positive or there are too few samples.</exception>
    public static void WritePngGray16(ReadOnlySpan<ushort> samples, int width, int height, Stream output, CompressionLevel compression = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(output);
        Gray16PngWriter.Write(samples, width, height, output, compression);
    }
}
