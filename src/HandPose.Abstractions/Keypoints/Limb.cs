namespace HandPose;

/// <summary>An ordered pair of keypoint indices: a bone of a skeleton, from the proximal point to the distal one.</summary>
/// <param name="From">Index of the proximal keypoint (NSRM's A).</param>
/// <param name="To">Index of the distal keypoint (NSRM's B).</param>
public readonly record struct Limb(int From, int To);
