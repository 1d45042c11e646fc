using System.IO.Compression;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace HandPose.Imaging.Codecs;

/// <summary>Encodes <see cref="ImageView"/>s with Skia's PNG, JPEG and WebP encoders.</summary>
internal static class SkiaEncoding
{
    public static unsafe void Write(ImageView image, Stream output, ImageFileFormat format, int quality, CompressionLevel compression)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        if (image.Width <= 0 || image.Height <= 0)
        {
            throw new ArgumentException("Cannot encode an empty image.", nameof(image));
        }

        // Skia has no packed RGB colour type: RGB goes through an opaque RGBA copy (RGBA and gray are encoded in place).
        byte[]? rgba = null;
        int stride = image.Stride;
        if (image.Format == PixelFormat.Rgb24)
        {
            stride = image.Width * 4;
            rgba = GC.AllocateUninitializedArray<byte>(checked(stride * image.Height));
            ConvertRows(image, rgba, stride);
        }

        fixed (byte* pixels = rgba is null ? image.Data : rgba)
        {
            var info = new SKImageInfo(image.Width, image.Height,
                image.Format == PixelFormat.Gray8 ? SKColorType.Gray8 : SKColorType.Rgba8888,
                image.Format == PixelFormat.Rgba32 ? SKAlphaType.Unpremul : SKAlphaType.Opaque);
            using var pixmap = new SKPixmap(info, (IntPtr)pixels, stride);
            bool ok = format switch
            {
                ImageFileFormat.Png => pixmap.Encode(output, new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, ZLibLevel(compression))),
                ImageFileFormat.Jpeg => pixmap.Encode(output, new SKJpegEncoderOptions(quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
                ImageFileFormat.Webp => pixmap.Encode(output, new SKWebpEncoderOptions(quality >= 100 ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy, quality)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image file format."),
            };
            if (!ok)
            {
                throw new ImageFormatException(format.ToString().ToUpperInvariant(), $"SkiaSharp could not encode the {image.Width}x{image.Height} {image.Format} image.");
            }
        }
    }

    private static void ConvertRows(ImageView image, Span<byte> rgba, int stride)
    {
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> s = image.GetRow(y);
            Span<uint> d = MemoryMarshal.Cast<byte, uint>(rgba.Slice(y * stride, stride));
            for (int x = 0; x < d.Length; x++)
            {
                d[x] = s[x * 3] | ((uint)s[(x * 3) + 1] << 8) | ((uint)s[(x * 3) + 2] << 16) | 0xFF000000u;
            }
        }
    }

    private static int ZLibLevel(CompressionLevel level) => level switch
    {
        CompressionLevel.NoCompression => 0,
        CompressionLevel.Fastest => 1,
        CompressionLevel.SmallestSize => 9,
        _ => 6,
    };
}
