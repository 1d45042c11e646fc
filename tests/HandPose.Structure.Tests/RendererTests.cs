using HandPose.Structure.Codecs;
namespace HandPose.Structure.Tests;

public sealed class RendererTests
{
    private static double[] GoldenHand() => GoldenData.F64("c02_random", "kp_map_f64");

    [Test]
    public void Maps_over_the_tensor_limit_are_refused_at_construction()
    {
        var ex = Assert.Throws<LimitExceededException>(() => _ = new GaussianHeatmapRenderer(KeypointSchema.Hand21, 16384, 16384, 1))!;
        Assert.That(ex.Message, Does.Contain("GaussianHeatmapRenderer maps of shape [21, 16384, 16384]"));
        Assert.That(new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 4096, 4096, LimbGrouping.G1G6, 1).OutputLength, Is.EqualTo(7 * 4096 * 4096), "under the limit");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GaussianHeatmapRenderer(KeypointSchema.Hand21, 16385, 4, 1));
    }

    private static IEnumerable<StructureRenderer> AllRenderers(KeypointSchema schema, int w, int h) =>
    [
        new GaussianHeatmapRenderer(schema, w, h),
        new LimbDeterministicMaskRenderer(schema, w, h),
        new LimbDeterministicMaskRenderer(schema, w, h, LimbGrouping.Limbs, 1.0, StructureVariant.OfficialCode),
        new LimbProbabilisticMaskRenderer(schema, w, h),
        new LimbProbabilisticMaskRenderer(schema, w, h, LimbGrouping.G6, 1.5, StructureVariant.OfficialCode),
    ];

    [Test]
    public void Channel_counts_follow_the_grouping_and_the_schema()
    {
        Assert.That(new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, 46, 46).ChannelCount, Is.EqualTo(7));
        Assert.That(new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, 46, 46, LimbGrouping.G1).ChannelCount, Is.EqualTo(1));
        Assert.That(new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, 46, 46, LimbGrouping.G6).ChannelCount, Is.EqualTo(6));
        Assert.That(new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, LimbGrouping.Limbs).ChannelCount, Is.EqualTo(20));
        Assert.That(new GaussianHeatmapRenderer(KeypointSchema.Hand21, 46, 46).ChannelCount, Is.EqualTo(21));
        Assert.That(new LimbProbabilisticMaskRenderer(KeypointSchema.Coco17, 48, 64).ChannelCount, Is.EqualTo(1 + KeypointSchema.Coco17.LimbGroups.Count));
        Assert.That(new GaussianHeatmapRenderer(KeypointSchema.Coco17, 48, 64).OutputLength, Is.EqualTo(17 * 48 * 64));
    }

    [Test]
    public void Bad_arguments_name_the_parameter()
    {
        Assert.That(() => new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, 0, 46), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("mapWidth"));
        Assert.That(() => new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, 46, -1), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("mapHeight"));
        Assert.That(() => new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, 46, 46, halfWidth: 0), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("halfWidth"));
        Assert.That(() => new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, sigma: double.NaN), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("sigma"));
        Assert.That(() => new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, sigma: -1), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("sigma"));
        Assert.That(() => new GaussianHeatmapRenderer(KeypointSchema.Hand21, 46, 46, double.PositiveInfinity), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("sigma"));
        Assert.That(() => new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, (LimbGrouping)42), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("grouping"));
        Assert.That(() => new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, variant: (StructureVariant)9), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("variant"));
        Assert.That(() => new GaussianHeatmapRenderer(null!, 46, 46), Throws.InstanceOf<ArgumentNullException>().With.Property("ParamName").EqualTo("schema"));

        var r = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46);
        Assert.That(() => r.Render(new double[40], new float[r.OutputLength]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("keypointsXY"));
        Assert.That(() => r.Render(new Keypoint2D[20], new float[r.OutputLength]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("keypoints"));
        Assert.That(() => r.Render(new double[42], new float[r.OutputLength - 1]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("destination"));
        Assert.That(() => r.RenderBatch(new double[43], new float[r.OutputLength * 2]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("keypointsXY"));
        Assert.That(() => r.RenderBatch(new double[84], new float[r.OutputLength]), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("destination"));
        Assert.That(() => r.RenderBatch(new double[84], new float[r.OutputLength * 2], 0), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("maxDegreeOfParallelism"));
        Assert.That(() => NsrmCoordinates.CropToMap(1, 1, 0, 10), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("cropWidth"));
        Assert.That(() => NsrmCoordinates.CropToMap(1, 1, 10, 10, stride: 0), Throws.InstanceOf<ArgumentException>().With.Property("ParamName").EqualTo("stride"));
    }

    [Test]
    public void Missing_keypoint_contributes_nothing_and_skips_its_limbs()
    {
        double[] kp = GoldenHand();
        kp[2 * 8] = double.NaN; // index tip: limb 7 (7 -> 8) goes, nothing else
        foreach (StructureVariant variant in new[] { StructureVariant.Paper, StructureVariant.OfficialCode })
        {
            var perLimb = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 46, 46, LimbGrouping.Limbs, 1.0, variant);
            float[] withMissing = new float[perLimb.OutputLength];
            float[] full = new float[perLimb.OutputLength];
            perLimb.Render(kp, withMissing);
            perLimb.Render(GoldenHand(), full);
            int plane = 46 * 46;
            for (int k = 0; k < 20; k++)
            {
                float[] a = withMissing.AsSpan(k * plane, plane).ToArray();
                float[] b = full.AsSpan(k * plane, plane).ToArray();
                if (k == 7)
                {
                    Assert.That(a.All(v => v == 0f), $"{variant}: limb 7 touches the missing keypoint");
                    Assert.That(b.Max(), Is.GreaterThan(0.9f));
                }
                else
                {
                    Assert.That(a, Is.EqualTo(b).AsCollection, $"{variant}: limb {k} unaffected");
                }
            }
        }

        var heatmaps = new GaussianHeatmapRenderer(KeypointSchema.Hand21, 46, 46);
        float[] maps = new float[heatmaps.OutputLength];
        maps.AsSpan().Fill(7f);
        var points = new Keypoint2D[21];
        for (int i = 0; i < 21; i++)
        {
            points[i] = i == 3 ? Keypoint2D.Missing : new Keypoint2D(10 + i, 20);
        }

        heatmaps.Render(points, maps);
        Assert.That(maps.AsSpan(3 * 2116, 2116).ToArray().All(v => v == 0f), "missing keypoint -> zero channel");
        Assert.That(maps[(4 * 2116) + (20 * 46) + 14], Is.EqualTo(1f).Within(1e-6f), "peak 1 at the keypoint");
    }

    [Test]
    public void Keypoints_outside_the_map_leave_tails_and_far_away_limbs_leave_nothing()
    {
        var points = Enumerable.Range(0, 21).Select(i => new Keypoint2D(-3f, 10f + i)).ToArray();
        var heatmaps = new GaussianHeatmapRenderer(KeypointSchema.Hand21, 32, 32, 2.0);
        float[] maps = new float[heatmaps.OutputLength];
        heatmaps.Render(points, maps);
        Assert.That(maps[(10 * 32) + 0], Is.EqualTo(MathF.Exp(-9f / 8f)).Within(2e-6f), "tail of a keypoint 3 cells left of the map");

        var far = Enumerable.Range(0, 21).Select(i => new Keypoint2D(500f + i, -400f)).ToArray();
        foreach (StructureRenderer r in AllRenderers(KeypointSchema.Hand21, 32, 32).Skip(1))
        {
            float[] d = new float[r.OutputLength];
            d.AsSpan().Fill(3f);
            r.Render(far, d);
            Assert.That(d.All(v => v == 0f), $"{r.GetType().Name}: overwritten with zeros");
        }
    }

    [Test]
    public void Paper_lpm_of_a_zero_length_limb_is_a_plain_gaussian_and_official_is_three_times_narrower_in_d2()
    {
        var schema = new KeypointSchema("pair", ["a", "b"], [new Limb(0, 1)], []);
        double[] kp = [10.25, 7.5, 10.25, 7.5];
        var paper = new LimbProbabilisticMaskRenderer(schema, 24, 16, LimbGrouping.G1, 1.5);
        var official = new LimbProbabilisticMaskRenderer(schema, 24, 16, LimbGrouping.G1, 1.5, StructureVariant.OfficialCode);
        float[] p = new float[paper.OutputLength];
        float[] o = new float[official.OutputLength];
        paper.Render(kp, p);
        official.Render(kp, o);
        for (int r = 0; r < 16; r++)
        {
            for (int c = 0; c < 24; c++)
            {
                double d2 = ((c - 10.25) * (c - 10.25)) + ((r - 7.5) * (r - 7.5));
                double expectedPaper = Math.Exp(-d2 / 2 / 1.5 / 1.5);
                double expectedOfficial = Math.Exp(-3 * d2 / 2 / 1.5 / 1.5);
                Assert.That(p[(r * 24) + c], Is.EqualTo(expectedPaper < LimbProbabilisticMaskRenderer.Cutoff ? 0 : expectedPaper).Within(1e-6), $"paper ({r}, {c})");
                Assert.That(o[(r * 24) + c], Is.EqualTo(expectedOfficial).Within(1e-6), $"official ({r}, {c})");
            }
        }
    }

    [Test]
    public void Coco17_masks_use_the_body_groups()
    {
        var schema = KeypointSchema.Coco17;
        var rng = new Random(5);
        double[] kp = Enumerable.Range(0, 34).Select(_ => 4 + (rng.NextDouble() * 40)).ToArray();
        var groups = new LimbDeterministicMaskRenderer(schema, 48, 48, LimbGrouping.G1G6);
        var limbs = new LimbDeterministicMaskRenderer(schema, 48, 48, LimbGrouping.Limbs);
        float[] g = new float[groups.OutputLength];
        float[] l = new float[limbs.OutputLength];
        groups.Render(kp, g);
        limbs.Render(kp, l);
        int plane = 48 * 48;
        for (int gi = 0; gi < schema.LimbGroups.Count; gi++)
        {
            for (int i = 0; i < plane; i++)
            {
                float expected = schema.LimbGroups[gi].Limbs.Max(k => l[(k * plane) + i]);
                Assert.That(g[((1 + gi) * plane) + i], Is.EqualTo(expected), $"group {schema.LimbGroups[gi].Name} cell {i}");
            }
        }

        for (int i = 0; i < plane; i++)
        {
            Assert.That(g[i], Is.EqualTo(Enumerable.Range(0, schema.Limbs.Count).Max(k => l[(k * plane) + i])), $"G1 cell {i}");
        }
    }

    [Test]
    public void Batch_equals_one_by_one_and_uses_the_given_workers()
    {
        const int hands = 37;
        double[] kp = RandomHands(seed: 11, hands, mapSize: 46);

        foreach (StructureRenderer r in AllRenderers(KeypointSchema.Hand21, 46, 46))
        {
            float[] batch = new float[hands * r.OutputLength];
            Assert.That(r.RenderBatch(kp, batch), Is.EqualTo(hands));
            float[] single = new float[r.OutputLength];
            for (int h = 0; h < hands; h++)
            {
                r.Render(kp.AsSpan(h * 42, 42), single);
                Assert.That(batch.AsSpan(h * r.OutputLength, r.OutputLength).SequenceEqual(single), $"{r.GetType().Name} hand {h}");
            }

            float[] serial = new float[hands * r.OutputLength];
            r.RenderBatch(kp, serial, maxDegreeOfParallelism: 1);
            Assert.That(serial, Is.EqualTo(batch).AsCollection);
        }
    }

    [Test]
    [Category("Simd")]
    public void Large_batch_streamed_out_equals_one_by_one_at_any_destination_alignment()
    {
        // 2 × 96 hands of 64×64 G1+G6 LPM = 22 MB: above the size from which workers stream each hand out of a scratch.
        const int hands = 192;
        double[] kp = RandomHands(seed: 5, hands, mapSize: 64);

        var r = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, 64, 64);
        float[] buffer = new float[(hands * r.OutputLength) + 16];
        float[] single = new float[r.OutputLength];
        foreach (int offset in new[] { 0, 1, 7 })
        {
            buffer.AsSpan().Fill(float.NaN);
            Assert.That(r.RenderBatch(kp, buffer.AsMemory(offset, hands * r.OutputLength), maxDegreeOfParallelism: 2), Is.EqualTo(hands));
            for (int h = 0; h < hands; h += 13)
            {
                r.Render(kp.AsSpan(h * 42, 42), single);
                Assert.That(buffer.AsSpan(offset + (h * r.OutputLength), r.OutputLength).SequenceEqual(single), $"offset {offset}, hand {h}");
            }

            Assert.That(buffer.AsSpan(offset, hands * r.OutputLength).ContainsAnyExcept(float.NaN), Is.True);
            Assert.That(buffer.AsSpan(offset, hands * r.OutputLength).Contains(float.NaN), Is.False, $"offset {offset}: every cell written");
            Assert.That(float.IsNaN(buffer[offset + (hands * r.OutputLength)]), Is.True, $"offset {offset}: nothing written past the end");
        }
    }

    [Test]
    public void Render_does_not_allocate_in_steady_state()
    {
        double[] kp = GoldenHand();
        var points = new Keypoint2D[21];
        foreach (StructureRenderer r in AllRenderers(KeypointSchema.Hand21, 64, 64))
        {
            float[] d = new float[r.OutputLength];
            r.Render(kp, d);
            r.Render(points, d);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++)
            {
                r.Render(kp, d);
                r.Render(points, d);
            }

            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero, r.GetType().Name);
        }
    }

    [Test]
    public void Crop_to_map_uses_the_three_step_float64_order()
    {
        (double x, double y) = NsrmCoordinates.CropToMap(100.3, 7.1, 237, 211, 256, 6);
        Assert.That(x, Is.EqualTo(100.3 * 256 / 6 / 237));
        Assert.That(y, Is.EqualTo(7.1 * 256 / 6 / 211));
        Assert.That(NsrmCoordinates.MapSize(), Is.EqualTo(46));
        Assert.That(NsrmCoordinates.MapSize(256, 6), Is.EqualTo(42));
        (double nx, _) = NsrmCoordinates.CropToMap(double.NaN, 1, 10, 10);
        Assert.That(double.IsNaN(nx));
    }

    /// <summary>Hand21 keypoints uniformly spread over the map and 5 cells beyond each edge.</summary>
    private static double[] RandomHands(int seed, int hands, int mapSize)
    {
        var rng = new Random(seed);
        double[] kp = new double[hands * 42];
        for (int i = 0; i < kp.Length; i++)
        {
            kp[i] = -5 + (rng.NextDouble() * (mapSize + 10));
        }

        return kp;
    }
}
