using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;

namespace HandPose.Onnx.Tests.MediaPipe;

public sealed class PalmDecoderTests
{
    [Test]
    public void Anchors_follow_the_2016_ssd_layout()
    {
        ReadOnlySpan<float> a = PalmDecoder.Anchors;
        Assert.That(a.Length, Is.EqualTo(2016 * 2));
        // 24×24 cells × 2 anchors (stride 8), then 12×12 × 6 (three stride-16 layers merged).
        Assert.That((a[0], a[1]), Is.EqualTo((0.5f / 24, 0.5f / 24)));
        Assert.That((a[2], a[3]), Is.EqualTo((0.5f / 24, 0.5f / 24)), "two anchors per 24×24 cell");
        Assert.That((a[4], a[5]), Is.EqualTo((1.5f / 24, 0.5f / 24)), "x runs fastest");
        Assert.That((a[2 * 48], a[(2 * 48) + 1]), Is.EqualTo((0.5f / 24, 1.5f / 24)), "next row after 24 cells");
        Assert.That((a[2 * 1152], a[(2 * 1152) + 1]), Is.EqualTo((0.5f / 12, 0.5f / 12)));
        Assert.That((a[2 * 1157], a[(2 * 1157) + 1]), Is.EqualTo((0.5f / 12, 0.5f / 12)), "six anchors per 12×12 cell");
        Assert.That((a[2 * 1158], a[(2 * 1158) + 1]), Is.EqualTo((1.5f / 12, 0.5f / 12)));
        Assert.That((a[^2], a[^1]), Is.EqualTo((11.5f / 12, 11.5f / 12)));
    }

    [Test]
    public void Decode_applies_anchor_offsets_scale_and_sigmoid_threshold()
    {
        var reg = new float[2016 * 18];
        var logits = Enumerable.Repeat(-10f, 2016).ToArray();
        int i = 1153; // centre (0.5/12, 0.5/12)
        logits[i] = 2f;
        float[] r = [19.2f, -9.6f, 38.4f, 57.6f, 1.92f, 3.84f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -19.2f, 96f];
        r.CopyTo(reg, i * 18);
        logits[5] = 1000f; // clipped to 100: score 1
        List<PalmDetection> d = PalmDecoder.Decode(reg, logits, 0.5f);

        Assert.That(d, Has.Count.EqualTo(2));
        Assert.That(d[0].Score, Is.EqualTo(1f));
        PalmDetection p = d[1];
        float ax = 0.5f / 12;
        Assert.That(p.Score, Is.EqualTo(1f / (1f + MathF.Exp(-2f))).Within(1e-7));
        Assert.That(p.Box.XMin + (p.Box.Width / 2), Is.EqualTo(0.1f + ax).Within(1e-6));
        Assert.That(p.Box.YMin + (p.Box.Height / 2), Is.EqualTo(-0.05f + ax).Within(1e-6));
        Assert.That(p.Box.Width, Is.EqualTo(0.2f).Within(1e-6));
        Assert.That(p.Box.Height, Is.EqualTo(0.3f).Within(1e-6));
        Assert.That(p.KeypointX(0), Is.EqualTo(0.01f + ax).Within(1e-6));
        Assert.That(p.KeypointY(0), Is.EqualTo(0.02f + ax).Within(1e-6));
        Assert.That(p.KeypointX(6), Is.EqualTo(-0.1f + ax).Within(1e-6));
        Assert.That(p.KeypointY(6), Is.EqualTo(0.5f + ax).Within(1e-6));
    }

    [Test]
    public void Decode_rejects_wrong_output_sizes() =>
        Assert.Throws<InputShapeException>(() => PalmDecoder.Decode(new float[100], new float[2016], 0.5f));

    [Test]
    public void Weighted_nms_blends_overlapping_boxes_by_score_and_keeps_the_top_score()
    {
        var kpA = Enumerable.Repeat(0.2f, 14).ToArray();
        var kpB = Enumerable.Repeat(0.4f, 14).ToArray();
        var kpC = Enumerable.Repeat(0.9f, 14).ToArray();
        var a = new PalmDetection(new Box(0.10f, 0.10f, 0.30f, 0.30f), kpA, 0.6f);
        var b = new PalmDetection(new Box(0.12f, 0.12f, 0.32f, 0.32f), kpB, 0.9f);   // IoU with a ≈ 0.68
        var c = new PalmDetection(new Box(0.70f, 0.70f, 0.90f, 0.90f), kpC, 0.7f);   // far away
        var e = new PalmDetection(new Box(0.25f, 0.25f, 0.45f, 0.45f), kpC, 0.55f);  // IoU with b ≈ 0.22: kept apart

        List<PalmDetection> merged = PalmDecoder.WeightedNonMaxSuppression([a, b, c, e]);

        Assert.That(merged, Has.Count.EqualTo(3));
        Assert.That(merged.Select(m => m.Score), Is.EqualTo(new[] { 0.9f, 0.7f, 0.55f }));
        PalmDetection m0 = merged[0];
        const float total = 1.5f;
        Assert.That(m0.Box.XMin, Is.EqualTo(((0.10f * 0.6f) + (0.12f * 0.9f)) / total).Within(1e-6));
        Assert.That(m0.Box.YMax, Is.EqualTo(((0.30f * 0.6f) + (0.32f * 0.9f)) / total).Within(1e-6));
        Assert.That(m0.KeypointX(3), Is.EqualTo(((0.2f * 0.6f) + (0.4f * 0.9f)) / total).Within(1e-6));
        Assert.That(merged[1], Is.SameAs(c));
    }

    [Test]
    public void Letterbox_is_removed_from_boxes_and_keypoints()
    {
        var lb = Letterbox.From(ImageTransforms.GetLetterbox(720, 382, 192, 192));
        float pad = (1f - (382f / 720f)) / 2f;
        Assert.That(lb.Left, Is.Zero);
        Assert.That(lb.Top, Is.EqualTo(pad).Within(1e-7));
        Assert.That(lb.Bottom, Is.EqualTo(pad).Within(1e-7));
        Assert.That(Letterbox.From(ImageTransforms.GetLetterbox(384, 512, 192, 192)), Is.EqualTo(new Letterbox(0.125f, 0f, 0.125f, 0f)));

        var kp = new float[14];
        kp[0] = 0.3f;
        kp[1] = pad + (0.25f * (1 - (2 * pad)));
        var d = new PalmDetection(new Box(0.1f, pad, 0.2f, 0.5f), kp, 0.8f);
        PalmDetection u = PalmDecoder.RemoveLetterbox(d, lb);
        Assert.That(u.KeypointX(0), Is.EqualTo(0.3f));
        Assert.That(u.KeypointY(0), Is.EqualTo(0.25f).Within(1e-6));
        Assert.That(u.Box.YMin, Is.EqualTo(0f).Within(1e-6));
        Assert.That(u.Box.YMax, Is.EqualTo((0.5f - pad) / (1 - (2 * pad))).Within(1e-6));
        Assert.That(u.Score, Is.EqualTo(0.8f));
    }
}
