namespace HandPose.Evaluation.Tests;

public sealed class NsrmEvaluationTests
{
    [Test]
    public void Decode_takes_the_first_maximum_in_row_major_order_and_truncates_to_crop_pixels()
    {
        // One 4 x 3 map (w = 4, h = 3): maxima at (row 1, col 3) and (row 2, col 0); the first wins.
        float[] map = [0, 0, 0, 0, 0, 0, 0, 5, 5, 0, 0, 0];
        var kp = new Keypoint2D[1];
        NsrmEvaluation.Decode(map, 4, 3, 101.9, 50.5, kp);
        // x = trunc(3 * (101 / 4)) = trunc(75.75) = 75; y = trunc(1 * (50 / 3)) = 16.
        Assert.That(kp[0], Is.EqualTo(new Keypoint2D(75, 16, 5)));
    }

    [Test]
    public void Pck_is_strict_counts_every_keypoint_and_normalises_by_crop_width_over_2_2()
    {
        Keypoint2D[] gt = [new(0, 0), new(10, 0), new(0, 10), Keypoint2D.Missing];
        Keypoint2D[] pred = [new(3, 4), new(10, 0), new(0, 20), new(0, 0)];
        // limit 0.1 * (220 / 2.2) = 10: errors 5 (hit), 0 (hit), 10 (not < 10), missing truth (miss) -> 2 / 4.
        Assert.That(NsrmEvaluation.Pck(pred, gt, 220, 0.1), Is.EqualTo(0.5));
    }

    [Test]
    public void Bad_inputs_are_named()
    {
        var kp = new Keypoint2D[1];
        var ex = Assert.Throws<ArgumentException>(() => NsrmEvaluation.Decode([1, float.NaN, 0, 0], 2, 2, 100, 100, kp))!;
        Assert.That(ex.Message, Does.Contain("NaN at row 0, column 1"));
        Assert.Throws<ArgumentException>(() => NsrmEvaluation.Decode([1, 2, 3], 2, 2, 100, 100, kp));
        Assert.Throws<ArgumentException>(() => NsrmEvaluation.Decode([1, 2, 3, 4], 2, 2, 0.5, 100, kp));
        Assert.Throws<ArgumentException>(() => NsrmEvaluation.Evaluate(new float[8], 2, 2, [new Keypoint2D[2]], [(10, 10), (10, 10)], [0.1]));
    }
}
