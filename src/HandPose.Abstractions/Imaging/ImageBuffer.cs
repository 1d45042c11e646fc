namespace HandPose.Imaging;

/// <summary>An image that owns (or wraps) its pixel memory: 8-bit interleaved, rows <see cref="Stride"/> bytes apart.</summary>
/// <remarks>Not thread-safe for concurrent writes; concurrent reads are safe.</remarks>
public sealed class ImageBuffer
{
    private readonly Memory<byte> _memory;

    /// <summary>Allocates a zero-filled, tightly packed image.</summary>
    /// <param name="width">Width in pixels (&gt; 0).</param>
    /// <param name="height">Height in pixels (&gt; 0).</param>
    /// <param name="format">Pixel layout.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public ImageBuffer(int width, int height, PixelFormat format)
        : this(new byte[checked(width > 0 && height > 0 ? width * height * format.BytesPerPixel() : throw new ArgumentOutOfRangeException(width > 0 ? nameof(height) : nameof(width), "Image sizes must be positive."))], width, height, format)
    {
    }

    /// <summary>Wraps existing memory without copying.</summary>
    /// <param name="memory">Pixel memory, top-left pixel first.</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <param name="format">Pixel layout.</param>
    /// <param name="stride">Bytes between rows; 0 means tightly packed.</param>
    /// <exception cref="ArgumentException">The geometry does not fit the memory.</exception>
    public ImageBuffer(Memory<byte> memory, int width, int height, PixelFormat format, int stride = 0)
    {
        // The view's constructor performs (and documents) every geometry check.
        ImageView view = new(memory.Span, width, height, format, stride);
        _memory = memory;
        Width = width;
        Height = height;
        Format = format;
        Stride = view.Stride;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixel layout.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes between rows.</summary>
    public int Stride { get; }

    /// <summary>The pixel memory.</summary>
    public Memory<byte> Memory => _memory;

    /// <summary>A read-only view of the pixels.</summary>
    /// <returns>The view.</returns>
    public ImageView AsView() => new(_memory.Span, Width, Height, Format, Stride);

    /// <summary>The writable bytes of one row.</summary>
    /// <param name="y">Row index.</param>
    /// <returns>The row's pixels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the image.</exception>
    public Span<byte> GetRowSpan(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return _memory.Span.Slice(y * Stride, Width * Format.BytesPerPixel());
    }

    /// <summary>Copies a view into a new, tightly packed buffer.</summary>
    /// <param name="view">The source.</param>
    /// <returns>A new buffer owning a copy of the pixels.</returns>
    public static ImageBuffer CopyOf(ImageView view)
    {
        var buffer = new ImageBuffer(view.Width, view.Height, view.Format);
        for (int y = 0; y < view.Height; y++)
        {
            view.GetRow(y).CopyTo(buffer.GetRowSpan(y));
        }

        return buffer;
    }
}
