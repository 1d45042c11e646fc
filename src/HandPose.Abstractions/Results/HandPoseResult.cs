namespace HandPose;

/// <summary>What an estimator found in one image or video frame.</summary>
/// <param name="Hands">Detected hands (empty when none).</param>
/// <param name="ImageWidth">Width of the input image in pixels.</param>
/// <param name="ImageHeight">Height of the input image in pixels.</param>
public sealed record HandPoseResult(IReadOnlyList<Hand> Hands, int ImageWidth, int ImageHeight)
{
    /// <summary>The frame's timestamp in video mode; null in image mode.</summary>
    public TimeSpan? Timestamp { get; init; }
}
