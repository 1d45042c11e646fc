namespace HandPose.Synthetic;

/// <summary>
/// One rendered hand: RGB, depth and part mask images of <see cref="Size"/> × <see cref="Size"/> pixels and its exact
/// labels. Keypoints follow <see cref="KeypointSchema.Hand21"/> (wrist; thumb, index, middle, ring, little, base to
/// tip) and sit at joint centres, tips at the finger end.
/// </summary>
/// <remarks>Immutable; safe to read from any thread.</remarks>
public sealed class SyntheticSample
{
    private readonly byte[] _rgb;
    private readonly float[] _depth;
    private readonly byte[] _mask;
    private readonly Keypoint3D[] _keypoints3D;
    private readonly Keypoint2D[] _keypoints2D;
    private readonly bool[] _visible;

    internal SyntheticSample(long index, int size, byte[] rgb, float[] depth, byte[] mask, Keypoint3D[] keypoints3D, Keypoint2D[] keypoints2D, bool[] visible, CameraIntrinsics intrinsics, Handedness handedness, NamedHandPose pose, (float X0, float Y0, float X1, float Y1) boundingBox)
    {
        Index = index;
        Size = size;
        _rgb = rgb;
        _depth = depth;
        _mask = mask;
        _keypoints3D = keypoints3D;
        _keypoints2D = keypoints2D;
        _visible = visible;
        Intrinsics = intrinsics;
        Handedness = handedness;
        Pose = pose;
        BoundingBox = boundingBox;
    }

    /// <summary>The sample's index in its sampler's sequence.</summary>
    public long Index { get; }

    /// <summary>Image side in pixels.</summary>
    public int Size { get; }

    /// <summary>8-bit RGB, Size × Size × 3 bytes, rows top to bottom.</summary>
    public ReadOnlySpan<byte> Rgb => _rgb;

    /// <summary>Depth along the camera z axis in millimetres per pixel; 0 where nothing was rendered (background).</summary>
    public ReadOnlySpan<float> Depth => _depth;

    /// <summary>Part mask per pixel: 0 background, 1 hand (palm and fingers), 2 forearm, 3 occluder.</summary>
    public ReadOnlySpan<byte> Mask => _mask;

    /// <summary>Keypoints in the camera frame, millimetres (+x right, +y down, +z forward).</summary>
    public IReadOnlyList<Keypoint3D> Keypoints3D => _keypoints3D;

    /// <summary>Keypoints in pixels: the projection of <see cref="Keypoints3D"/> through <see cref="Intrinsics"/>.</summary>
    public IReadOnlyList<Keypoint2D> Keypoints2D => _keypoints2D;

    /// <summary>Per keypoint: inside the image and not hidden by the hand itself, the forearm or an occluder.</summary>
    public IReadOnlyList<bool> Visible => _visible;

    /// <summary>The camera matrix.</summary>
    public CameraIntrinsics Intrinsics { get; }

    /// <summary>The anatomical hand.</summary>
    public Handedness Handedness { get; }

    /// <summary>The pose family the sample was drawn from.</summary>
    public NamedHandPose Pose { get; }

    /// <summary>Tight box (x0, y0, x1, y1) of the pixels whose mask is 1, in pixel-centre coordinates (x1, y1 inclusive); all -1 when the hand is not in view.</summary>
    public (float X0, float Y0, float X1, float Y1) BoundingBox { get; }

    /// <summary>Per keypoint, how far (mm) the surface around it can be along a camera ray (the visibility rule's bound).</summary>
    internal float[] SurfaceRadii { get; init; } = [];

    /// <summary>The depth map rounded to whole millimetres and clamped to 0..65535 (the 16-bit PNG of the dataset layout).</summary>
    /// <returns>Size × Size values.</returns>
    public ushort[] DepthMillimetres()
    {
        var result = new ushort[_depth.Length];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = (ushort)Math.Clamp(MathF.Round(_depth[i]), 0f, 65535f);
        }

        return result;
    }
}
