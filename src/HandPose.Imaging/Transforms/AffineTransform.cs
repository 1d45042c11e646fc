namespace HandPose.Imaging;

/// <summary>
/// A 2-D affine map x' = A·x + B·y + C, y' = D·x + E·y + F in continuous pixel coordinates
/// (pixel centres at integer + 0.5).
/// </summary>
/// <remarks>Warps use it as the map from destination coordinates to source coordinates (OpenCV's <c>WARP_INVERSE_MAP</c>).</remarks>
/// <param name="A">x' coefficient of x.</param>
/// <param name="B">x' coefficient of y.</param>
/// <param name="C">x' offset.</param>
/// <param name="D">y' coefficient of x.</param>
/// <param name="E">y' coefficient of y.</param>
/// <param name="F">y' offset.</param>
public readonly record struct AffineTransform(double A, double B, double C, double D, double E, double F)
{
    /// <summary>The identity map.</summary>
    public static AffineTransform Identity => new(1, 0, 0, 0, 1, 0);

    /// <summary>Applies the map to a point.</summary>
    /// <param name="x">x.</param>
    /// <param name="y">y.</param>
    /// <returns>The mapped point.</returns>
    public (double X, double Y) Apply(double x, double y) => ((A * x) + (B * y) + C, (D * x) + (E * y) + F);

    /// <summary>The inverse map.</summary>
    /// <returns>The inverse.</returns>
    /// <exception cref="InvalidOperationException">The map is singular.</exception>
    public AffineTransform Invert()
    {
        double det = (A * E) - (B * D);
        if (det == 0 || !double.IsFinite(det))
        {
            throw new InvalidOperationException("The affine transform is singular and has no inverse.");
        }

        double ia = E / det, ib = -B / det, id = -D / det, ie = A / det;
        return new AffineTransform(ia, ib, -((ia * C) + (ib * F)), id, ie, -((id * C) + (ie * F)));
    }
}
