namespace HandPose.Structure;

/// <summary>
/// NSRM's conversion from crop pixels to map coordinates, in float64 and in the released code's operation order:
/// X = ((x · S) / s) / W, Y = ((y · S) / s) / H for a W × H crop resized to S × S with stride s.
/// </summary>
/// <remarks>
/// Map cell (row r, column c) sits at (X = c, Y = r); there is no half-pixel offset, so crop x = 0 lands on the centre
/// of column 0 and x = W at X = S / s. Points outside the crop are converted as they are. Thread-safe.
/// </remarks>
public static class NsrmCoordinates
{
    /// <summary>NSRM's network input size (368).</summary>
    public const int DefaultInputSize = 368;

    /// <summary>NSRM's output stride (8), giving 46 × 46 maps.</summary>
    public const int DefaultStride = 8;

    /// <summary>The map size for an input size and stride (integer division, as NSRM).</summary>
    /// <param name="inputSize">Network input size S.</param>
    /// <param name="stride">Output stride s.</param>
    /// <returns>S / s, rounded down.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive, or the stride exceeds the input size.</exception>
    public static int MapSize(int inputSize = DefaultInputSize, int stride = DefaultStride)
    {
        Validate(inputSize, stride);
        return inputSize / stride;
    }

    /// <summary>Converts one point from crop pixels to map coordinates.</summary>
    /// <param name="x">Crop x in pixels.</param>
    /// <param name="y">Crop y in pixels.</param>
    /// <param name="cropWidth">Crop width W in pixels.</param>
    /// <param name="cropHeight">Crop height H in pixels.</param>
    /// <param name="inputSize">Network input size S.</param>
    /// <param name="stride">Output stride s.</param>
    /// <returns>The map coordinates (NaN stays NaN).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive (or not finite).</exception>
    public static (double X, double Y) CropToMap(double x, double y, double cropWidth, double cropHeight, int inputSize = DefaultInputSize, int stride = DefaultStride)
    {
        ValidateCrop(cropWidth, cropHeight);
        Validate(inputSize, stride);
        return (x * inputSize / stride / cropWidth, y * inputSize / stride / cropHeight);
    }

    /// <summary>Converts interleaved (x, y) crop-pixel coordinates to map coordinates.</summary>
    /// <param name="cropXY">Interleaved x0, y0, x1, y1, ... in crop pixels.</param>
    /// <param name="mapXY">Receives the map coordinates; at least as long as <paramref name="cropXY"/>.</param>
    /// <param name="cropWidth">Crop width W in pixels.</param>
    /// <param name="cropHeight">Crop height H in pixels.</param>
    /// <param name="inputSize">Network input size S.</param>
    /// <param name="stride">Output stride s.</param>
    /// <exception cref="ArgumentException">Odd length, destination too short, or a size not positive.</exception>
    public static void CropToMap(ReadOnlySpan<double> cropXY, Span<double> mapXY, double cropWidth, double cropHeight, int inputSize = DefaultInputSize, int stride = DefaultStride)
    {
        ValidateCrop(cropWidth, cropHeight);
        Validate(inputSize, stride);
        if (cropXY.Length % 2 != 0)
        {
            throw new ArgumentException($"Expected interleaved (x, y) pairs; got {cropXY.Length} values.", nameof(cropXY));
        }

        if (mapXY.Length < cropXY.Length)
        {
            throw new ArgumentException($"The destination holds {mapXY.Length} values; {cropXY.Length} are needed.", nameof(mapXY));
        }

        for (int i = 0; i < cropXY.Length; i += 2)
        {
            mapXY[i] = cropXY[i] * inputSize / stride / cropWidth;
            mapXY[i + 1] = cropXY[i + 1] * inputSize / stride / cropHeight;
        }
    }

    private static void ValidateCrop(double cropWidth, double cropHeight)
    {
        if (!(cropWidth > 0) || !double.IsFinite(cropWidth))
        {
            throw new ArgumentOutOfRangeException(nameof(cropWidth), cropWidth, "The crop width must be a positive, finite number of pixels.");
        }

        if (!(cropHeight > 0) || !double.IsFinite(cropHeight))
        {
            throw new ArgumentOutOfRangeException(nameof(cropHeight), cropHeight, "The crop height must be a positive, finite number of pixels.");
        }
    }

    private static void Validate(int inputSize, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stride, inputSize);
    }
}
