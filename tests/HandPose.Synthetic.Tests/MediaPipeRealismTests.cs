using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Synthetic.Tests;

/// <summary>
/// The realism measure of docs/synthetic.md: MediaPipe Hands (our estimator, full model, image mode) on clearly
/// visible, unoccluded 256 px samples — the share of samples in which it finds a hand, and its keypoint error against
/// our labels. The only file of these tests that uses HandPose.Onnx.
/// </summary>
[Category("Native")]
[NonParallelizable]
public sealed class MediaPipeRealismTests
{
    private const int Candidates = 240;

    /// <summary>At least this many of the 21 keypoints visible (views over the whole sphere hide many).</summary>
    private const int ClearlyVisible = 14;

    [Test]
    public void MediaPipe_detection_rate_on_clearly_visible_samples_is_measured_and_does_not_regress()
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried) + " " + info.Detail);
        var options = new MediaPipeHandEstimatorOptions { Model = MediaPipeHandModel.Full, MaxHands = 1, Threads = 1 };
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(options);
        NativeRequirement.Require(File.Exists(palm) && File.Exists(landmark), "MediaPipe ONNX models", $"{palm} / {landmark} not found; run `bash scripts/setup.sh`");
        using var estimator = new MediaPipeHandEstimator(options);

        var sampler = new HandSampler(2026, new SyntheticOptions { Size = 256, OccluderProbability = 0 });
        int clear = 0, found = 0, sameHand = 0;
        double errorSum = 0, normSum = 0;
        int errorCount = 0;
        for (int i = 0; i < Candidates; i++)
        {
            SyntheticSample s = sampler.Sample(i);
            if (s.Visible.Count(v => v) < ClearlyVisible || s.Keypoints2D.Any(k => k.X < 0 || k.Y < 0 || k.X > s.Size - 1 || k.Y > s.Size - 1))
            {
                continue;
            }

            clear++;
            HandPoseResult result = estimator.Estimate(new ImageView(s.Rgb, s.Size, s.Size, PixelFormat.Rgb24));
            if (result.Hands.Count == 0)
            {
                continue;
            }

            found++;
            Hand hand = result.Hands[0];
            sameHand += hand.Handedness == s.Handedness ? 1 : 0;
            (float x0, float y0, float x1, float y1) = s.BoundingBox;
            double norm = Math.Max(x1 - x0, y1 - y0) + 1;
            for (int k = 0; k < 21; k++)
            {
                // The estimator puts pixel centres at +0.5, our labels at integers.
                double dx = hand.Keypoints[k].X - 0.5 - s.Keypoints2D[k].X, dy = hand.Keypoints[k].Y - 0.5 - s.Keypoints2D[k].Y;
                double e = Math.Sqrt((dx * dx) + (dy * dy));
                errorSum += e;
                normSum += e / norm;
                errorCount++;
            }
        }

        double fraction = (double)found / clear;
        TestContext.Out.WriteLine($"clearly visible: {clear} of {Candidates}; MediaPipe found a hand in {found} ({fraction:P1}); " +
            $"handedness agrees in {sameHand} of {found}; mean keypoint error {errorSum / Math.Max(errorCount, 1):F1} px = {normSum / Math.Max(errorCount, 1):P1} of the hand box");
        Assert.That(clear, Is.GreaterThan(Candidates / 8), "enough clearly visible samples to measure");
        // The renderer measures 0.729 (35 of 48) with smoothed shading normals, 0.354 without (docs/synthetic.md).
        Assert.That(fraction, Is.GreaterThanOrEqualTo(0.5), "MediaPipe detection rate on clearly visible synthetic hands (the issue's target: at least half)");
    }
}
