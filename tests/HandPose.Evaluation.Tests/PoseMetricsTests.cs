
namespace HandPose.Evaluation.Tests;

/// <summary>Hand-computed values; the derivations are in the comments.</summary>
public sealed class PoseMetricsTests
{
    // Sample 0: errors 5, 0, 10.  Sample 1: errors 1, (gt missing), 0.
    private static readonly Keypoint2D[][] Gt =
    [
        [new(0, 0), new(10, 0), new(0, 10)],
        [new(0, 0), Keypoint2D.Missing, new(5, 5)],
    ];

    private static readonly Keypoint2D[][] Pred =
    [
        [new(3, 4), new(10, 0), new(0, 20)],
        [new(0, 1), new(1, 1), new(5, 5)],
    ];

    [Test]
    public void Pck_averages_per_keypoint_accuracies_over_visible_keypoints()
    {
        // normalised errors: s0 = 0.1, 0, 0.2; s1 = 0.1, -, 0 ; threshold 0.15 -> k0 2/2, k1 1/1, k2 1/2.
        PckResult r = PoseMetrics.Pck(Pred, Gt, [50, 10], 0.15);
        Assert.That(r.PerKeypoint, Is.EqualTo(new[] { 1.0, 1.0, 0.5 }).Within(1e-12));
        Assert.That(r.Average, Is.EqualTo(2.5 / 3).Within(1e-12));
        Assert.That(r.CountedKeypoints, Is.EqualTo(3));
    }

    [Test]
    public void PckBoundingBox_uses_the_larger_box_side()
    {
        // boxes (20, 50) -> 50 and (10, 4) -> 10: the same normalisers as above.
        PckResult r = PoseMetrics.PckBoundingBox(Pred, Gt, [(20, 50), (10, 4)], 0.15);
        Assert.That(r.Average, Is.EqualTo(2.5 / 3).Within(1e-12));
    }

    [Test]
    public void EndPointError_excludes_missing_ground_truth()
    {
        Assert.That(PoseMetrics.EndPointError(Pred, Gt), Is.EqualTo(16.0 / 5).Within(1e-12));
    }

    [Test]
    public void Auc_is_the_left_riemann_sum_of_pck_at_i_over_20_of_30_px()
    {
        // Errors /30: k0 {.1667, .0333}, k1 {0}, k2 {.3333, 0}. PCK(t): t=0 -> 0; t=.05..0.15 -> 2/3 (3 thresholds);
        // t=.2..0.3 -> 2.5/3 (3); t=.35..0.95 -> 1 (13). Sum = 2 + 2.5 + 13 = 17.5 -> /20 = 0.875.
        Assert.That(PoseMetrics.Auc(Pred, Gt), Is.EqualTo(0.875).Within(1e-12));
    }

    [Test]
    public void AucFreiburg_integrates_per_keypoint_with_the_trapezoid_rule()
    {
        // thresholds 0,10,20,30 (<=): k0 pck 0,1,1,1 -> 25/30; k1 1,1,1,1 -> 1; k2 .5,1,1,1 -> 27.5/30. Mean = 2.75/3.
        Assert.That(PoseMetrics.AucFreiburg(Pred, Gt, 0, 30, 4), Is.EqualTo(2.75 / 3).Within(1e-12));
    }

    [Test]
    public void Missing_prediction_for_visible_truth_is_a_miss_in_pck_and_excluded_from_epe()
    {
        Keypoint2D[][] gt = [[new(0, 0), new(1, 1)]];
        Keypoint2D[][] pred = [[Keypoint2D.Missing, new(1, 1)]];
        Assert.That(PoseMetrics.Pck(pred, gt, [1], 0.5).Average, Is.EqualTo(0.5));
        Assert.That(PoseMetrics.EndPointError(pred, gt), Is.Zero);
    }

    [Test]
    public void EndPointError_3D_is_euclidean()
    {
        Keypoint3D[][] gt = [[new(0, 0, 0), new(1, 1, 1)]];
        Keypoint3D[][] pred = [[new(1, 2, 2), new(1, 1, 1)]];
        Assert.That(PoseMetrics.EndPointError(pred, gt), Is.EqualTo(1.5).Within(1e-12));
        Assert.That(PoseMetrics.AucFreiburg(pred, gt, 0, 3, 2), Is.EqualTo(0.75).Within(1e-12), "k0: (0+1)/2; k1: 1");
    }

    [Test]
    public void Mismatched_shapes_are_rejected()
    {
        Keypoint2D[][] one = [[new(0, 0)]];
        Keypoint2D[][] two = [[new(0, 0), new(1, 1)]];
        Assert.Throws<ArgumentException>(() => PoseMetrics.EndPointError(one, two));
        Assert.Throws<ArgumentException>(() => PoseMetrics.Pck(one, one, [1, 2], 0.1));
    }

    [Test]
    public void No_visible_keypoint_gives_NaN_not_zero()
    {
        Keypoint2D[][] gt = [[Keypoint2D.Missing]];
        Assert.That(PoseMetrics.Pck(gt, gt, [1], 0.1).Average, Is.NaN);
    }
}
