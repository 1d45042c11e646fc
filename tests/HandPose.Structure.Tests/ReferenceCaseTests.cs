using HandPose.Structure.Codecs;
using System.Text.Json;
using HandPose.Testing;

namespace HandPose.Structure.Tests;

/// <summary>The library against the numpy reference on generated cases, every SIMD path.</summary>
[Category("Simd")]
public sealed class ReferenceCaseTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        from i in Enumerable.Range(0, ReferenceCases.Count)
        from path in GoldenData.Paths
        select new TestCaseData($"g{i:D3}", path).SetName($"{{m}}(g{i:D3}, simd {path})");

    [Test]
    public void Reference_reproduces_the_official_golden_files_bit_for_bit()
    {
        (int code, string output) = ReferenceCases.RunTool("--check-golden", GoldenData.Directory);
        NativeRequirement.Require(code != -1, "numpy reference (/usr/bin/python3 with numpy)", output);
        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("golden check: OK"));
        Assert.That(output.Split('\n').Count(l => l.Contains("bit-exact", StringComparison.Ordinal)), Is.EqualTo(36), "every golden LDM/LPM file (official and _fixed, grouped and per limb) bit-exact");
    }

    [TestCaseSource(nameof(Cases))]
    public void Library_matches_the_reference(string prefix, int simd)
    {
        JsonElement c = ReferenceCases.Case(prefix);
        int n = c.GetProperty("map_size").GetInt32();
        double ldmWidth = c.GetProperty("ldm_width").GetDouble();
        double lpmSigma = c.GetProperty("lpm_sigma").GetDouble();
        double[] kp = ReferenceCases.F64(c, "kp_map");
        string what = $"{c.GetProperty("id").GetString()} (n {n}, ldm width {ldmWidth}, lpm sigma {lpmSigma})";

        foreach (StructureVariant variant in new[] { StructureVariant.OfficialCode, StructureVariant.Paper })
        {
            string suffix = variant == StructureVariant.Paper ? "_paper" : "";
            foreach (LimbGrouping grouping in new[] { LimbGrouping.G1G6, LimbGrouping.Limbs })
            {
                float[] ldmExpected = grouping == LimbGrouping.Limbs
                    ? ReferenceCases.F32(c, "ldm_limbs" + suffix)
                    : [.. ReferenceCases.F32(c, "ldm_g1" + suffix), .. ReferenceCases.F32(c, "ldm_g6" + suffix)];
                var ldm = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, n, n, grouping, ldmWidth, variant);
                float[] actual = new float[ldm.OutputLength];
                ldm.RenderCore(kp, actual, simd);
                int mismatches = actual.Zip(ldmExpected).Count(p => p.First != p.Second);
                Assert.That(mismatches, Is.Zero, $"{what}: LDM {variant} {grouping} exact");

                float[] lpmExpected = grouping == LimbGrouping.Limbs
                    ? ReferenceCases.F32(c, "lpm_limbs" + suffix)
                    : [.. ReferenceCases.F32(c, "lpm_g1" + suffix), .. ReferenceCases.F32(c, "lpm_g6" + suffix)];
                var lpm = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, n, n, grouping, lpmSigma, variant);
                actual = new float[lpm.OutputLength];
                lpm.RenderCore(kp, actual, simd);
                Tolerance.AssertAllClose(actual, lpmExpected, 1e-6, $"{what}: LPM {variant} {grouping}");
            }
        }

        var heatmaps = new GaussianHeatmapRenderer(KeypointSchema.Hand21, n, n, c.GetProperty("heatmap_sigma").GetDouble());
        float[] maps = new float[heatmaps.OutputLength];
        heatmaps.RenderCore(kp, maps, simd);
        Tolerance.AssertAllClose(maps, ReferenceCases.F32(c, "heatmaps"), 2e-6, $"{what}: heatmaps");
    }

    [Test]
    public void Generated_cases_cover_every_kind_and_map_size()
    {
        var kinds = ReferenceCases.Cases.Select(c => c.GetProperty("kind").GetString()).ToHashSet();
        Assert.That(kinds, Is.SupersetOf(new[] { "random", "out_of_frame", "border_integer", "degenerate", "missing", "anisotropic", "tiny_limbs", "axis_aligned" }));
        var sizes = ReferenceCases.Cases.Select(c => c.GetProperty("map_size").GetInt32()).ToHashSet();
        Assert.That(sizes, Is.EquivalentTo(new[] { 32, 46, 64 }));
        Assert.That(ReferenceCases.Cases.Any(c => c.GetProperty("crop_w").GetInt32() != c.GetProperty("crop_h").GetInt32()), "anisotropic crops");
        Assert.That(ReferenceCases.Cases.Any(c => c.GetProperty("lpm_sigma").GetDouble() != 1.0 && c.GetProperty("ldm_width").GetDouble() != 1.0), "non-default parameters");
    }
}
