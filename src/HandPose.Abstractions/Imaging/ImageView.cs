namespace HandPose.Imaging;

/// <summary>
/// A read-only view of 8-bit interleaved pixels in caller memory: no copy, no codec.
/// </summary>
/// <remarks>
/// Rows are <see cref="Stride"/> bytes apart (stride ≥ width × bytes per pixel); the last row needs only
/// width × bytes per pixel bytes. The view is a <c>ref struct</c>: it cannot outlive the memory it looks at.
/// </remarks>
public readonly ref struct ImageView
{
    /// <summary>Creates a view and validates its geometry.</summary>
    /// <param name="data">The pixel bytes, starting with the top-left pixel.</param>
    /// <param name="width">Width in pixels (&gt; 0).</param>
    /// <param name="height">Height in pixels (&gt; 0).</param>
    /// <param name="format">Pixel layout.</param>
    /// <param name="stride">Bytes from one row to the next; 0 means tightly packed.</param>
    /// <exception cref="ArgumentException">The sizes are not positive, the stride is too small, or the data too short.</exception>
    public ImageView(ReadOnlySpan<byte> data, int width, int height, PixelFormat format, int stride = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int rowBytes = checked(width * format.BytesPerPixel());
        if (stride == 0)
        {
            stride = rowBytes;
        }

        if (stride < rowBytes)
        {
            throw new ArgumentException($"Stride {stride} is smaller than one row of {width} {format} pixels ({rowBytes} bytes).", nameof(stride));
        }

        long needed = ((long)stride * (height - 1)) + rowBytes;
        if (data.Length < needed)
        {
            throw new ArgumentException($"A {width}x{height} {format} image with stride {stride} needs {needed} bytes; got {data.Length}.", nameof(data));
        }

        Data = data;
        Width = width;
        Height = height;
        Format = format;
        Stride = stride;
    }

    /// <summary>The pixel bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixel layout.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes from one row to the next.</summary>
    public int Stride { get; }

    /// <summary>Bytes per pixel.</summary>
    public int BytesPerPixel => Format.BytesPerPixel();

    /// <summary>The bytes of one row (width × bytes per pixel).</summary>
    /// <param name="y">Row index, 0 at the top.</param>
    /// <returns>The row's pixels.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The row is outside the image.</exception>
    public ReadOnlySpan<byte> GetRow(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return Data.Slice(y * Stride, Width * BytesPerPixel);
    }
}
