namespace HandPose;

/// <summary>A 2D keypoint: a position and a confidence. A NaN coordinate means the keypoint is missing.</summary>
/// <param name="X">Horizontal coordinate (image pixels or map cells, as the producer documents).</param>
/// <param name="Y">Vertical coordinate, growing downwards.</param>
/// <param name="Confidence">Confidence in [0, 1]; 1 for ground truth.</param>
public readonly record struct Keypoint2D(float X, float Y, float Confidence = 1f)
{
    /// <summary>A missing keypoint (NaN coordinates, zero confidence).</summary>
    public static Keypoint2D Missing => new(float.NaN, float.NaN, 0f);

    /// <summary>True when either coordinate is NaN (or infinite), i.e. the keypoint is not present.</summary>
    public bool IsMissing => !float.IsFinite(X) || !float.IsFinite(Y);
}
