namespace HandPose.Evaluation.Tests;

public sealed class ProcrustesTests
{
    private static Keypoint3D[] Hand(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 21).Select(_ => new Keypoint3D((float)(random.NextDouble() * 80), (float)(random.NextDouble() * 80), (float)(500 + (random.NextDouble() * 40))))];
    }

    [Test]
    public void A_similarity_transform_of_the_truth_aligns_back_onto_it()
    {
        Keypoint3D[] gt = Hand(1);
        double a = 1.1, c = Math.Cos(a), s = Math.Sin(a);
        // Rotate about z and x, scale by 0.7, shift.
        Keypoint3D[] pred = [.. gt.Select(p =>
        {
            double x = (c * p.X) - (s * p.Y), y = (s * p.X) + (c * p.Y), z = p.Z;
            double y2 = (c * y) - (s * z), z2 = (s * y) + (c * z);
            return new Keypoint3D((float)((0.7 * x) + 13), (float)((0.7 * y2) - 40), (float)((0.7 * z2) + 2));
        })];
        var aligned = new Keypoint3D[21];
        Procrustes.Align(pred, gt, aligned);
        for (int j = 0; j < 21; j++)
        {
            Assert.That(new[] { aligned[j].X, aligned[j].Y, aligned[j].Z }, Is.EqualTo(new[] { gt[j].X, gt[j].Y, gt[j].Z }).Within(2e-3), $"keypoint {j}");
        }
    }

    [Test]
    public void Missing_keypoints_stay_missing_and_do_not_enter_the_fit()
    {
        Keypoint3D[] gt = Hand(2);
        Keypoint3D[] pred = [.. gt.Select(p => p with { X = p.X + 5 })];
        pred[3] = Keypoint3D.Missing;
        gt[4] = Keypoint3D.Missing;
        var aligned = new Keypoint3D[21];
        Procrustes.Align(pred, gt, aligned);
        Assert.That(aligned[3].IsMissing, Is.True);
        Assert.That(aligned[0].X, Is.EqualTo(gt[0].X).Within(1e-3), "a pure shift is removed");
        Assert.That(aligned[4].X, Is.EqualTo(pred[4].X - 5).Within(1e-3), "a keypoint missing only in the truth is still mapped");
    }

    [Test]
    public void Degenerate_inputs_do_not_produce_nan()
    {
        Keypoint3D[] gt = Hand(3);
        Keypoint3D[] collapsed = [.. gt.Select(_ => new Keypoint3D(1, 2, 3))];
        var aligned = new Keypoint3D[21];
        Procrustes.Align(collapsed, gt, aligned);
        Assert.That(aligned.All(p => !p.IsMissing), Is.True);
        Procrustes.Align([.. gt.Select(_ => Keypoint3D.Missing)], gt, aligned);
        Assert.That(aligned.All(p => p.IsMissing), Is.True);
        Assert.Throws<ArgumentException>(() => Procrustes.Align(gt, gt, new Keypoint3D[3]));
    }
}
