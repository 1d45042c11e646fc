namespace HandPose;

/// <summary>
/// Renders a structure map set (channels × height × width, float32, C order) from one set of keypoints, e.g.
/// Gaussian confidence maps or NSRM limb masks.
/// </summary>
/// <remarks>
/// Keypoints are in map coordinates: the cell at row r, column c sits at x = c, y = r (no half-pixel offset).
/// A missing keypoint (<see cref="Keypoint2D.IsMissing"/>) contributes nothing. Implementations do not allocate per
/// call and are safe to call concurrently with distinct destinations.
/// </remarks>
public interface IStructureRepresentation
{
    /// <summary>The skeleton the keypoints follow.</summary>
    KeypointSchema Schema { get; }

    /// <summary>Number of output channels.</summary>
    int ChannelCount { get; }

    /// <summary>Map width in cells.</summary>
    int MapWidth { get; }

    /// <summary>Map height in cells.</summary>
    int MapHeight { get; }

    /// <summary>Renders the maps into <paramref name="destination"/> (overwriting it).</summary>
    /// <param name="keypoints">Exactly <see cref="KeypointSchema.KeypointCount"/> keypoints in map coordinates.</param>
    /// <param name="destination">At least <see cref="ChannelCount"/> × <see cref="MapHeight"/> × <see cref="MapWidth"/> floats.</param>
    /// <exception cref="ArgumentException">Wrong keypoint count or destination too small.</exception>
    void Render(ReadOnlySpan<Keypoint2D> keypoints, Span<float> destination);
}
