using System.Buffers;
using HandPose.Imaging.Internal;

namespace HandPose.Imaging;

/// <summary>
/// Geometric transforms and tensor conversion over <see cref="ImageView"/>s: crop, bilinear resize, affine and
/// rotated-rectangle crops with zero or replicate borders, letterbox, and RGB float tensors written into caller spans.
/// </summary>
/// <remarks>
/// <para>Coordinates are continuous with pixel centres at integer + 0.5. Bilinear sampling (resize and warps) uses the
/// half-pixel convention of OpenCV <c>INTER_LINEAR</c>, TensorFlow <c>half_pixel_centers=true</c> and PyTorch
/// <c>interpolate(mode="bilinear", align_corners=False, antialias=False)</c>, computed in float: 8-bit outputs are
/// the exact result rounded to nearest (within one level of OpenCV, whose fixed-point arithmetic rounds differently),
/// and tensor outputs are not quantized at all. Downscaling is 2-tap (no antialiasing), as MediaPipe does.</para>
/// <para>RGBA sources contribute their stored RGB (alpha is ignored, not composited) to tensors; use
/// <see cref="FlattenAlpha"/> to composite first. Gray sources are repeated into R, G and B.</para>
/// <para>All methods are thread-safe; they allocate only the returned buffers and small row scratch.</para>
/// </remarks>
public static class ImageTransforms
{
    /// <summary>A view of a rectangle of <paramref name="source"/> (no copy).</summary>
    /// <param name="source">The image.</param>
    /// <param name="x">Left column.</param>
    /// <param name="y">Top row.</param>
    /// <param name="width">Width (&gt; 0).</param>
    /// <param name="height">Height (&gt; 0).</param>
    /// <returns>The sub-view, sharing memory and stride with <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rectangle is empty or not inside the image.</exception>
    public static ImageView Crop(ImageView source, int x, int y, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (x < 0 || y < 0 || (long)x + width > source.Width || (long)y + height > source.Height)
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"Crop ({x}, {y}, {width}x{height}) is not inside the {source.Width}x{source.Height} image.");
        }

        int start = (y * source.Stride) + (x * source.BytesPerPixel);
        return new ImageView(source.Data[start..], width, height, source.Format, source.Stride);
    }

    /// <summary>
    /// Converts between pixel formats: gray is repeated into RGB, missing alpha becomes 255, alpha is dropped (not
    /// composited), and colour becomes gray with Pillow's ITU-R 601-2 luma L = (19595·R + 38470·G + 7471·B + 2¹⁵) ≫ 16.
    /// </summary>
    /// <param name="source">The image.</param>
    /// <param name="format">The wanted format.</param>
    /// <returns>A new, tightly packed buffer.</returns>
    public static ImageBuffer ConvertFormat(ImageView source, PixelFormat format)
    {
        var dst = new ImageBuffer(source.Width, source.Height, format);
        int sc = source.BytesPerPixel, dc = format.BytesPerPixel();
        for (int y = 0; y < source.Height; y++)
        {
            ReadOnlySpan<byte> s = source.GetRow(y);
            Span<byte> d = dst.GetRowSpan(y);
            if (sc == dc)
            {
                s.CopyTo(d);
                continue;
            }

            for (int x = 0; x < source.Width; x++)
            {
                ReadOnlySpan<byte> p = s.Slice(x * sc, sc);
                Span<byte> q = d.Slice(x * dc, dc);
                if (dc == 1)
                {
                    q[0] = (byte)(((p[0] * 19595) + (p[1] * 38470) + (p[2] * 7471) + 0x8000) >> 16);
                    continue;
                }

                if (sc == 1)
                {
                    q[0] = q[1] = q[2] = p[0];
                }
                else
                {
                    p[..3].CopyTo(q);
                }

                if (dc == 4)
                {
                    q[3] = 255;
                }
            }
        }

        return dst;
    }

    /// <summary>Composites an RGBA image over a solid background: out = (α·c + (255 − α)·bg) / 255, rounded.</summary>
    /// <param name="source">An <see cref="PixelFormat.Rgba32"/> image.</param>
    /// <param name="background">The background colour.</param>
    /// <returns>A new <see cref="PixelFormat.Rgb24"/> buffer.</returns>
    /// <exception cref="ArgumentException">The source is not RGBA.</exception>
    public static ImageBuffer FlattenAlpha(ImageView source, ColorRgb background)
    {
        if (source.Format != PixelFormat.Rgba32)
        {
            throw new ArgumentException($"FlattenAlpha needs an Rgba32 image; got {source.Format}.", nameof(source));
        }

        var dst = new ImageBuffer(source.Width, source.Height, PixelFormat.Rgb24);
        Span<int> bg = [background.R, background.G, background.B];
        for (int y = 0; y < source.Height; y++)
        {
            ReadOnlySpan<byte> s = source.GetRow(y);
            Span<byte> d = dst.GetRowSpan(y);
            for (int x = 0; x < source.Width; x++)
            {
                int a = s[(x * 4) + 3];
                for (int c = 0; c < 3; c++)
                {
                    d[(x * 3) + c] = (byte)(((a * s[(x * 4) + c]) + ((255 - a) * bg[c]) + 127) / 255);
                }
            }
        }

        return dst;
    }

    /// <summary>Bilinear resize (half-pixel centres, 2 taps, see the type remarks) into a new buffer.</summary>
    /// <param name="source">The image.</param>
    /// <param name="width">Destination width.</param>
    /// <param name="height">Destination height.</param>
    /// <returns>The resized image, in the source's format.</returns>
    public static ImageBuffer ResizeBilinear(ImageView source, int width, int height)
    {
        var dst = new ImageBuffer(width, height, source.Format);
        ResizeBilinear(source, dst);
        return dst;
    }

    /// <summary>Bilinear resize (half-pixel centres, 2 taps, see the type remarks) into <paramref name="destination"/>'s size.</summary>
    /// <param name="source">The image.</param>
    /// <param name="destination">The destination, same pixel format as the source.</param>
    /// <exception cref="ArgumentException">The formats differ.</exception>
    public static void ResizeBilinear(ImageView source, ImageBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        RequireSameFormat(source, destination);
        var kernel = new ResizeKernel(source.Width, source.Height, destination.Width, destination.Height, source.BytesPerPixel);
        int n = kernel.RowLength;
        float[] scratch = ArrayPool<float>.Shared.Rent(3 * n);
        try
        {
            Span<float> top = scratch.AsSpan(0, n), bottom = scratch.AsSpan(n, n), row = scratch.AsSpan(2 * n, n);
            int cachedTop = -1, cachedBottom = -1;
            for (int y = 0; y < destination.Height; y++)
            {
                kernel.Row(source, y, top, bottom, row, ref cachedTop, ref cachedBottom);
                PixelRows.ToBytes(row, destination.GetRowSpan(y));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Warps with bilinear sampling: destination point p samples the source at <paramref name="toSource"/>(p)
    /// (OpenCV <c>warpAffine</c> with <c>WARP_INVERSE_MAP</c>, computed in float).
    /// </summary>
    /// <param name="source">The image.</param>
    /// <param name="toSource">Map from destination to source coordinates.</param>
    /// <param name="destination">The destination, same pixel format as the source.</param>
    /// <param name="border">What to sample outside the source.</param>
    /// <exception cref="ArgumentException">The formats differ.</exception>
    public static void WarpAffine(ImageView source, AffineTransform toSource, ImageBuffer destination, BorderMode border)
    {
        ArgumentNullException.ThrowIfNull(destination);
        RequireSameFormat(source, destination);
        WarpKernel.WarpToBytes(source, toSource, destination, border);
    }

    /// <summary>Warps like <see cref="WarpAffine"/> straight into an RGB float tensor (no 8-bit rounding).</summary>
    /// <param name="source">The image (gray, RGB or RGBA).</param>
    /// <param name="toSource">Map from destination to source coordinates.</param>
    /// <param name="width">Tensor width.</param>
    /// <param name="height">Tensor height.</param>
    /// <param name="border">What to sample outside the source.</param>
    /// <param name="destination">At least 3·width·height floats.</param>
    /// <param name="layout">Memory order.</param>
    /// <param name="normalization">Value mapping; null means <see cref="PixelNormalization.ZeroToOne"/>.</param>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    public static void WarpAffineToTensor(ImageView source, AffineTransform toSource, int width, int height, BorderMode border, Span<float> destination, TensorLayout layout = TensorLayout.Nhwc, PixelNormalization? normalization = null)
    {
        RequireTensor(width, height, destination);
        Span<float> scale = stackalloc float[3], bias = stackalloc float[3];
        (normalization ?? PixelNormalization.ZeroToOne).GetScaleBias(scale, bias);
        WarpKernel.WarpToTensor(source, toSource, width, height, border, destination, layout, scale, bias);
    }

    /// <summary>
    /// Crops a rotated rectangle into <paramref name="destination"/> (stretched to its size): MediaPipe's ROI crop.
    /// Destination pixel (i, j) samples centre + R(r)·(((i + 0.5)/dw − 0.5)·w, ((j + 0.5)/dh − 0.5)·h).
    /// </summary>
    /// <param name="source">The image.</param>
    /// <param name="region">The rectangle in source pixels.</param>
    /// <param name="destination">The destination, same pixel format as the source.</param>
    /// <param name="border">MediaPipe's hand crop uses <see cref="BorderMode.Replicate"/>.</param>
    public static void CropRotated(ImageView source, RotatedRect region, ImageBuffer destination, BorderMode border)
    {
        ArgumentNullException.ThrowIfNull(destination);
        WarpAffine(source, region.ToSourceTransform(destination.Width, destination.Height), destination, border);
    }

    /// <summary>Crops a rotated rectangle like <see cref="CropRotated"/> straight into an RGB float tensor.</summary>
    /// <param name="source">The image.</param>
    /// <param name="region">The rectangle in source pixels.</param>
    /// <param name="width">Tensor width (224 for MediaPipe's hand landmark model).</param>
    /// <param name="height">Tensor height.</param>
    /// <param name="border">MediaPipe's hand crop uses <see cref="BorderMode.Replicate"/>.</param>
    /// <param name="destination">At least 3·width·height floats.</param>
    /// <param name="layout">Memory order.</param>
    /// <param name="normalization">Value mapping; null means [0, 1].</param>
    public static void CropRotatedToTensor(ImageView source, RotatedRect region, int width, int height, BorderMode border, Span<float> destination, TensorLayout layout = TensorLayout.Nhwc, PixelNormalization? normalization = null) =>
        WarpAffineToTensor(source, region.ToSourceTransform(width, height), width, height, border, destination, layout, normalization);

    /// <summary>
    /// The placement <see cref="Letterbox"/> uses: the image scaled by min(dw/W, dh/H) and centred, i.e. the crop of the
    /// axis-aligned rectangle centred on the image with the destination's aspect ratio (MediaPipe's
    /// <c>keep_aspect_ratio</c> ROI).
    /// </summary>
    /// <param name="sourceWidth">Source width.</param>
    /// <param name="sourceHeight">Source height.</param>
    /// <param name="width">Destination width.</param>
    /// <param name="height">Destination height.</param>
    /// <returns>Scale and padding.</returns>
    public static LetterboxResult GetLetterbox(int sourceWidth, int sourceHeight, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        double scale = Math.Min((double)width / sourceWidth, (double)height / sourceHeight);
        return new LetterboxResult(scale, (width - (sourceWidth * scale)) / 2, (height - (sourceHeight * scale)) / 2, width, height);
    }

    /// <summary>Letterboxes the image into <paramref name="destination"/>: aspect ratio kept, centred, bilinear, padded.</summary>
    /// <param name="source">The image.</param>
    /// <param name="destination">The destination, same pixel format as the source.</param>
    /// <param name="border">Padding: <see cref="BorderMode.Zero"/> (MediaPipe's palm input) or edge replication.</param>
    /// <returns>Scale and padding, to map coordinates back.</returns>
    public static LetterboxResult Letterbox(ImageView source, ImageBuffer destination, BorderMode border = BorderMode.Zero)
    {
        ArgumentNullException.ThrowIfNull(destination);
        LetterboxResult box = GetLetterbox(source.Width, source.Height, destination.Width, destination.Height);
        WarpAffine(source, LetterboxMap(box), destination, border);
        return box;
    }

    /// <summary>Letterboxes like <see cref="Letterbox"/> straight into an RGB float tensor (MediaPipe's 192×192 palm input).</summary>
    /// <param name="source">The image.</param>
    /// <param name="width">Tensor width.</param>
    /// <param name="height">Tensor height.</param>
    /// <param name="destination">At least 3·width·height floats.</param>
    /// <param name="layout">Memory order.</param>
    /// <param name="normalization">Value mapping; null means [0, 1].</param>
    /// <param name="border">Padding mode.</param>
    /// <returns>Scale and padding, to map coordinates back.</returns>
    public static LetterboxResult LetterboxToTensor(ImageView source, int width, int height, Span<float> destination, TensorLayout layout = TensorLayout.Nhwc, PixelNormalization? normalization = null, BorderMode border = BorderMode.Zero)
    {
        LetterboxResult box = GetLetterbox(source.Width, source.Height, width, height);
        WarpAffineToTensor(source, LetterboxMap(box), width, height, border, destination, layout, normalization);
        return box;
    }

    /// <summary>Converts the whole image to an RGB float tensor of its own size.</summary>
    /// <param name="source">The image (gray repeated into RGB; RGBA's alpha ignored).</param>
    /// <param name="destination">At least 3·W·H floats.</param>
    /// <param name="layout">Memory order.</param>
    /// <param name="normalization">Value mapping; null means [0, 1].</param>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    public static void ToTensor(ImageView source, Span<float> destination, TensorLayout layout = TensorLayout.Nhwc, PixelNormalization? normalization = null)
    {
        RequireTensor(source.Width, source.Height, destination);
        Span<float> scale = stackalloc float[3], bias = stackalloc float[3];
        (normalization ?? PixelNormalization.ZeroToOne).GetScaleBias(scale, bias);
        int channels = source.BytesPerPixel;
        float[] row = ArrayPool<float>.Shared.Rent(source.Width * channels);
        try
        {
            for (int y = 0; y < source.Height; y++)
            {
                PixelRows.ToFloats(source.GetRow(y), row);
                PixelRows.ToTensor(row, channels, 0, source.Width, source.Width, source.Height, y, destination, layout, scale, bias);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(row);
        }
    }

    private static AffineTransform LetterboxMap(LetterboxResult box) =>
        new(1 / box.Scale, 0, -box.OffsetX / box.Scale, 0, 1 / box.Scale, -box.OffsetY / box.Scale);

    private static void RequireSameFormat(ImageView source, ImageBuffer destination)
    {
        if (source.Format != destination.Format)
        {
            throw new ArgumentException($"The destination must have the source's pixel format {source.Format}; got {destination.Format} (convert with ConvertFormat first).", nameof(destination));
        }
    }

    private static void RequireTensor(int width, int height, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long needed = 3L * width * height;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"A {width}x{height} RGB tensor needs {needed} floats; the destination has {destination.Length}.", nameof(destination));
        }
    }
}
