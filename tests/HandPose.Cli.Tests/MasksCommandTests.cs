using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HandPose.IO;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

/// <summary>
/// <c>handpose masks</c> against the numpy reference of the official formulas (tests/HandPose.Structure.Tests/TestData/
/// tools/nsrm_reference.py, which reproduces the official golden files bit for bit) on cases generated at test time:
/// random hands, out-of-frame points, exact border coordinates, degenerate and tiny limbs, missing points,
/// 32/46/64 maps, non-default sigma/width, anisotropic crops.
/// </summary>
public sealed class MasksCommandTests
{
    private const int CaseCount = 24;
    private static readonly Lazy<(string Dir, JsonElement[] Cases)> Reference = new(Generate);

    private static IEnumerable<TestCaseData> Cases() =>
        Enumerable.Range(0, CaseCount).Select(i => new TestCaseData(i).SetName($"{{m}}(g{i:D3})"));

    [TestCaseSource(nameof(Cases))]
    public void Masks_reproduce_the_reference_from_crop_pixels(int index)
    {
        (string dir, JsonElement[] cases) = Reference.Value;
        JsonElement c = cases[index];
        string id = c.GetProperty("id").GetString()!;
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, c.GetProperty("kp_raw").GetRawText());
        string n = c.GetProperty("map_size").GetInt32().ToString(CultureInfo.InvariantCulture);
        string crop = $"{c.GetProperty("crop_w").GetInt32()}x{c.GetProperty("crop_h").GetInt32()}";
        string input = c.GetProperty("img_size").GetInt32().ToString(CultureInfo.InvariantCulture);
        string F(string p) => c.GetProperty(p).GetDouble().ToString("R", CultureInfo.InvariantCulture);

        (string Name, string[] Args, string[] Expected, double Tol)[] runs =
        [
            ("heatmaps", ["--kind", "heatmap", "--sigma", F("heatmap_sigma")], ["heatmaps"], 2e-6),
            ("ldm official", ["--kind", "ldm", "--variant", "official", "--width", F("ldm_width")], ["ldm_g1", "ldm_g6"], 0),
            ("ldm paper g6", ["--kind", "ldm", "--grouping", "g6", "--width", F("ldm_width")], ["ldm_g6_paper"], 0),
            ("ldm limbs", ["--kind", "ldm", "--grouping", "limbs", "--variant", "official", "--width", F("ldm_width")], ["ldm_limbs"], 0),
            ("lpm official", ["--kind", "lpm", "--variant", "official", "--sigma", F("lpm_sigma")], ["lpm_g1", "lpm_g6"], 1e-6),
            ("lpm paper g1", ["--kind", "lpm", "--grouping", "g1", "--sigma", F("lpm_sigma")], ["lpm_g1_paper"], 1e-6),
            ("lpm paper limbs", ["--kind", "lpm", "--grouping", "limbs", "--variant", "paper", "--sigma", F("lpm_sigma")], ["lpm_limbs_paper"], 1e-6),
        ];
        foreach ((string name, string[] args, string[] expectedFiles, double tol) in runs)
        {
            string outPath = Path.Combine(work, "out.npy");
            (int code, _, string error) = CliRunner.Run(
                ["masks", "--keypoints", kpPath, "--map-size", $"{n}x{n}", "--crop", crop, "--input-size", input, "--stride", "8", "--out", outPath, .. args]);
            Assert.That(code, Is.Zero, $"{id} {name}: {error}");
            NpyArray actual = NpyArray.Load(outPath);
            float[] expected = [.. expectedFiles.SelectMany(f => Tolerance.ReadF32(Path.Combine(dir, id, f + ".f32")))];
            Assert.That(actual.Shape, Is.EqualTo(new[] { expected.Length / (int.Parse(n, CultureInfo.InvariantCulture) * int.Parse(n, CultureInfo.InvariantCulture)), int.Parse(n, CultureInfo.InvariantCulture), int.Parse(n, CultureInfo.InvariantCulture) }), $"{id} {name}: shape");
            Tolerance.AssertAllClose(actual.Data, expected, tol, $"{id} {name}");
        }
    }

    [Test]
    public void Map_coordinates_without_crop_and_the_coco17_skeleton_work()
    {
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, "{\"keypoints\": [" + string.Join(", ", Enumerable.Range(0, 17).Select(i => i == 4 ? "null" : $"[{3 + i}.5, {20 - i}]")) + "]}");
        string outPath = Path.Combine(work, "o.npy");
        (int code, string output, string error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "24x20", "--kind", "heatmap", "--skeleton", "coco17", "--out", outPath);
        Assert.That(code, Is.Zero, error);
        Assert.That(output, Does.Contain("[17, 20, 24]"));
        NpyArray maps = NpyArray.Load(outPath);
        Assert.That(maps.Shape, Is.EqualTo(new[] { 17, 20, 24 }));
        Assert.That(maps.Data[(2 * 480) + (18 * 24) + 5], Is.EqualTo(MathF.Exp(-0.125f)).Within(2e-6f), "keypoint 2 at (5.5, 18): cell (18, 5) is 0.5 away");
        Assert.That(maps.Data.AsSpan(4 * 480, 480).ToArray().All(v => v == 0f), "null keypoint = missing");
    }

    [Test]
    public void Bad_json_is_reported_with_line_and_position_and_exit_code_1()
    {
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, "[\n  [1, 2],\n  [3, oops]\n]");
        (int code, string output, string error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46x46", "--kind", "ldm", "--out", Path.Combine(work, "o.npy"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Does.Contain("line 3").And.Contain("position"));
    }

    [TestCase("[[1, 2]]", "needs 21")]
    [TestCase("{\"points\": []}", "keypoints")]
    [TestCase("[[1, \"a\"]" + ",[1,2]" + ",[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2],[1,2]]", "non-numeric")]
    public void Wrong_keypoints_fail_with_exit_code_1(string json, string message)
    {
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, json);
        (int code, _, string error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46", "--kind", "lpm", "--out", Path.Combine(work, "o.npy"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain(message));
    }

    [Test]
    public void Bad_options_fail_cleanly()
    {
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, "[" + string.Join(",", Enumerable.Repeat("[1,2]", 21)) + "]");
        string o = Path.Combine(work, "o.npy");
        Assert.That(CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46x46", "--kind", "blob", "--out", o).ExitCode, Is.EqualTo(2), "unknown kind");
        Assert.That(CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46x46", "--kind", "ldm", "--stride", "4", "--out", o).ExitCode, Is.EqualTo(2), "--stride without --crop");
        (int code, _, string error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46x0", "--kind", "ldm", "--out", o);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("--map-size"));
        (code, _, error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46x46", "--kind", "lpm", "--sigma", "-2", "--out", o);
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.Contain("sigma"));
        Assert.That(File.Exists(o), Is.False, "nothing written on failure");
    }

    private static (string, JsonElement[]) Generate()
    {
        string python = Environment.GetEnvironmentVariable("HANDPOSE_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";
        string tool = RepoPaths.Tests("HandPose.Structure.Tests", "TestData", "tools", "nsrm_reference.py");
        string dir = RepoPaths.NewTempDirectory();
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { tool, "--generate", dir, "--count", CaseCount.ToString(CultureInfo.InvariantCulture), "--seed", "77" })
        {
            psi.ArgumentList.Add(a);
        }

        int code;
        string text;
        try
        {
            using Process proc = Process.Start(psi)!;
            text = proc.StandardOutput.ReadToEnd() + proc.StandardError.ReadToEnd();
            proc.WaitForExit();
            code = proc.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            (code, text) = (-1, ex.Message);
        }

        NativeRequirement.Require(code == 0, "numpy reference (/usr/bin/python3 with numpy)", text);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "manifest.json")));
        return (dir, doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToArray());
    }

    [Test]
    public void Oversize_map_request_is_refused_before_allocating_and_names_the_flags()
    {
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, "[" + string.Join(",", Enumerable.Repeat("[1,2]", 21)) + "]");
        string o = Path.Combine(work, "o.npy");
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (int code, string output, string error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "16384x16384", "--kind", "heatmap", "--out", o);
        clock.Stop();
        Assert.That(code, Is.EqualTo(1), error);
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - allocated, Is.LessThan(100L << 20));
        Assert.That(error, Does.Contain("--map-size 16384x16384 with --kind heatmap"));
        Assert.That(error, Does.Contain("MaxTensorElements"));
        Assert.That(output, Is.Empty);
        Assert.That(File.Exists(o), Is.False);
    }

    [Test]
    public void Map_side_over_the_renderer_maximum_names_the_flag()
    {
        string work = RepoPaths.NewTempDirectory();
        string kpPath = Path.Combine(work, "kp.json");
        File.WriteAllText(kpPath, "[" + string.Join(",", Enumerable.Repeat("[1,2]", 21)) + "]");
        (int code, _, string error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "20000x4", "--kind", "ldm", "--out", Path.Combine(work, "o.npy"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("handpose: --map-size:"));
        (code, _, error) = CliRunner.Run("masks", "--keypoints", kpPath, "--map-size", "46x46", "--kind", "lpm", "--sigma", "-1", "--out", Path.Combine(work, "o.npy"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(error, Does.StartWith("handpose: --sigma:"));
    }
}
