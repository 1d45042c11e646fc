using System.Globalization;
using HandPose.Testing;

namespace HandPose.Datasets.Tests;

public sealed class DatasetReaderTests
{
    private static string Pts(int n, Func<int, string> point) => "[" + string.Join(", ", Enumerable.Range(0, n).Select(point)) + "]";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    [Test]
    public void Nsrm_layout_reads_the_official_data_sample()
    {
        HandDataset test = PanopticHands.LoadNsrmLayout(RepoPaths.Tests("HandPose.Datasets.Tests", "TestData", "nsrm"), "test");
        Assert.That(test.Count, Is.EqualTo(1));
        HandSample s = test.Samples[0];
        Assert.That(s.Id, Is.EqualTo("00000009.jpg"));
        Assert.That(s.ImagePath, Does.EndWith(Path.Combine("imgs", "00000009.jpg")));
        Assert.That(s.Keypoints, Has.Count.EqualTo(21));
        Assert.That(s.Keypoints.All(k => !k.IsMissing), Is.True);
        Assert.That(s.Box!.Value.X0, Is.EqualTo(s.Keypoints.Min(k => k.X)));
        Assert.Throws<ArgumentException>(() => PanopticHands.LoadNsrmLayout(RepoPaths.Tests("HandPose.Datasets.Tests", "TestData", "nsrm"), "val"));
    }

    [Test]
    public void Nsrm_layout_names_a_missing_label_and_a_short_point_list()
    {
        string dir = RepoPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "partitions.json"), "{\"train\": [\"a.jpg\", \"b.jpg\"], \"valid\": [], \"test\": []}");
        File.WriteAllText(Path.Combine(dir, "labels.json"), "{\"a.jpg\": " + Pts(21, i => "[1, 2]") + "}");
        var ex = Assert.Throws<DataFormatException>(() => PanopticHands.LoadNsrmLayout(dir, "train"))!;
        Assert.That(ex.Message, Does.Contain("labels.json").And.Contain("no field 'b.jpg'"));
        File.WriteAllText(Path.Combine(dir, "labels.json"), "{\"a.jpg\": " + Pts(21, i => "[1, 2]") + ", \"b.jpg\": " + Pts(20, i => "[1, 2]") + "}");
        ex = Assert.Throws<DataFormatException>(() => PanopticHands.LoadNsrmLayout(dir, "train"))!;
        Assert.That(ex.Message, Does.Contain("\"b.jpg\" must have 21 entries; got 20"));
        File.Delete(Path.Combine(dir, "partitions.json"));
        ex = Assert.Throws<DataFormatException>(() => PanopticHands.LoadNsrmLayout(dir, "train"))!;
        Assert.That(ex.Message, Does.Contain("partitions.json: not found"));
    }

    [Test]
    public void Panoptic_manual_json_uses_flags_handedness_and_head_size()
    {
        string dir = RepoPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "Ricki_unit_8.flv_000003_l.json"),
            "{\"hand_pts\": " + Pts(21, i => Inv($"[{10 + i}.5, {20 + i}, {(i == 3 ? 0 : 1)}]")) + ", \"is_left\": 1, \"head_size\": 42.5, \"hand_box_center\": [30, 40]}");
        File.WriteAllText(Path.Combine(dir, "x_r.json"), "{\"hand_pts\": " + Pts(21, i => "[1, 1, 1]") + ", \"is_left\": 0}");
        HandDataset d = PanopticHands.LoadManual(dir);
        Assert.That(d.Count, Is.EqualTo(2));
        HandSample left = d.Samples[0];
        Assert.That(left.Handedness, Is.EqualTo(Handedness.Left));
        Assert.That(left.HeadSize, Is.EqualTo(42.5f));
        Assert.That(left.Keypoints[3].IsMissing, Is.True);
        Assert.That(left.Keypoints[4], Is.EqualTo(new Keypoint2D(14.5f, 24)));
        Assert.That(left.ImagePath, Does.EndWith("Ricki_unit_8.flv_000003_l.jpg"));
        Assert.That(d.Samples[1].Handedness, Is.EqualTo(Handedness.Right));
        Assert.That(d.Samples[1].HeadSize, Is.Null);

        File.WriteAllText(Path.Combine(dir, "y.json"), "{\"hand_pts\": " + Pts(21, i => "[1, 1, 1]") + "}");
        var ex = Assert.Throws<DataFormatException>(() => PanopticHands.LoadManual(dir))!;
        Assert.That(ex.Message, Does.Contain("y.json").And.Contain("no field 'is_left'"));
    }

    [Test]
    public void Panoptic_db_reads_records_and_names_a_bad_one()
    {
        string dir = RepoPaths.NewTempDirectory();
        string rec = "{\"img_paths\": \"imgs/00000001.jpg\", \"joint_self\": " + Pts(21, i => Inv($"[{i}, {2 * i}, {(i % 2)}]")) + ", \"objpos\": [5, 5]}";
        File.WriteAllText(Path.Combine(dir, "hands_v143_14817.json"), "{\"root\": [" + rec + "]}");
        HandDataset d = PanopticHands.LoadPanopticDb(dir);
        Assert.That(d.Samples[0].ImagePath, Is.EqualTo(Path.Combine(dir, "imgs/00000001.jpg")));
        Assert.That(d.Samples[0].Keypoints[0].IsMissing, Is.True, "valid = 0");
        Assert.That(d.Samples[0].Keypoints[1], Is.EqualTo(new Keypoint2D(1, 2)));
        File.WriteAllText(Path.Combine(dir, "hands_v143_14817.json"), "{\"root\": [" + rec + ", {\"img_paths\": 7}]}");
        var ex = Assert.Throws<DataFormatException>(() => PanopticHands.LoadPanopticDb(dir))!;
        Assert.That(ex.Message, Does.Contain("root[1].img_paths must be a string"));
    }

    [Test]
    public void OneHand10K_reads_csv_lines_with_minus_one_as_missing()
    {
        string dir = RepoPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(dir, "Test"));
        string coords = string.Join(", ", Enumerable.Range(0, 21).Select(i => i == 5 ? "-1, -1" : Inv($"{100 + i}, {200 + i}")));
        File.WriteAllText(Path.Combine(dir, "Test", "label_joint.txt"), $"1001.jpg, 640, 480, 1, {coords}\n\n");
        HandDataset d = OneHand10K.Load(dir, "Test");
        Assert.That(d.Count, Is.EqualTo(1));
        Assert.That(d.Samples[0].Keypoints[5].IsMissing, Is.True);
        Assert.That(d.Samples[0].Keypoints[20], Is.EqualTo(new Keypoint2D(120, 220)));
        Assert.That(d.Samples[0].MaskPath, Does.EndWith(Path.Combine("Test", "mask", "1001.png")));
        File.WriteAllText(Path.Combine(dir, "Test", "label_joint.txt"), $"1001.jpg, 640, 480, 1, {coords}\n1002.jpg, 640, x, 1, {coords}\n");
        var ex = Assert.Throws<DataFormatException>(() => OneHand10K.Load(dir, "Test"))!;
        Assert.That(ex.Message, Does.Contain("line 2, field 3"));
        File.WriteAllText(Path.Combine(dir, "Test", "label_joint.txt"), "1001.jpg, 640, 480, 1, 5, 6\n");
        Assert.That(Assert.Throws<DataFormatException>(() => OneHand10K.Load(dir, "Test"))!.Message, Does.Contain("expected 46"));
    }

    [Test]
    public void FreiHand_projects_metres_through_k_into_pixels_and_numbers_versions()
    {
        string dir = RepoPaths.NewTempDirectory();
        // Two samples; K with fx = 500, fy = 400, cx = 112, cy = 100.
        string hand(double dx) => Pts(21, i => Inv($"[{(0.01 * i) + dx}, {-0.02 + (0.001 * i)}, 0.5]"));
        File.WriteAllText(Path.Combine(dir, "training_xyz.json"), $"[{hand(0)}, {hand(0.05)}]");
        File.WriteAllText(Path.Combine(dir, "training_K.json"), "[[[500, 0, 112], [0, 400, 100], [0, 0, 1]], [[500, 0, 112], [0, 400, 100], [0, 0, 1]]]");
        HandDataset d = FreiHand.Load(dir, "training", versions: 2);
        Assert.That(d.Count, Is.EqualTo(4));
        Assert.That(d.Samples[3].Id, Is.EqualTo("00000003"), "version 1 of sample 1 = 1 + 2 * 1");
        Assert.That(d.Samples[3].MaskPath, Does.EndWith(Path.Combine("mask", "00000001.jpg")));
        HandSample s = d.Samples[1];
        Assert.That(s.Keypoints3D![2].X, Is.EqualTo(70f).Within(1e-4), "metres -> mm");
        // u = 500 * 0.07 / 0.5 + 112 = 182; v = 400 * (-0.018) / 0.5 + 100 = 85.6
        Assert.That(s.Keypoints[2].X, Is.EqualTo(182f).Within(1e-3));
        Assert.That(s.Keypoints[2].Y, Is.EqualTo(85.6f).Within(1e-3));
        File.WriteAllText(Path.Combine(dir, "training_K.json"), "[[[500, 0, 112], [0, 400, 100], [0, 0, 1]]]");
        Assert.That(Assert.Throws<DataFormatException>(() => FreiHand.Load(dir))!.Message, Does.Contain("training_K.json: the root must have 2 entries; got 1"));
    }

    [Test]
    public void Coco_wholebody_hand_takes_valid_sides_and_converts_boxes()
    {
        string dir = RepoPaths.NewTempDirectory();
        string kpts(int offset) => "[" + string.Join(", ", Enumerable.Range(0, 21).Select(i => Inv($"{offset + i}, {offset + (2 * i)}, {(i == 0 ? 0 : 2)}"))) + "]";
        string zeros = "[" + string.Join(", ", Enumerable.Repeat("0", 63)) + "]";
        string json = "{\"images\": [{\"id\": 7, \"file_name\": \"000000000785.jpg\", \"width\": 640, \"height\": 425}], \"annotations\": [" +
            "{\"image_id\": 7, \"id\": 1, \"lefthand_valid\": true, \"lefthand_kpts\": " + kpts(100) + ", \"lefthand_box\": [90, 95, 40, 50]," +
            " \"righthand_valid\": false, \"righthand_kpts\": " + zeros + ", \"righthand_box\": [0, 0, 0, 0]}," +
            "{\"image_id\": 7, \"id\": 2, \"lefthand_valid\": true, \"lefthand_kpts\": " + zeros + ", \"lefthand_box\": [0, 0, 0, 0]}]}";
        string file = Path.Combine(dir, "coco_wholebody_val_v1.0.json");
        File.WriteAllText(file, json);
        HandDataset d = CocoWholeBodyHand.Load(file, Path.Combine(dir, "val2017"));
        Assert.That(d.Count, Is.EqualTo(1), "right side invalid; second annotation all zeros");
        HandSample s = d.Samples[0];
        Assert.That(s.Handedness, Is.EqualTo(Handedness.Left));
        Assert.That(s.Keypoints[0].IsMissing, Is.True, "v = 0");
        Assert.That(s.Keypoints[3], Is.EqualTo(new Keypoint2D(103, 106)));
        Assert.That(s.Box, Is.EqualTo((90f, 95f, 130f, 145f)));
        File.WriteAllText(file, json.Replace("\"image_id\": 7, \"id\": 2", "\"image_id\": 8, \"id\": 2", StringComparison.Ordinal));
        Assert.That(Assert.Throws<DataFormatException>(() => CocoWholeBodyHand.Load(file, dir))!.Message, Does.Contain("annotations[1].image_id 8 names no entry"));
    }

    [Test]
    public void Synthetic_layout_reads_annotations_and_rejects_bad_handedness()
    {
        string dir = RepoPaths.NewTempDirectory();
        string sample(string side) => "{\"id\": \"000000\", \"handedness\": \"" + side + "\", \"K\": [[300, 0, 128], [0, 300, 128], [0, 0, 1]], " +
            "\"keypoints_3d\": " + Pts(21, i => Inv($"[{i}, {i}, 500]")) + ", \"keypoints_2d\": " + Pts(21, i => Inv($"[{128 + (0.6 * i)}, {128 + (0.6 * i)}]")) +
            ", \"visible\": " + Pts(21, _ => "true") + ", \"bbox\": [120, 121, 150, 151]}";
        File.WriteAllText(Path.Combine(dir, "annotations.json"), "{\"image_size\": [256, 256], \"keypoint_order\": \"hand21\", \"depth_unit\": \"mm\", \"samples\": [" + sample("left") + "]}");
        HandSample s = SyntheticLayout.Load(dir).Samples[0];
        Assert.That(s.Handedness, Is.EqualTo(Handedness.Left));
        Assert.That(s.Intrinsics![0], Is.EqualTo(300));
        Assert.That(s.Keypoints3D![20].Z, Is.EqualTo(500));
        Assert.That(s.DepthPath, Does.EndWith(Path.Combine("depth", "000000.png")));
        File.WriteAllText(Path.Combine(dir, "annotations.json"), "{\"samples\": [" + sample("both") + "]}");
        Assert.That(Assert.Throws<DataFormatException>(() => SyntheticLayout.Load(dir))!.Message, Does.Contain("samples[0].handedness must be \"left\" or \"right\""));
    }
}
