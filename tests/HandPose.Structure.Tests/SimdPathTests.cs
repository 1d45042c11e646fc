using HandPose.Structure.Codecs;
using HandPose.Testing;

namespace HandPose.Structure.Tests;

/// <summary>
/// Each SIMD path against the scalar one, on narrow maps (fallbacks) and odd sizes. Runs in the full-ISA run, where
/// every path is available in-process; the per-ISA reruns cover the active path through GoldenTests/ReferenceCaseTests.
/// </summary>
public sealed class SimdPathTests
{
    [TestCase(3, 5)]
    [TestCase(7, 9)]
    [TestCase(17, 15)]
    [TestCase(33, 31)]
    [TestCase(46, 46)]
    [TestCase(64, 40)]
    public void Every_path_agrees_with_the_scalar_path(int width, int height)
    {
        var rng = new Random((width * 100) + height);
        double[] kp = new double[42];
        for (int i = 0; i < 42; i += 2)
        {
            kp[i] = -2 + (rng.NextDouble() * (width + 4));
            kp[i + 1] = -2 + (rng.NextDouble() * (height + 4));
        }

        kp[8] = kp[6]; // zero-length limb 3
        kp[9] = kp[7];
        Assert.That(GoldenData.Paths, Has.Length.GreaterThan(1), "this run should have at least one SIMD path to compare");
        foreach (int path in GoldenData.Paths.Where(p => p > 0))
        {
            foreach (StructureVariant variant in new[] { StructureVariant.Paper, StructureVariant.OfficialCode })
            {
                var ldm = new LimbDeterministicMaskRenderer(KeypointSchema.Hand21, width, height, LimbGrouping.G1G6, 1.3, variant);
                Assert.That(Render(ldm.RenderCore, ldm.OutputLength, kp, path), Is.EqualTo(Render(ldm.RenderCore, ldm.OutputLength, kp, 0)).AsCollection, $"LDM {variant} simd {path}");
                var lpm = new LimbProbabilisticMaskRenderer(KeypointSchema.Hand21, width, height, LimbGrouping.Limbs, 0.8, variant);
                Tolerance.AssertAllClose(Render(lpm.RenderCore, lpm.OutputLength, kp, path), Render(lpm.RenderCore, lpm.OutputLength, kp, 0), 2e-7, $"LPM {variant} simd {path}");
            }

            var heat = new GaussianHeatmapRenderer(KeypointSchema.Hand21, width, height, 1.7);
            Tolerance.AssertAllClose(Render(heat.RenderCore, heat.OutputLength, kp, path), Render(heat.RenderCore, heat.OutputLength, kp, 0), 2e-7, $"heatmaps simd {path}");
        }
    }

    private delegate void RenderWith(ReadOnlySpan<double> kp, Span<float> destination, int simd);

    private static float[] Render(RenderWith render, int length, double[] kp, int simd)
    {
        float[] d = new float[length];
        render(kp, d, simd);
        return d;
    }
}
