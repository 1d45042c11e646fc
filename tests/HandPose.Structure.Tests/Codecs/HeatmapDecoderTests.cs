using HandPose.Structure.Codecs;

namespace HandPose.Structure.Tests.Codecs;

public sealed class HeatmapDecoderTests
{
    [Test]
    public void Argmax_returns_the_peak_pixel_centre_and_value()
    {
        // 3 rows x 4 columns, peak 0.9 at column 2, row 1.
        float[] map = [0.1f, 0.2f, 0.3f, 0.0f,
                       0.2f, 0.5f, 0.9f, 0.4f,
                       0.0f, 0.1f, 0.3f, 0.2f];
        var kp = new Keypoint2D[1];
        HeatmapDecoder.Decode(map, 1, 3, 4, HeatmapLayout.ChannelsFirst, HeatmapRefinement.None, kp);
        Assert.That(kp[0], Is.EqualTo(new Keypoint2D(2.5f, 1.5f, 0.9f)));
    }

    [Test]
    public void Quarter_offset_moves_towards_the_larger_neighbour()
    {
        float[] map = new float[25];
        map[(2 * 5) + 2] = 1.0f;  // peak (x 2, y 2)
        map[(2 * 5) + 3] = 0.6f;  // right > left
        map[(2 * 5) + 1] = 0.4f;
        map[(1 * 5) + 2] = 0.5f;  // up > down
        map[(3 * 5) + 2] = 0.3f;
        var kp = new Keypoint2D[1];
        HeatmapDecoder.Decode(map, 1, 5, 5, HeatmapLayout.ChannelsFirst, HeatmapRefinement.QuarterOffset, kp);
        Assert.That(kp[0].X, Is.EqualTo(2.75f));   // 2 + 0.25, then + 0.5 to the pixel centre
        Assert.That(kp[0].Y, Is.EqualTo(2.25f));   // 2 - 0.25 + 0.5
    }

    [Test]
    public void Quarter_offset_is_skipped_one_pixel_from_the_border_like_the_reference()
    {
        float[] map = new float[25];
        map[(2 * 5) + 1] = 1.0f;  // peak at x = 1
        map[(2 * 5) + 2] = 0.8f;
        var kp = new Keypoint2D[1];
        HeatmapDecoder.Decode(map, 1, 5, 5, HeatmapLayout.ChannelsFirst, HeatmapRefinement.QuarterOffset, kp);
        Assert.That(kp[0].X, Is.EqualTo(1.5f));
    }

    [Test]
    public void Dark_recovers_a_gaussian_peak_exactly()
    {
        const int W = 24, H = 20;
        const double Cx = 10.3, Cy = 7.6, Sigma = 2.0;   // pixel-index coordinates
        float[] map = new float[W * H];
        for (int y = 0; y < H; y++)
        {
            for (int x = 0; x < W; x++)
            {
                map[(y * W) + x] = (float)Math.Exp(-(((x - Cx) * (x - Cx)) + ((y - Cy) * (y - Cy))) / (2 * Sigma * Sigma));
            }
        }

        var dark = new Keypoint2D[1];
        var argmax = new Keypoint2D[1];
        HeatmapDecoder.Decode(map, 1, H, W, HeatmapLayout.ChannelsFirst, HeatmapRefinement.Dark, dark);
        HeatmapDecoder.Decode(map, 1, H, W, HeatmapLayout.ChannelsFirst, HeatmapRefinement.None, argmax);
        Assert.That(dark[0].X, Is.EqualTo(Cx + 0.5).Within(1e-4));
        Assert.That(dark[0].Y, Is.EqualTo(Cy + 0.5).Within(1e-4));
        Assert.That(argmax[0].X, Is.EqualTo(10.5f));
        Assert.That(argmax[0].Y, Is.EqualTo(8.5f));
    }

    [Test]
    public void Channels_last_layout_decodes_like_channels_first()
    {
        const int K = 3, H = 4, W = 5;
        var rng = new Random(7);
        float[] first = [.. Enumerable.Range(0, K * H * W).Select(_ => rng.NextSingle())];
        float[] last = new float[first.Length];
        for (int k = 0; k < K; k++)
        {
            for (int i = 0; i < H * W; i++)
            {
                last[(i * K) + k] = first[(k * H * W) + i];
            }
        }

        var a = new Keypoint2D[K];
        var b = new Keypoint2D[K];
        HeatmapDecoder.Decode(first, K, H, W, HeatmapLayout.ChannelsFirst, HeatmapRefinement.QuarterOffset, a);
        HeatmapDecoder.Decode(last, K, H, W, HeatmapLayout.ChannelsLast, HeatmapRefinement.QuarterOffset, b);
        Assert.That(b, Is.EqualTo(a));
    }

    [Test]
    public void All_nan_heatmap_gives_a_missing_keypoint_and_negative_peak_zero_confidence()
    {
        float[] maps = [float.NaN, float.NaN, float.NaN, float.NaN, -3f, -1f, -2f, -4f];
        var kp = new Keypoint2D[2];
        HeatmapDecoder.Decode(maps, 2, 2, 2, HeatmapLayout.ChannelsFirst, HeatmapRefinement.None, kp);
        Assert.That(kp[0].IsMissing, Is.True);
        Assert.That(kp[1], Is.EqualTo(new Keypoint2D(1.5f, 0.5f, 0f)));
    }

    [Test]
    public void Size_mismatch_is_an_argument_error()
    {
        var kp = new Keypoint2D[1];
        Assert.Throws<ArgumentException>(() => HeatmapDecoder.Decode(new float[10], 1, 3, 4, HeatmapLayout.ChannelsFirst, HeatmapRefinement.None, kp));
    }
}
