using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;

namespace HandPose.Onnx.Tests.MediaPipe;

/// <summary>The pipeline's wiring and tracking decisions, with fake networks that "see" a known hand.</summary>
public sealed class HandPipelineTests
{
    private const int Size = 256;

    /// <summary>Fake networks: the palm model reports one palm around the true hand; the landmark model returns the
    /// true landmarks expressed in the crop of whatever ROI it is given (the inverse of the projection).</summary>
    private sealed class FakeModels : IHandModels
    {
        public float[] Hand = TrueHand(0f);
        public float Presence = 0.95f;
        public float LeftScore = 0.8f;
        public bool PalmVisible = true;

        public TensorLayout PalmLayout => TensorLayout.Nhwc;

        public TensorLayout LandmarkLayout => TensorLayout.Nhwc;

        // Inputs are poisoned with NaN after every run: the next run on the same buffer set (the pipeline's pool hands
        // it back on the next sequential call) checks that the pipeline rewrote the whole input.
        public void DetectPalms(HandBuffers buffers)
        {
            Assert.That(buffers.PalmInput.Count(float.IsNaN), Is.Zero, "the pipeline must fill the whole palm input");
            Array.Fill(buffers.PalmInput, float.NaN);
            Span<float> regressors = buffers.Regressors;
            Span<float> logits = buffers.Logits;
            logits.Fill(-20f);
            regressors.Clear();
            if (!PalmVisible)
            {
                return;
            }
            int anchor = 1152 + (((6 * 12) + 6) * 6); // a 12×12 cell near the centre
            float ax = PalmDecoder.Anchors[2 * anchor], ay = PalmDecoder.Anchors[(2 * anchor) + 1];
            Span<float> r = regressors.Slice(anchor * 18, 18);
            float wx = Hand[0], wy = Hand[1], mx = Hand[27], my = Hand[28]; // wrist, middle MCP
            r[0] = (((wx + mx) / 2) - ax) * 192;
            r[1] = (((wy + my) / 2) - ay) * 192;
            r[2] = r[3] = 0.19f * 192; // palm ROI about the size of the tracking ROI
            r[4] = (wx - ax) * 192;
            r[5] = (wy - ay) * 192;
            r[8] = (mx - ax) * 192;
            r[9] = (my - ay) * 192;
            logits[anchor] = 3f;
        }

        public void Landmarks(in NormalizedRect roi, HandBuffers buffers)
        {
            Assert.That(buffers.LandmarkInput.Count(float.IsNaN), Is.Zero, "the pipeline must fill the whole landmark input");
            Array.Fill(buffers.LandmarkInput, float.NaN);
            float[] landmarks = buffers.Landmarks, world = buffers.World;
            float cos = MathF.Cos(-roi.Rotation), sin = MathF.Sin(-roi.Rotation);
            for (int i = 0; i < 21; i++)
            {
                float dx = (Hand[3 * i] - roi.XCenter) / roi.Width, dy = (Hand[(3 * i) + 1] - roi.YCenter) / roi.Height;
                landmarks[3 * i] = (((cos * dx) - (sin * dy)) + 0.5f) * 224;
                landmarks[(3 * i) + 1] = (((sin * dx) + (cos * dy)) + 0.5f) * 224;
                landmarks[(3 * i) + 2] = 0f;
                world[3 * i] = 0.001f * i;
                world[(3 * i) + 1] = 0f;
                world[(3 * i) + 2] = 0f;
            }
            buffers.Presence[0] = Presence;
            buffers.Handedness[0] = LeftScore;
        }

        public void Dispose()
        {
        }
    }

    /// <summary>A plausible upright hand (normalized), moved right by <paramref name="dx"/>.</summary>
    private static float[] TrueHand(float dx)
    {
        var h = new float[63];
        for (int i = 0; i < 21; i++)
        {
            int finger = i == 0 ? 2 : (i - 1) / 4, joint = i == 0 ? -1 : (i - 1) % 4;
            h[3 * i] = 0.38f + (finger * 0.06f) + dx;
            h[(3 * i) + 1] = 0.7f - ((joint + 1) * 0.07f) - (i == 0 ? 0f : 0.05f);
        }
        return h;
    }

    private static ImageBuffer Frame() => new(Size, Size, PixelFormat.Rgb24);

    private static void AssertMatchesTruth(Hand hand, float[] truth)
    {
        for (int i = 0; i < 21; i++)
        {
            Assert.That(hand.Keypoints[i].X, Is.EqualTo(truth[3 * i] * Size).Within(1e-3), $"x of keypoint {i}");
            Assert.That(hand.Keypoints[i].Y, Is.EqualTo(truth[(3 * i) + 1] * Size).Within(1e-3), $"y of keypoint {i}");
        }
    }

    [Test]
    public void Image_mode_detects_every_call_and_projects_landmarks_back_to_pixels()
    {
        var models = new FakeModels();
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions { MaxHands = 1 });
        ImageBuffer image = Frame();
        HandPoseResult first = pipeline.EstimateImage(image.AsView(), default);
        HandPoseResult second = pipeline.EstimateImage(image.AsView(), default);

        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(2));
        Assert.That(first.Hands, Has.Count.EqualTo(1));
        Hand hand = first.Hands[0];
        AssertMatchesTruth(hand, models.Hand);
        Assert.That(hand.Handedness, Is.EqualTo(Handedness.Right), "MediaPipe 'Left' on a normal photo is the subject's right hand");
        Assert.That(hand.HandednessScore, Is.EqualTo(0.8f).Within(1e-6));
        Assert.That(hand.Score, Is.EqualTo(0.95f));
        Assert.That(hand.WorldKeypoints![20].X, Is.EqualTo(0.02f).Within(1e-4), "upright hand: world x barely rotated");
        Assert.That(second.Hands[0].Keypoints, Is.EqualTo(hand.Keypoints), "deterministic");
    }

    [Test]
    public void Image_mode_without_palms_returns_an_empty_result()
    {
        var models = new FakeModels { PalmVisible = false };
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions());
        HandPoseResult r = pipeline.EstimateImage(Frame().AsView(), default);
        Assert.That(r.Hands, Is.Empty);
        Assert.That((r.ImageWidth, r.ImageHeight), Is.EqualTo((Size, Size)));
        Assert.That(pipeline.LandmarkRuns, Is.Zero);
    }

    [Test]
    public void Image_mode_drops_hands_below_the_presence_threshold()
    {
        var models = new FakeModels { Presence = 0.3f };
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions());
        Assert.That(pipeline.EstimateImage(Frame().AsView(), default).Hands, Is.Empty);
        Assert.That(pipeline.LandmarkRuns, Is.EqualTo(1));
    }

    [Test]
    public void Video_mode_tracks_from_landmarks_and_detects_again_only_when_the_hand_is_lost()
    {
        var models = new FakeModels();
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions { MaxHands = 1 });
        ImageBuffer frame = Frame();

        HandPoseResult r0 = pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(0), default);
        Assert.That(r0.Timestamp, Is.EqualTo(TimeSpan.Zero));
        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(1));

        models.Hand = TrueHand(0.03f); // the hand moves; the palm detector would still see it but must not run
        HandPoseResult r1 = pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(33), default);
        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(1), "tracked: no palm detection");
        AssertMatchesTruth(r1.Hands.Single(), models.Hand);

        models.Presence = 0.1f; // lost
        Assert.That(pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(66), default).Hands, Is.Empty);
        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(1));

        models.Presence = 0.9f;
        Assert.That(pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(99), default).Hands, Has.Count.EqualTo(1));
        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(2), "lost hand: detection runs again");
    }

    [Test]
    public void Video_mode_keeps_detecting_while_fewer_hands_than_wanted_and_does_not_duplicate_a_tracked_hand()
    {
        var models = new FakeModels();
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions { MaxHands = 2 });
        ImageBuffer frame = Frame();
        for (int i = 0; i < 3; i++)
        {
            HandPoseResult r = pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(33 * i), default);
            Assert.That(r.Hands, Has.Count.EqualTo(1), "the re-detected palm overlaps the tracked hand");
        }
        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(3));
        Assert.That(pipeline.LandmarkRuns, Is.EqualTo(3));
    }

    [Test]
    public void Video_mode_rejects_timestamps_that_do_not_increase()
    {
        using var pipeline = new HandPipeline(new FakeModels(), new MediaPipeHandEstimatorOptions());
        ImageBuffer frame = Frame();
        pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromSeconds(1), default);
        Assert.Throws<ArgumentException>(() => pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromSeconds(1), default));
    }

    [Test]
    public void Image_mode_does_not_disturb_video_tracking()
    {
        var models = new FakeModels();
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions { MaxHands = 1 });
        ImageBuffer frame = Frame();
        pipeline.EstimateFrame(frame.AsView(), TimeSpan.Zero, default);
        pipeline.EstimateImage(frame.AsView(), default);
        pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(40), default);
        Assert.That(pipeline.PalmDetectionRuns, Is.EqualTo(2), "one for the first frame, one for the image");
    }

    [Test]
    public void Smoothing_reduces_frame_to_frame_jitter()
    {
        double Jitter(bool smoothing)
        {
            var models = new FakeModels();
            using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions { MaxHands = 1, Smoothing = smoothing, SmoothingMinCutoff = 1f, SmoothingBeta = 0f });
            ImageBuffer frame = Frame();
            double sum = 0;
            float? previous = null;
            for (int i = 0; i < 20; i++)
            {
                models.Hand = TrueHand((i % 2 == 0 ? 1 : -1) * 0.002f);
                float x = pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromMilliseconds(33 * i), default).Hands[0].Keypoints[0].X;
                if (previous is { } p)
                {
                    sum += Math.Abs(x - p);
                }
                previous = x;
            }
            return sum;
        }
        double raw = Jitter(false), smooth = Jitter(true);
        Assert.That(raw, Is.GreaterThan(15));
        Assert.That(smooth, Is.LessThan(raw / 3));
    }
}
