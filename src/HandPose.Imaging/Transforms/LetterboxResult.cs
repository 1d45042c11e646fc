namespace HandPose.Imaging;

/// <summary>
/// Where a letterboxed image sits in its destination: destination = source·<see cref="Scale"/> + offset, so keypoints
/// found in the destination map back with <see cref="ToSource"/>.
/// </summary>
/// <param name="Scale">Destination pixels per source pixel (the same on both axes).</param>
/// <param name="OffsetX">Destination x of the source's left edge (x = 0); the left padding in pixels.</param>
/// <param name="OffsetY">Destination y of the source's top edge (y = 0); the top padding in pixels.</param>
/// <param name="DestinationWidth">Destination width.</param>
/// <param name="DestinationHeight">Destination height.</param>
public readonly record struct LetterboxResult(double Scale, double OffsetX, double OffsetY, int DestinationWidth, int DestinationHeight)
{
    /// <summary>Left padding as a fraction of the destination width (MediaPipe's letterbox padding l).</summary>
    public double PadLeft => OffsetX / DestinationWidth;

    /// <summary>Top padding as a fraction of the destination height (MediaPipe's t).</summary>
    public double PadTop => OffsetY / DestinationHeight;

    /// <summary>Right padding as a fraction of the destination width (MediaPipe's r; equals <see cref="PadLeft"/>).</summary>
    public double PadRight => PadLeft;

    /// <summary>Bottom padding as a fraction of the destination height (MediaPipe's b; equals <see cref="PadTop"/>).</summary>
    public double PadBottom => PadTop;

    /// <summary>Maps a destination point back to source pixel coordinates.</summary>
    /// <param name="x">Destination x (continuous, pixel centres at + 0.5).</param>
    /// <param name="y">Destination y.</param>
    /// <returns>The source point.</returns>
    public (double X, double Y) ToSource(double x, double y) => ((x - OffsetX) / Scale, (y - OffsetY) / Scale);

    /// <summary>Maps a source point into the destination.</summary>
    /// <param name="x">Source x.</param>
    /// <param name="y">Source y.</param>
    /// <returns>The destination point.</returns>
    public (double X, double Y) ToDestination(double x, double y) => ((x * Scale) + OffsetX, (y * Scale) + OffsetY);
}
