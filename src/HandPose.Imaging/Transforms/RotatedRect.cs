namespace HandPose.Imaging;

/// <summary>
/// A rectangle in source-image pixels, rotated about its centre: MediaPipe's normalized ROI multiplied by the image size.
/// </summary>
/// <remarks>
/// Coordinates are continuous with pixel centres at integer + 0.5 (the top-left pixel covers [0, 1) × [0, 1)).
/// The rectangle's local axis (dx, dy) maps to the image point
/// (<see cref="CenterX"/> + cos r·dx − sin r·dy, <see cref="CenterY"/> + sin r·dx + cos r·dy) with r = <see cref="Rotation"/>:
/// with y pointing down, a positive rotation turns the rectangle clockwise on screen.
/// </remarks>
/// <param name="CenterX">Centre x in pixels.</param>
/// <param name="CenterY">Centre y in pixels.</param>
/// <param name="Width">Width in pixels (along the rotated x axis).</param>
/// <param name="Height">Height in pixels (along the rotated y axis).</param>
/// <param name="Rotation">Rotation in radians.</param>
public readonly record struct RotatedRect(float CenterX, float CenterY, float Width, float Height, float Rotation)
{
    /// <summary>
    /// The transform from destination pixel coordinates of a <paramref name="destinationWidth"/> × <paramref name="destinationHeight"/>
    /// crop of this rectangle to source coordinates: destination point (u, v) samples the source at
    /// centre + R(r)·((u / dw − 0.5)·Width, (v / dh − 0.5)·Height).
    /// </summary>
    /// <param name="destinationWidth">Crop width in pixels.</param>
    /// <param name="destinationHeight">Crop height in pixels.</param>
    /// <returns>The destination-to-source transform.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A destination size is not positive.</exception>
    public AffineTransform ToSourceTransform(int destinationWidth, int destinationHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(destinationWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(destinationHeight);
        double cos = Math.Cos(Rotation), sin = Math.Sin(Rotation);
        double sx = (double)Width / destinationWidth, sy = (double)Height / destinationHeight;
        // src = c + R · (u·sx − W/2, v·sy − H/2)
        double a = cos * sx, b = -sin * sy, d = sin * sx, e = cos * sy;
        double c = CenterX - (cos * Width / 2) + (sin * Height / 2);
        double f = CenterY - (sin * Width / 2) - (cos * Height / 2);
        return new AffineTransform(a, b, c, d, e, f);
    }
}
