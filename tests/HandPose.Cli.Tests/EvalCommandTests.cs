using System.Text.Json;
using HandPose.IO;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

/// <summary>handpose eval on the Evaluation fixtures, whose expected values an independent NumPy script computed.</summary>
public sealed class EvalCommandTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Data("expected.json"))).RootElement;

    private static string Data(string name) => RepoPaths.Tests("HandPose.Evaluation.Tests", "TestData", name);

    private static JsonElement Eval(params string[] args)
    {
        (int code, string output, string error) = CliRunner.Run(["eval", .. args]);
        Assert.That(code, Is.Zero, error);
        return JsonDocument.Parse(output).RootElement;
    }

    [Test]
    public void Keypoints_2d_give_mmpose_pck_auc_and_epe()
    {
        JsonElement r = Eval("--pred", Data("mm_pred.npy"), "--gt", Data("mm_gt.npy"), "--visible", Data("mm_visible.npy"), "--bbox", Data("mm_bbox.npy"));
        Assert.That(r.GetProperty("samples").GetInt32(), Is.EqualTo(40));
        Assert.That(r.GetProperty("pck").GetDouble(), Is.EqualTo(Expected.GetProperty("pck_bbox_0.2").GetDouble()).Within(1e-12));
        Assert.That(r.GetProperty("pck_per_keypoint")[7].ValueKind, Is.EqualTo(JsonValueKind.Null), "never labelled");
        Assert.That(r.GetProperty("auc").GetDouble(), Is.EqualTo(Expected.GetProperty("auc_30_20").GetDouble()).Within(1e-12));
        Assert.That(r.GetProperty("epe").GetDouble(), Is.EqualTo(Expected.GetProperty("epe").GetDouble()).Within(1e-9));

        JsonElement head = Eval("--pred", Data("mm_pred.npy"), "--gt", Data("mm_gt.npy"), "--visible", Data("mm_visible.npy"), "--norm-size", Data("mm_norm.npy"), "--metric", "pck");
        Assert.That(head.GetProperty("pck").GetDouble(), Is.EqualTo(Expected.GetProperty("pck_norm_0.2").GetDouble()).Within(1e-12));
        Assert.That(head.TryGetProperty("auc", out _), Is.False);
    }

    [Test]
    public void Nsrm_convention_reports_the_official_pck_per_threshold()
    {
        JsonElement r = Eval("--heatmaps", Data("nsrm_heatmaps.npy"), "--gt", Data("nsrm_gt.npy"), "--crop-size", Data("nsrm_crop.npy"), "--convention", "nsrm");
        Assert.That(r.GetProperty("images").GetInt32(), Is.EqualTo(6));
        foreach (string t in new[] { "0.04", "0.06", "0.08", "0.1", "0.12" })
        {
            Assert.That(r.GetProperty("pck").GetProperty(t).GetDouble(), Is.EqualTo(Expected.GetProperty("nsrm").GetProperty(t).GetDouble()).Within(1e-12), t);
        }

        JsonElement one = Eval("--heatmaps", Data("nsrm_heatmaps.npy"), "--gt", Data("nsrm_gt.npy"), "--crop-size", Data("nsrm_crop.npy"), "--convention", "nsrm", "--thr", "0.1");
        Assert.That(one.GetProperty("pck").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "0.1" }));
    }

    [Test]
    public void Keypoints_3d_give_freiburg_statistics_and_procrustes_error()
    {
        JsonElement r = Eval("--pred", Data("f3_pred.npy"), "--gt", Data("f3_gt.npy"));
        JsonElement f3 = Expected.GetProperty("f3");
        Assert.That(r.GetProperty("auc").GetDouble(), Is.EqualTo(f3.GetProperty("auc_0_50_20").GetDouble()).Within(1e-12));
        Assert.That(r.GetProperty("epe_median_per_keypoint").GetDouble(), Is.EqualTo(f3.GetProperty("median_per_keypoint").GetDouble()).Within(1e-9));
        Assert.That(r.GetProperty("epe_procrustes").GetDouble(), Is.EqualTo(f3.GetProperty("epe_procrustes").GetDouble()).Within(1e-4));
    }

    [Test]
    public void Usage_and_shape_errors_are_reported()
    {
        Assert.That(CliRunner.Run("eval", "--gt", Data("mm_gt.npy")).ExitCode, Is.EqualTo(2), "no --pred or --heatmaps");
        Assert.That(CliRunner.Run("eval", "--heatmaps", Data("nsrm_heatmaps.npy"), "--gt", Data("nsrm_gt.npy"), "--convention", "nsrm").ExitCode, Is.EqualTo(2), "no --crop-size");
        (int code, _, string error) = CliRunner.Run("eval", "--pred", Data("mm_pred.npy"), "--gt", Data("f3_gt.npy"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("[40, 21, 2]").And.Contain("[30, 21, 3]"));
        (code, _, error) = CliRunner.Run("eval", "--pred", Data("mm_pred.npy"), "--gt", Data("mm_gt.npy"), "--metric", "pck");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("--bbox"));
        (code, _, error) = CliRunner.Run("eval", "--pred", Data("mm_pred.npy"), "--gt", Data("mm_gt.npy"), "--bbox", Data("mm_norm.npy"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("--bbox must be [40, 4]"));
    }

    [Test]
    public void No_labelled_keypoint_gives_null_not_zero()
    {
        string work = RepoPaths.NewTempDirectory();
        string p = Path.Combine(work, "p.npy"), v = Path.Combine(work, "v.npy");
        new NpyArray([1, 2, 2], [0, 0, 1, 1]).Save(p);
        new NpyArray([1, 2], [0, 0]).Save(v);
        JsonElement r = Eval("--pred", p, "--gt", p, "--visible", v, "--metric", "epe");
        Assert.That(r.GetProperty("epe").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
