using HandPose.Testing;

namespace HandPose.Datasets.Tests;

/// <summary>RHD's annotation pickle (NumPy arrays), finger order, depth encoding and errors by file, sample and field.</summary>
public sealed class RhdTests
{
    private static string Fixture(params string[] parts) => RepoPaths.Tests(["HandPose.Datasets.Tests", "TestData", .. parts]);

    private static string SplitWith(string pickle)
    {
        string root = RepoPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "evaluation"));
        File.Copy(pickle, Path.Combine(root, "evaluation", "anno_evaluation.pickle"));
        return root;
    }

    [Test]
    public void Reads_both_hands_reverses_the_fingers_and_skips_hands_without_visible_keypoints()
    {
        HandDataset d = Rhd.Load(Fixture("rhd"), "evaluation");
        Assert.That(d.Samples.Select(s => s.Id), Is.EqualTo(new[] { "00000/left", "00000/right", "00007/right" }));
        HandSample left = d.Samples[0], right = d.Samples[1];
        // Canonical 1 (thumb base) is RHD row 4, canonical 4 (thumb tip) row 1: u = 10.5 + 2·row, v = 100.25 + row.
        Assert.That((left.Keypoints[0].X, left.Keypoints[0].Y), Is.EqualTo((10.5f, 100.25f)));
        Assert.That((left.Keypoints[1].X, left.Keypoints[1].Y), Is.EqualTo((18.5f, 104.25f)));
        Assert.That(left.Keypoints[4].X, Is.EqualTo(12.5f));
        Assert.That(left.Keypoints[20].X, Is.EqualTo(10.5f + (2 * 17)), "little tip is row 17");
        Assert.That((right.Keypoints[0].X, right.Keypoints[0].Y), Is.EqualTo((52.5f, 121.25f)), "right hand rows start at 21");
        Assert.That(right.Keypoints[1].Confidence, Is.Zero, "row 25 (right thumb base) is not visible");
        Assert.That(right.Keypoints[2].Confidence, Is.EqualTo(1f));
        Assert.That(left.Keypoints3D![1].X, Is.EqualTo(512f).Within(1e-3), "(3·4 + 0)/1000 + 0.5 m in mm");
        Assert.That(left.Keypoints3D[1].Z, Is.EqualTo(514f).Within(1e-3));
        Assert.That(left.Intrinsics, Is.EqualTo(new[] { 283.1, 0, 160, 0, 283.1, 160, 0, 0, 1 }));
        Assert.That((left.Handedness, right.Handedness), Is.EqualTo((Handedness.Left, Handedness.Right)));
        Assert.That(left.ImagePath, Does.EndWith(Path.Combine("evaluation", "color", "00000.png")));
        Assert.That(left.DepthPath, Does.EndWith(Path.Combine("evaluation", "depth", "00000.png")));
        Assert.That(Rhd.ToCanonical.Order(), Is.EqualTo(Enumerable.Range(0, 21)));
    }

    [Test]
    public void Python_2_era_protocol_2_pickles_read_the_same()
    {
        HandDataset three = Rhd.Load(Fixture("rhd"), "evaluation");
        HandDataset two = Rhd.Load(SplitWith(Fixture("rhd-bad", "anno_protocol2.pickle")), "evaluation");
        Assert.That(two.Samples.Select(s => s.Keypoints), Is.EqualTo(three.Samples.Select(s => s.Keypoints)));
        Assert.That(two.Samples.Select(s => s.Keypoints3D), Is.EqualTo(three.Samples.Select(s => s.Keypoints3D)));
    }

    [Test]
    public void Missing_fields_wrong_shapes_and_other_files_are_named()
    {
        var ex = Assert.Throws<DataFormatException>(() => Rhd.Load(SplitWith(Fixture("rhd-bad", "anno_missing_K.pickle")), "evaluation"))!;
        Assert.That(ex.Message, Does.Contain("anno_evaluation.pickle").And.Contain("sample 0 has no field 'K'"));
        ex = Assert.Throws<DataFormatException>(() => Rhd.Load(SplitWith(Fixture("rhd-bad", "anno_short_uv.pickle")), "evaluation"))!;
        Assert.That(ex.Message, Does.Contain("sample 3.uv_vis must have shape (42, 3); got (41, 3)"));
        string root = RepoPaths.NewTempDirectory();
        ex = Assert.Throws<DataFormatException>(() => Rhd.Load(root, "training"))!;
        Assert.That(ex.Message, Does.Contain("anno_training.pickle: not found"));
        Directory.CreateDirectory(Path.Combine(root, "training"));
        File.WriteAllText(Path.Combine(root, "training", "anno_training.pickle"), "{\"not\": \"a pickle\"}");
        ex = Assert.Throws<DataFormatException>(() => Rhd.Load(root, "training"))!;
        Assert.That(ex.Message, Does.Contain("not a readable pickle"));
        Assert.Throws<ArgumentException>(() => Rhd.Load(root, "test"));
    }

    [Test]
    public void Depth_png_is_r_times_256_plus_g_over_65535_times_5_metres()
    {
        var depth = new float[2];
        Rhd.DecodeDepth([1, 2, 99, 255, 255, 0], depth);
        Assert.That(depth[0], Is.EqualTo(258 / 65535.0 * 5).Within(1e-6));
        Assert.That(depth[1], Is.EqualTo(5f).Within(1e-6));
        Assert.Throws<ArgumentException>(() => Rhd.DecodeDepth([1, 2], depth));
    }
}
