using System.Text.Json;
using HandPose.IO;
using HandPose.Testing;

namespace HandPose.Evaluation.Tests;

/// <summary>Against TestData/expected.json: the published metric definitions computed by an independent NumPy script.</summary>
public sealed class ReferenceTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Data("expected.json"))).RootElement;

    internal static string Data(string name) => RepoPaths.Tests("HandPose.Evaluation.Tests", "TestData", name);

    private static Keypoint2D[][] Points2D(string file, string? visibleFile = null)
    {
        NpyArray a = NpyArray.Load(Data(file));
        float[]? v = visibleFile is null ? null : NpyArray.Load(Data(visibleFile)).Data;
        int n = a.Shape[0], k = a.Shape[1];
        return [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, k).Select(j =>
            v is not null && v[(i * k) + j] == 0 ? Keypoint2D.Missing : new Keypoint2D(a.Data[2 * ((i * k) + j)], a.Data[(2 * ((i * k) + j)) + 1])).ToArray())];
    }

    private static Keypoint3D[][] Points3D(string file)
    {
        NpyArray a = NpyArray.Load(Data(file));
        int n = a.Shape[0], k = a.Shape[1];
        return [.. Enumerable.Range(0, n).Select(i => Enumerable.Range(0, k).Select(j =>
            new Keypoint3D(a.Data[3 * ((i * k) + j)], a.Data[(3 * ((i * k) + j)) + 1], a.Data[(3 * ((i * k) + j)) + 2])).ToArray())];
    }

    [Test]
    public void MMPose_pck_auc_epe_match_the_reference()
    {
        Keypoint2D[][] pred = Points2D("mm_pred.npy"), gt = Points2D("mm_gt.npy", "mm_visible.npy");
        float[] b = NpyArray.Load(Data("mm_bbox.npy")).Data;
        var boxes = Enumerable.Range(0, pred.Length).Select(i => ((double)b[(4 * i) + 2] - b[4 * i], (double)b[(4 * i) + 3] - b[(4 * i) + 1])).ToArray();
        PckResult pck = PoseMetrics.PckBoundingBox(pred, gt, boxes, 0.2);
        Assert.That(pck.Average, Is.EqualTo(Expected.GetProperty("pck_bbox_0.2").GetDouble()).Within(1e-12));
        double?[] perKeypoint = [.. Expected.GetProperty("pck_bbox_per_keypoint").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (double?)null : e.GetDouble())];
        for (int j = 0; j < perKeypoint.Length; j++)
        {
            Assert.That(pck.PerKeypoint[j], perKeypoint[j] is double x ? Is.EqualTo(x).Within(1e-12) : Is.NaN, $"keypoint {j}");
        }

        Assert.That(pck.CountedKeypoints, Is.EqualTo(20), "keypoint 7 is never labelled");
        double[] norms = [.. NpyArray.Load(Data("mm_norm.npy")).Data.Select(v => (double)v)];
        Assert.That(PoseMetrics.Pck(pred, gt, norms, 0.2).Average, Is.EqualTo(Expected.GetProperty("pck_norm_0.2").GetDouble()).Within(1e-12));
        Assert.That(PoseMetrics.Auc(pred, gt), Is.EqualTo(Expected.GetProperty("auc_30_20").GetDouble()).Within(1e-12));
        Assert.That(PoseMetrics.EndPointError(pred, gt), Is.EqualTo(Expected.GetProperty("epe").GetDouble()).Within(1e-9));
    }

    [Test]
    public void Nsrm_protocol_on_unseen_heatmaps_matches_the_official_code()
    {
        NpyArray heat = NpyArray.Load(Data("nsrm_heatmaps.npy"));
        float[] crop = NpyArray.Load(Data("nsrm_crop.npy")).Data;
        var sizes = Enumerable.Range(0, heat.Shape[0]).Select(i => ((double)crop[2 * i], (double)crop[(2 * i) + 1])).ToArray();
        double[] pck = NsrmEvaluation.Evaluate(heat.Data, heat.Shape[3], heat.Shape[2], Points2D("nsrm_gt.npy"), sizes, NsrmEvaluation.Thresholds);
        JsonElement nsrm = Expected.GetProperty("nsrm");
        string[] keys = ["0.04", "0.06", "0.08", "0.1", "0.12"];
        for (int t = 0; t < keys.Length; t++)
        {
            Assert.That(pck[t], Is.EqualTo(nsrm.GetProperty(keys[t]).GetDouble()).Within(1e-12), keys[t]);
        }
    }

    [Test]
    public void Freiburg_3d_statistics_and_procrustes_match_the_reference()
    {
        Keypoint3D[][] pred = Points3D("f3_pred.npy"), gt = Points3D("f3_gt.npy");
        JsonElement f3 = Expected.GetProperty("f3");
        Assert.That(PoseMetrics.AucFreiburg(pred, gt, 0, 50, 20), Is.EqualTo(f3.GetProperty("auc_0_50_20").GetDouble()).Within(1e-12));
        Assert.That(PoseMetrics.EndPointError(pred, gt), Is.EqualTo(f3.GetProperty("epe").GetDouble()).Within(1e-9));
        ErrorStatistics stats = PoseMetrics.ErrorStatisticsFreiburg(pred, gt);
        Assert.That(stats.Mean, Is.EqualTo(f3.GetProperty("mean_per_keypoint").GetDouble()).Within(1e-9));
        Assert.That(stats.Median, Is.EqualTo(f3.GetProperty("median_per_keypoint").GetDouble()).Within(1e-9));
        // The aligned keypoints are float32: 1e-4 mm on errors of a few millimetres.
        Assert.That(PoseMetrics.EndPointErrorAligned(pred, gt), Is.EqualTo(f3.GetProperty("epe_procrustes").GetDouble()).Within(1e-4));
    }

    [Test]
    public void Procrustes_of_a_flat_prediction_matches_the_reference()
    {
        Keypoint3D[] pred = Points3D("f3_pred.npy")[0], gt = Points3D("f3_gt.npy")[0];
        Keypoint3D[] flat = [.. pred.Select(p => p with { Z = 0 })];
        var aligned = new Keypoint3D[flat.Length];
        Procrustes.Align(flat, gt, aligned);
        double[][] expected = [.. Expected.GetProperty("f3").GetProperty("flat_aligned_first").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray())];
        for (int j = 0; j < flat.Length; j++)
        {
            Assert.That(new double[] { aligned[j].X, aligned[j].Y, aligned[j].Z }, Is.EqualTo(expected[j]).Within(1e-3), $"keypoint {j}");
        }
    }
}
