using HandPose.Structure.Codecs;
using HandPose.Testing;

namespace HandPose.Structure.Tests;

/// <summary>Every golden case of the official code, on every SIMD path this machine runs.</summary>
[Category("Simd")]
public sealed class GoldenTests
{
    private static IEnumerable<TestCaseData> Cases() =>
        from id in GoldenData.CaseIds
        from path in GoldenData.Paths
        select new TestCaseData(id, path).SetName($"{{m}}({id}, simd {path})");

    [TestCaseSource(nameof(Cases))]
    public void OfficialCode_Ldm_G1G6_matches_the_released_code_exactly(string id, int simd)
    {
        int n = GoldenData.MapSize(id);
        var renderer = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, n, n, LimbGrouping.G1G6, 1.0, StructureVariant.OfficialCode);
        float[] actual = new float[renderer.OutputLength];
        renderer.RenderCore(GoldenData.F64(id, "kp_map_f64"), actual, simd);
        float[] expected = GoldenData.G1G6(id, "ldm");
        Assert.That(actual, Is.EqualTo(expected).AsCollection, "LDM must be exact, fragile pixels included (float64, official order)");
    }

    [TestCaseSource(nameof(Cases))]
    public void OfficialCode_Lpm_G1G6_matches_the_released_code(string id, int simd)
    {
        int n = GoldenData.MapSize(id);
        var renderer = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, n, n, LimbGrouping.G1G6, 1.0, StructureVariant.OfficialCode);
        float[] actual = new float[renderer.OutputLength];
        renderer.RenderCore(GoldenData.F64(id, "kp_map_f64"), actual, simd);
        Tolerance.AssertAllClose(actual, GoldenData.G1G6(id, "lpm"), 1e-6, $"{id} LPM official");
    }

    [TestCaseSource(nameof(Cases))]
    public void Paper_Lpm_G1G6_matches_the_segment_distance_reference(string id, int simd)
    {
        int n = GoldenData.MapSize(id);
        var renderer = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, n, n);
        float[] actual = new float[renderer.OutputLength];
        renderer.RenderCore(GoldenData.F64(id, "kp_map_f64"), actual, simd);
        Tolerance.AssertAllClose(actual, GoldenData.G1G6(id, "lpm", "_fixed"), 1e-6, $"{id} LPM paper");
    }

    [TestCaseSource(nameof(Cases))]
    public void Heatmaps_match_the_released_code(string id, int simd)
    {
        int n = GoldenData.MapSize(id);
        var renderer = new GaussianHeatmapRenderer(KeypointSchema.Hand21, n, n);
        float[] actual = new float[renderer.OutputLength];
        renderer.RenderCore(GoldenData.F64(id, "kp_map_f64"), actual, simd);
        Tolerance.AssertAllClose(actual, GoldenData.F32(id, "heatmaps"), 2e-6, $"{id} heatmaps");
    }

    [TestCaseSource(nameof(Cases))]
    public void Per_limb_maps_match_the_released_code(string id, int simd)
    {
        if (!GoldenData.Has(id, "ldm_limbs"))
        {
            Assert.Pass($"{id} has no per-limb golden files (only c00, c01, c19 do).");
        }

        int n = GoldenData.MapSize(id);
        double[] kp = GoldenData.F64(id, "kp_map_f64");
        var ldm = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, n, n, LimbGrouping.Limbs, 1.0, StructureVariant.OfficialCode);
        var lpm = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, n, n, LimbGrouping.Limbs, 1.0, StructureVariant.OfficialCode);
        float[] actual = new float[ldm.OutputLength];
        ldm.RenderCore(kp, actual, simd);
        Assert.That(actual, Is.EqualTo(GoldenData.F32(id, "ldm_limbs")).AsCollection);
        lpm.RenderCore(kp, actual, simd);
        Tolerance.AssertAllClose(actual, GoldenData.F32(id, "lpm_limbs"), 1e-6, $"{id} LPM limbs");
    }

    [Test]
    public void Paper_Ldm_drops_zero_length_limbs_and_keeps_every_other_limb_exactly()
    {
        const string id = "c19_degenerate_two_limbs";
        int n = GoldenData.MapSize(id);
        float[] limbs = GoldenData.F32(id, "ldm_limbs");
        int plane = n * n;
        int[] degenerate = [3, 19];
        var expected = new float[plane];
        for (int k = 0; k < 20; k++)
        {
            if (degenerate.Contains(k))
            {
                continue;
            }

            for (int i = 0; i < plane; i++)
            {
                expected[i] = Math.Max(expected[i], limbs[(k * plane) + i]);
            }
        }

        var renderer = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, n, n, LimbGrouping.G1);
        float[] actual = new float[plane];
        renderer.Render(GoldenData.F64(id, "kp_map_f64"), actual);
        Assert.That(actual, Is.EqualTo(expected).AsCollection);
        Assert.That(actual.Count(v => v == 1f), Is.LessThan(plane / 4), "no whole-map fill in the Paper variant");

        var official = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, n, n, LimbGrouping.G1, 1.0, StructureVariant.OfficialCode);
        official.Render(GoldenData.F64(id, "kp_map_f64"), actual);
        Assert.That(actual.All(v => v == 1f), "the released code fills G1 with 1 for a zero-length limb");
    }

    [Test]
    public void Crop_to_map_conversion_reproduces_the_official_map_coordinates_bit_for_bit()
    {
        foreach (string id in GoldenData.CaseIds)
        {
            var c = GoldenData.Case(id);
            double[] raw = GoldenData.F64(id, "kp_raw_f64");
            double[] map = new double[raw.Length];
            NsrmCoordinates.CropToMap(raw, map, c.GetProperty("crop_w").GetDouble(), c.GetProperty("crop_h").GetDouble(),
                c.GetProperty("img_size").GetInt32(), c.GetProperty("stride").GetInt32());
            Assert.That(map, Is.EqualTo(GoldenData.F64(id, "kp_map_f64")).AsCollection, id);
        }
    }

    [Test]
    public void Active_simd_path_is_the_one_the_test_runner_expects()
    {
        string? expected = Environment.GetEnvironmentVariable("HANDPOSE_EXPECT_SIMD");
        int active = Internal.SimdPath.Active;
        TestContext.Out.WriteLine($"renderers use SIMD width {active}");
        if (string.IsNullOrEmpty(expected))
        {
            Assert.That(active, Is.EqualTo(HandPoseEnvironment.SimdWidth));
            return;
        }

        Assert.That(active.ToString(System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(expected));
    }

    [Test]
    public void Keypoint2D_overload_agrees_with_the_float64_overload_for_float32_exact_coordinates()
    {
        const string id = "c02_random";
        double[] raw = GoldenData.F64(id, "kp_raw_f64");
        var c = GoldenData.Case(id);
        double w = c.GetProperty("crop_w").GetDouble();
        // c02's raw labels are float32-exact; the map coordinates are not, so compare two renders of the same floats.
        var kp = new Keypoint2D[21];
        double[] xy = new double[42];
        for (int i = 0; i < 21; i++)
        {
            (double x, double y) = NsrmCoordinates.CropToMap(raw[2 * i], raw[(2 * i) + 1], w, w);
            kp[i] = new Keypoint2D((float)x, (float)y);
            xy[2 * i] = kp[i].X;
            xy[(2 * i) + 1] = kp[i].Y;
        }

        var renderer = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, variant: StructureVariant.OfficialCode);
        float[] a = new float[renderer.OutputLength];
        float[] b = new float[renderer.OutputLength];
        renderer.Render(kp, a);
        renderer.Render(xy, b);
        Assert.That(a, Is.EqualTo(b).AsCollection);
    }
}
