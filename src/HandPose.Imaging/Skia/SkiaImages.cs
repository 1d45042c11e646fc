using SkiaSharp;

namespace HandPose.Imaging;

/// <summary>
/// SkiaSharp interop: estimators and conversions take the <see cref="SKBitmap"/>, <see cref="SKImage"/> or
/// <see cref="SKPixmap"/> a SkiaSharp app already has.
/// </summary>
/// <remarks>
/// Zero-copy when the pixels are already a layout HandPose reads: <see cref="SKColorType.Rgba8888"/> with opaque or
/// unpremultiplied alpha (seen as <see cref="PixelFormat.Rgba32"/>) and <see cref="SKColorType.Gray8"/> (seen as
/// <see cref="PixelFormat.Gray8"/>). Every other colour type (the platform's usual <see cref="SKColorType.Bgra8888"/>,
/// premultiplied alpha, 565, 16-bit and float types) and GPU-backed images are converted once by Skia into an
/// unpremultiplied RGBA copy, after the size is checked against <see cref="HandPoseLimits.MaxImagePixels"/>. No
/// colour-space conversion is done (like decoding). The Skia object must stay alive and unchanged during the call.
/// Thread-safety is that of the estimator passed in.
/// </remarks>
public static class SkiaImages
{
    /// <summary>Estimates hands in a single image held by a pixmap.</summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="pixmap">The pixels (not copied when RGBA8888 unpremultiplied/opaque or Gray8).</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands, in the pixmap's pixels.</returns>
    /// <exception cref="ArgumentException">The pixmap has no pixels or an unknown colour type.</exception>
    /// <exception cref="LimitExceededException">A conversion would exceed <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static HandPoseResult Estimate(this IHandPoseEstimator estimator, SKPixmap pixmap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return WithView(pixmap, (estimator, cancellationToken), static (view, s) => s.estimator.Estimate(view, s.cancellationToken));
    }

    /// <summary>Estimates hands in a single image held by a bitmap.</summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="bitmap">The bitmap (not copied when RGBA8888 unpremultiplied/opaque or Gray8).</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands, in the bitmap's pixels.</returns>
    /// <exception cref="ArgumentException">The bitmap has no pixels or an unknown colour type.</exception>
    /// <exception cref="LimitExceededException">A conversion would exceed <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static HandPoseResult Estimate(this IHandPoseEstimator estimator, SKBitmap bitmap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using SKPixmap pixmap = PixmapOf(bitmap);
        return estimator.Estimate(pixmap, cancellationToken);
    }

    /// <summary>Estimates hands in a single image (raster images are read in place when their layout allows).</summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="image">The image; a GPU-backed or lazy image is read back first.</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands, in the image's pixels.</returns>
    /// <exception cref="ArgumentException">The image's pixels cannot be read.</exception>
    /// <exception cref="LimitExceededException">A conversion would exceed <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static HandPoseResult Estimate(this IHandPoseEstimator estimator, SKImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return WithImage(image, (estimator, cancellationToken), static (view, s) => s.estimator.Estimate(view, s.cancellationToken));
    }

    /// <summary>Estimates hands in a video frame held by a bitmap, tracking them from the previous frames.</summary>
    /// <param name="estimator">The estimator (one per stream).</param>
    /// <param name="frame">The frame (not copied when RGBA8888 unpremultiplied/opaque or Gray8).</param>
    /// <param name="timestamp">The frame's time; must increase from call to call.</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands, in the frame's pixels.</returns>
    /// <exception cref="ArgumentException">The frame has no pixels, or the timestamp does not increase.</exception>
    /// <exception cref="LimitExceededException">A conversion would exceed <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static HandPoseResult Estimate(this IHandPoseEstimator estimator, SKBitmap frame, TimeSpan timestamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(frame);
        using SKPixmap pixmap = PixmapOf(frame);
        return WithView(pixmap, (estimator, timestamp, cancellationToken), static (view, s) => s.estimator.Estimate(view, s.timestamp, s.cancellationToken));
    }

    /// <summary>Estimates hands in a video frame held by an image, tracking them from the previous frames.</summary>
    /// <param name="estimator">The estimator (one per stream).</param>
    /// <param name="frame">The frame; a GPU-backed or lazy image is read back first.</param>
    /// <param name="timestamp">The frame's time; must increase from call to call.</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands, in the frame's pixels.</returns>
    /// <exception cref="ArgumentException">The frame's pixels cannot be read, or the timestamp does not increase.</exception>
    /// <exception cref="LimitExceededException">A conversion would exceed <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static HandPoseResult Estimate(this IHandPoseEstimator estimator, SKImage frame, TimeSpan timestamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return WithImage(frame, (estimator, timestamp, cancellationToken), static (view, s) => s.estimator.Estimate(view, s.timestamp, s.cancellationToken));
    }

    /// <summary>Copies a pixmap's pixels into an <see cref="ImageBuffer"/> (Gray8 stays gray, everything else becomes Rgba32).</summary>
    /// <param name="pixmap">The pixels.</param>
    /// <returns>A new buffer that owns its pixels.</returns>
    /// <exception cref="ArgumentException">The pixmap has no pixels or an unknown colour type.</exception>
    /// <exception cref="LimitExceededException">The size exceeds <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static ImageBuffer ToImageBuffer(SKPixmap pixmap) => WithView(pixmap, 0, static (view, _) => ImageBuffer.CopyOf(view));

    /// <summary>Copies a bitmap's pixels into an <see cref="ImageBuffer"/> (Gray8 stays gray, everything else becomes Rgba32).</summary>
    /// <param name="bitmap">The bitmap.</param>
    /// <returns>A new buffer that owns its pixels.</returns>
    /// <exception cref="ArgumentException">The bitmap has no pixels or an unknown colour type.</exception>
    /// <exception cref="LimitExceededException">The size exceeds <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static ImageBuffer ToImageBuffer(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using SKPixmap pixmap = PixmapOf(bitmap);
        return ToImageBuffer(pixmap);
    }

    /// <summary>Copies an image's pixels into an <see cref="ImageBuffer"/> (Gray8 stays gray, everything else becomes Rgba32).</summary>
    /// <param name="image">The image; a GPU-backed or lazy image is read back first.</param>
    /// <returns>A new buffer that owns its pixels.</returns>
    /// <exception cref="ArgumentException">The image's pixels cannot be read.</exception>
    /// <exception cref="LimitExceededException">The size exceeds <see cref="HandPoseLimits.MaxImagePixels"/>.</exception>
    public static ImageBuffer ToImageBuffer(SKImage image) => WithImage(image, 0, static (view, _) => ImageBuffer.CopyOf(view));

    /// <summary>Copies an <see cref="ImageView"/> into a new <see cref="SKBitmap"/> (Gray8 as Gray8, colour as unpremultiplied RGBA8888).</summary>
    /// <param name="image">The image.</param>
    /// <returns>A new bitmap the caller disposes.</returns>
    /// <exception cref="ArgumentException">The image is empty.</exception>
    public static SKBitmap ToSKBitmap(ImageView image)
    {
        if (image.Width <= 0 || image.Height <= 0)
        {
            throw new ArgumentException("Cannot convert an empty image.", nameof(image));
        }

        bool gray = image.Format == PixelFormat.Gray8;
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888,
            image.Format == PixelFormat.Rgba32 ? SKAlphaType.Unpremul : SKAlphaType.Opaque));
        Span<byte> pixels = bitmap.GetPixelSpan();
        int rowBytes = bitmap.RowBytes;
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> source = image.GetRow(y);
            Span<byte> row = pixels.Slice(y * rowBytes, rowBytes);
            if (image.Format == PixelFormat.Rgb24)
            {
                for (int x = 0; x < image.Width; x++)
                {
                    row[x * 4] = source[x * 3];
                    row[(x * 4) + 1] = source[(x * 3) + 1];
                    row[(x * 4) + 2] = source[(x * 3) + 2];
                    row[(x * 4) + 3] = 255;
                }
            }
            else
            {
                source[..(image.Width * image.BytesPerPixel)].CopyTo(row);
            }
        }

        return bitmap;
    }

    /// <summary>A use of an <see cref="ImageView"/> (a ref struct cannot be a generic argument).</summary>
    private delegate TResult ViewUse<TState, TResult>(ImageView view, TState state);

    private static SKPixmap PixmapOf(SKBitmap bitmap) =>
        bitmap.PeekPixels() ?? throw new ArgumentException($"The {bitmap.Width}x{bitmap.Height} bitmap has no pixels to read (empty or not allocated).", nameof(bitmap));

    private static TResult WithImage<TState, TResult>(SKImage image, TState state, ViewUse<TState, TResult> use)
    {
        ArgumentNullException.ThrowIfNull(image);
        using SKPixmap? raster = image.PeekPixels();
        if (raster is not null)
        {
            return WithView(raster, state, use);
        }

        // GPU-backed or lazy (e.g. encoded) image: Skia reads it back into our RGBA copy.
        HandPoseLimits.CheckImage(image.Width, image.Height, "the SKImage");
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new ImageBuffer(image.Width, image.Height, PixelFormat.Rgba32);
        using (var destination = new SKPixmap(info, Pin(rgba, out System.Buffers.MemoryHandle handle), rgba.Stride))
        using (handle)
        {
            if (!image.ReadPixels(destination, 0, 0))
            {
                throw new ArgumentException($"SkiaSharp could not read the pixels of the {image.Width}x{image.Height} image.", nameof(image));
            }
        }

        return use(rgba.AsView(), state);
    }

    private static unsafe TResult WithView<TState, TResult>(SKPixmap pixmap, TState state, ViewUse<TState, TResult> use)
    {
        ArgumentNullException.ThrowIfNull(pixmap);
        SKImageInfo info = pixmap.Info;
        IntPtr pixels = pixmap.GetPixels();
        if (info.Width <= 0 || info.Height <= 0 || pixels == IntPtr.Zero)
        {
            throw new ArgumentException($"The {info.Width}x{info.Height} pixmap has no pixels.", nameof(pixmap));
        }

        if (info.ColorType == SKColorType.Unknown)
        {
            throw new ArgumentException("The pixmap's colour type is Unknown; expected a Skia colour type such as Rgba8888, Bgra8888 or Gray8.", nameof(pixmap));
        }

        PixelFormat? direct = info.ColorType switch
        {
            SKColorType.Gray8 => PixelFormat.Gray8,
            SKColorType.Rgba8888 when info.AlphaType is SKAlphaType.Opaque or SKAlphaType.Unpremul => PixelFormat.Rgba32,
            _ => null,
        };
        if (direct is { } format)
        {
            int length = checked(((info.Height - 1) * pixmap.RowBytes) + (info.Width * format.BytesPerPixel()));
            var view = new ImageView(new ReadOnlySpan<byte>((void*)pixels, length), info.Width, info.Height, format, pixmap.RowBytes);
            return use(view, state);
        }

        HandPoseLimits.CheckImage(info.Width, info.Height, $"the {info.ColorType} pixmap");
        var rgba = new ImageBuffer(info.Width, info.Height, PixelFormat.Rgba32);
        var target = new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (var destination = new SKPixmap(target, Pin(rgba, out System.Buffers.MemoryHandle handle), rgba.Stride))
        using (handle)
        {
            if (!pixmap.ReadPixels(destination))
            {
                throw new ArgumentException($"SkiaSharp cannot convert a {info.ColorType}/{info.AlphaType} pixmap to RGBA8888.", nameof(pixmap));
            }
        }

        return use(rgba.AsView(), state);
    }

    private static unsafe IntPtr Pin(ImageBuffer buffer, out System.Buffers.MemoryHandle handle)
    {
        handle = buffer.Memory.Pin();
        return (IntPtr)handle.Pointer;
    }
}
