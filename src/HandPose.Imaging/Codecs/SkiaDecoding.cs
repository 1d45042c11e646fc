using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace HandPose.Imaging.Codecs;

/// <summary>
/// Decoding through Skia's codecs (libjpeg-turbo, libpng, libwebp, Skia's GIF/BMP readers) straight into 8-bit
/// <see cref="ImageBuffer"/>s: Gray8 for gray files, Rgb24 for opaque colour, Rgba32 (straight alpha) otherwise.
/// </summary>
/// <remarks>
/// No colour management (like Pillow and libjpeg-turbo's djpeg): the destination has no colour space, so the stored
/// values come out unchanged. The pixel limit is checked from the header before any pixel memory is allocated.
/// </remarks>
internal static class SkiaDecoding
{
    /// <summary>Rows converted per strip when an opaque colour image is decoded row by row into Rgb24.</summary>
    private const int StripRows = 16;

    /// <summary>Opens a codec over data that stays pinned for the duration of <paramref name="use"/>.</summary>
    public static unsafe T WithCodec<T, TArg>(ReadOnlySpan<byte> data, TArg arg, Func<SKCodec, TArg, T> use)
    {
        if (data.IsEmpty)
        {
            throw new ImageFormatException("unknown", "the data is empty.");
        }

        fixed (byte* p = data)
        {
            using SKData skData = SKData.Create((IntPtr)p, data.Length);
            using SKCodec? codec = SKCodec.Create(skData);
            if (codec is null)
            {
                throw new ImageFormatException(FormatName.FromSignature(data) ?? "unknown", FormatName.FromSignature(data) is null
                    ? "not an image format SkiaSharp decodes (JPEG, PNG, WebP, GIF, BMP, ICO, WBMP; no known signature)."
                    : "the header is malformed or truncated.");
            }

            return use(codec, arg);
        }
    }

    /// <summary>Decodes the first frame with the limits and orientation of <paramref name="options"/>.</summary>
    public static ImageBuffer Decode(SKCodec codec, ImageDecoderOptions options)
    {
        string format = FormatName.Of(codec.EncodedFormat);
        SKImageInfo info = codec.Info;
        long pixels = (long)info.Width * info.Height;
        if (info.Width <= 0 || info.Height <= 0)
        {
            throw new ImageFormatException(format, $"the header declares an empty image ({info.Width}x{info.Height}).");
        }

        if (pixels > options.MaxPixels)
        {
            throw new ImageFormatException(format, $"the header declares {info.Width}x{info.Height} = {pixels} pixels, over the pixel limit of {options.MaxPixels} (ImageDecoderOptions.MaxPixels, default HandPoseLimits.MaxImagePixels / HANDPOSE_MAX_IMAGE_PIXELS).");
        }

        PixelFormat target = info.ColorType == SKColorType.Gray8 ? PixelFormat.Gray8
            : info.AlphaType == SKAlphaType.Opaque ? PixelFormat.Rgb24
            : PixelFormat.Rgba32;
        ImageBuffer image;
        try
        {
            // Uninitialised: every row is written by the codec, or cleared when the data ends early.
            int bytes = checked(info.Width * info.Height * target.BytesPerPixel());
            image = new ImageBuffer(GC.AllocateUninitializedArray<byte>(bytes), info.Width, info.Height, target);
        }
        catch (Exception ex) when (ex is OutOfMemoryException or OverflowException)
        {
            throw new ImageFormatException(format, $"not enough memory for the declared {info.Width}x{info.Height} image.", ex);
        }

        SKCodecResult result = target == PixelFormat.Rgb24
            ? DecodeRgb(codec, image)
            : DecodeDirect(codec, image, target == PixelFormat.Gray8 ? SKColorType.Gray8 : SKColorType.Rgba8888);
        if (result == SKCodecResult.IncompleteInput && !options.AllowIncompleteInput)
        {
            throw new ImageFormatException(format, "the data is truncated (incomplete input); set ImageDecoderOptions.AllowIncompleteInput to accept partial images.");
        }

        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new ImageFormatException(format, $"the data is malformed (Skia: {result}).");
        }

        return options.ApplyExifOrientation ? Orientation.Apply(image, (int)codec.EncodedOrigin) : image;
    }

    private static unsafe SKCodecResult DecodeDirect(SKCodec codec, ImageBuffer image, SKColorType colorType)
    {
        var info = new SKImageInfo(image.Width, image.Height, colorType, SKAlphaType.Unpremul);
        using MemoryHandle pin = image.Memory.Pin();
        return codec.GetPixels(info, (IntPtr)pin.Pointer, image.Stride, new SKCodecOptions(SKZeroInitialized.No));
    }

    /// <summary>
    /// Skia has no packed 3-byte colour type: decode RGBA row strips (scanline decoding) into a small buffer and pack
    /// them into the Rgb24 result, so the full-size RGBA image never exists. Codecs without scanline decoding (WebP,
    /// GIF) decode whole into a temporary RGBA buffer.
    /// </summary>
    private static unsafe SKCodecResult DecodeRgb(SKCodec codec, ImageBuffer image)
    {
        int w = image.Width, h = image.Height;
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        int rgbaStride = w * 4;
        using MemoryHandle pin = image.Memory.Pin();
        byte* dst = (byte*)pin.Pointer;
        if (codec.StartScanlineDecode(info) == SKCodecResult.Success && codec.ScanlineOrder == SKCodecScanlineOrder.TopDown)
        {
            byte[] strip = ArrayPool<byte>.Shared.Rent(rgbaStride * StripRows);
            try
            {
                fixed (byte* s = strip)
                {
                    for (int y = 0; y < h; y += StripRows)
                    {
                        int rows = Math.Min(StripRows, h - y);
                        int got = codec.GetScanlines((IntPtr)s, rows, rgbaStride);
                        for (int r = 0; r < rows; r++)
                        {
                            PixelPacking.RgbaToRgb(new ReadOnlySpan<byte>(s + (r * rgbaStride), rgbaStride), new Span<byte>(dst + ((long)(y + r) * image.Stride), w * 3));
                        }

                        if (got < rows)
                        {
                            // Skia filled this strip's missing rows; the strips never decoded are cleared.
                            long done = (long)(y + rows) * image.Stride;
                            new Span<byte>(dst + done, (int)((long)image.Stride * h - done)).Clear();
                            return SKCodecResult.IncompleteInput;
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(strip);
            }

            return SKCodecResult.Success;
        }

        nuint bytes = (nuint)rgbaStride * (nuint)h;
        byte* rgba = (byte*)NativeMemory.Alloc(bytes);
        try
        {
            SKCodecResult result = codec.GetPixels(info, (IntPtr)rgba, rgbaStride, new SKCodecOptions(SKZeroInitialized.No));
            for (int y = 0; y < h; y++)
            {
                PixelPacking.RgbaToRgb(new ReadOnlySpan<byte>(rgba + ((long)y * rgbaStride), rgbaStride), new Span<byte>(dst + ((long)y * image.Stride), w * 3));
            }

            return result;
        }
        finally
        {
            NativeMemory.Free(rgba);
        }
    }
}
