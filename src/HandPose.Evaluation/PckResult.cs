namespace HandPose.Evaluation;

/// <summary>A PCK value with its per-keypoint breakdown.</summary>
/// <param name="Average">Mean accuracy over the keypoints that had at least one visible ground truth; NaN when none had.</param>
/// <param name="PerKeypoint">Accuracy per keypoint; NaN for a keypoint never visible.</param>
/// <param name="CountedKeypoints">How many keypoints entered <paramref name="Average"/>.</param>
public sealed record PckResult(double Average, IReadOnlyList<double> PerKeypoint, int CountedKeypoints);
