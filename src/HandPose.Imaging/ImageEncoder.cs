using System.IO.Compression;
using HandPose.Imaging.Png;
using HandPose.Imaging.Pnm;

namespace HandPose.Imaging;

/// <summary>Writes images: PNG (8-bit gray, RGB or RGBA; 16-bit gray) and binary PGM/PPM.</summary>
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

    /// <summary>Encodes 16-bit grayscale samples (e.g. depth in millimetres) as a PNG into a stream.</summary>
    /// <param name="pixels">width × height samples, rows top to bottom.</param>
    /// <param name="width">Width in pixels (&gt; 0).</param>
    /// <param name="height">Height in pixels (&gt; 0).</param>
    /// <param name="output">A writable stream (left open).</param>
    /// <param name="compression">zlib effort.</param>
    /// <exception cref="ArgumentException">The sizes are not positive or do not match the sample count.</exception>
    public static void WritePngGray16(ReadOnlySpan<ushort> pixels, int width, int height, Stream output, CompressionLevel compression = CompressionLevel.Fastest)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height)
        {
            throw new ArgumentException($"A {width}x{height} image needs {(long)width * height} samples; got {pixels.Length}.", nameof(pixels));
        }

        PngEncoder.WriteGray16(pixels, width, height, output, compression);
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
