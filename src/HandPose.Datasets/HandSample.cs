namespace HandPose.Datasets;

/// <summary>
/// One labelled hand of a dataset, in the canonical 21-keypoint order (<see cref="KeypointSchema.Hand21"/>: wrist, then
/// thumb, index, middle, ring, little, each base to tip), whatever the dataset's own order.
/// </summary>
/// <param name="Id">The sample's identifier within its dataset (e.g. the image name).</param>
/// <param name="ImagePath">The image file (absolute path), or null where the dataset has none for this record.</param>
/// <param name="Keypoints">The 21 image keypoints in pixels; <see cref="Keypoint2D.Missing"/> where unlabelled.</param>
public sealed record HandSample(string Id, string? ImagePath, IReadOnlyList<Keypoint2D> Keypoints)
{
    /// <summary>The 21 keypoints in the camera frame, in millimetres (+x right, +y down, +z forward), where the dataset has them.</summary>
    public IReadOnlyList<Keypoint3D>? Keypoints3D { get; init; }

    /// <summary>The camera intrinsics K (3 × 3, row-major), where the dataset has them.</summary>
    public IReadOnlyList<double>? Intrinsics { get; init; }

    /// <summary>The subject's hand, where the dataset says.</summary>
    public Handedness Handedness { get; init; }

    /// <summary>The hand's box (x0, y0, x1, y1) in pixels: the dataset's own, or the tight box of the labelled keypoints.</summary>
    public (float X0, float Y0, float X1, float Y1)? Box { get; init; }

    /// <summary>The PCKh normaliser, where the dataset defines one (e.g. Panoptic's head size).</summary>
    public float? HeadSize { get; init; }

    /// <summary>The segmentation mask file, where the dataset has one.</summary>
    public string? MaskPath { get; init; }

    /// <summary>The depth image file, where the dataset has one.</summary>
    public string? DepthPath { get; init; }
}
