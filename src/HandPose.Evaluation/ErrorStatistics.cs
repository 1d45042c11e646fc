namespace HandPose.Evaluation;

/// <summary>Mean and median keypoint errors, each averaged over keypoints (the Freiburg <c>EvalUtil</c> convention).</summary>
/// <param name="Mean">Average over keypoints of each keypoint's mean error.</param>
/// <param name="Median">Average over keypoints of each keypoint's median error.</param>
public sealed record ErrorStatistics(double Mean, double Median);
