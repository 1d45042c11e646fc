using System.IO.Compression;
using HandPose.Imaging.Png;
using HandPose.Imaging.Pnm;

namespace HandPose.Imaging;

/// <summary>Writes images: PNG (8-bit gray, RGB or RGBA) and binary PGM/PPM.</summary>
/// <remarks>Thread-safe. PNG output is non-interlaced with adaptive per-row filters, readable by any PNG reader.</remarks>
public static class ImageEncoder
{
    /// <summary>Encodes a PNG into a stream.</summary>
    /// <param name="image">The image; its format decides the PNG colour type (gray, RGB or RGBA, 8-bit).</param>
    /// <param name="output">A writable stream (left open).</param>
    /// <param name="compression">zlib effort; <see cref="CompressionLevel.Fastest"/> by default.</param>
    public static void WritePng(ImageView image, Stream output, CompressionLevel compression = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(output);
        PngEncoder.Write(image, output, compression);
    }

    /// <summary>Encodes a PNG into a new array.</summary>
    /// <param name="image">The image.</param>
    /// <param name="compression">zlib effort.</param>
    /// <returns>The PNG file bytes.</returns>
    public static byte[] EncodePng(ImageView image, CompressionLevel compression = CompressionLevel.Fastest)
    {
        using var ms = new MemoryStream();
        PngEncoder.Write(image, ms, compression);
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
        PngEncoder.Write(image, file, compression);
    }

    /// <summary>Writes binary PGM (gray) or PPM (RGB), 8-bit.</summary>
    /// <param name="image">A Gray8 or Rgb24 image.</param>
    /// <param name="output">A writable stream (left open).</param>
    /// <exception cref="ArgumentException">The image is RGBA.</exception>
    public static void WritePnm(ImageView image, Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        PnmCodec.Write(image, output);
    }
}
