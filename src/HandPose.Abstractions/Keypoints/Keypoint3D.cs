namespace HandPose;

/// <summary>A 3D keypoint: a position and a confidence. A NaN coordinate means the keypoint is missing.</summary>
/// <param name="X">First coordinate (image pixels for image keypoints, metres for world keypoints).</param>
/// <param name="Y">Second coordinate.</param>
/// <param name="Z">Third coordinate (relative depth in the scale of <paramref name="X"/> for image keypoints).</param>
/// <param name="Confidence">Confidence in [0, 1].</param>
public readonly record struct Keypoint3D(float X, float Y, float Z, float Confidence = 1f)
{
    /// <summary>A missing keypoint (NaN coordinates, zero confidence).</summary>
    public static Keypoint3D Missing => new(float.NaN, float.NaN, float.NaN, 0f);

    /// <summary>True when any coordinate is NaN (or infinite).</summary>
    public bool IsMissing => !float.IsFinite(X) || !float.IsFinite(Y) || !float.IsFinite(Z);

    /// <summary>The projection onto the first two coordinates, keeping the confidence.</summary>
    public Keypoint2D ToKeypoint2D() => new(X, Y, Confidence);
}
