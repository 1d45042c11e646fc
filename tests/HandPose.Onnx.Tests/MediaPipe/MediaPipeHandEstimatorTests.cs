using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.Tests.MediaPipe;

/// <summary>The real estimator on edge cases: bad input, missing models, grayscale/RGBA, mirrored input, video mode.</summary>
[NonParallelizable]
public sealed class MediaPipeHandEstimatorTests
{
    private MediaPipeHandEstimator? _full;

    private MediaPipeHandEstimator Full => _full ??= MediaPipeTestModels.Create(MediaPipeHandModel.Full);

    [OneTimeTearDown]
    public void DisposeEstimator() => _full?.Dispose();

    private static ImageBuffer TwoHands() => ReferencePhoto.Load("two_hands_tfjs").LoadImage();

    [Test]
    public void A_missing_model_in_a_user_folder_names_that_path_and_nothing_else()
    {
        string dir = Path.Combine(Path.GetTempPath(), "handpose-no-models-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<ModelLoadException>(() => new MediaPipeHandEstimator(new MediaPipeHandEstimatorOptions { ModelDirectory = dir }));
        string palm = Path.Combine(dir, "palm_detection_full.onnx");
        Assert.That(e!.Message, Is.EqualTo($"Could not load '{palm}': the file does not exist."));
        Assert.That(e.Source, Is.EqualTo(palm));
    }

    [Test]
    public void A_missing_explicit_landmark_model_names_that_path_and_nothing_else()
    {
        string path = Path.Combine(Path.GetTempPath(), "handpose-no-model-" + Guid.NewGuid().ToString("N") + ".onnx");
        var e = Assert.Throws<ModelLoadException>(() => new MediaPipeHandEstimator(new MediaPipeHandEstimatorOptions { LandmarkModelPath = path }));
        Assert.That(e!.Message, Is.EqualTo($"Could not load '{path}': the file does not exist."));
    }

    [Test]
    public void By_default_the_models_are_found_next_to_the_application()
    {
        // The test project references src/HandPose.Models.MediaPipe, which copies the models as the package does.
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(MediaPipeHandEstimatorOptions.Default);
        string expected = Path.Combine(AppContext.BaseDirectory, "models", "mediapipe");
        Assert.That(MediaPipeHandEstimator.DefaultModelDirectory, Is.EqualTo(expected));
        Assert.That((palm, landmark), Is.EqualTo((Path.Combine(expected, "palm_detection_full.onnx"), Path.Combine(expected, "hand_landmark_full.onnx"))));
        Assert.That(File.Exists(palm) && File.Exists(landmark), Is.True, "copied by the models project");
        Assert.That(File.Exists(Path.Combine(expected, "LICENSE-Apache-2.0.txt")) && File.Exists(Path.Combine(expected, "PROVENANCE.md")), Is.True);
    }

    [TestCase(0)]
    [TestCase(17)]
    public void Out_of_range_max_hands_is_rejected(int maxHands) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaPipeHandEstimator(new MediaPipeHandEstimatorOptions { MaxHands = maxHands }));

    [Test]
    public void Out_of_range_confidence_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaPipeHandEstimator(new MediaPipeHandEstimatorOptions { MinDetectionConfidence = 1.5f }));

    [Test]
    public void Threading_defaults_use_every_core_without_spinning_and_reject_undefined_modes()
    {
        Assert.That(MediaPipeHandEstimatorOptions.Default.Threads, Is.Zero);
        Assert.That(MediaPipeHandEstimatorOptions.Default.Spinning, Is.EqualTo(OnnxThreadSpinning.Never));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaPipeHandEstimator(new MediaPipeHandEstimatorOptions { Spinning = (OnnxThreadSpinning)3 }));
    }

    [Test]
    public void An_image_without_hands_gives_an_empty_result()
    {
        var gray = new ImageBuffer(640, 480, PixelFormat.Rgb24);
        gray.Memory.Span.Fill(128);
        HandPoseResult r = Full.Estimate(gray.AsView());
        Assert.That(r.Hands, Is.Empty);
        Assert.That((r.ImageWidth, r.ImageHeight, r.Timestamp), Is.EqualTo((640, 480, (TimeSpan?)null)));
    }

    [TestCase(1, 1)]
    [TestCase(3, 2)]
    [TestCase(1, 700)]
    public void Tiny_and_degenerate_images_work(int width, int height)
    {
        var image = new ImageBuffer(width, height, PixelFormat.Rgb24);
        Assert.That(Full.Estimate(image.AsView()).Hands, Is.Empty);
    }

    [Test]
    public void A_huge_image_works_and_finds_the_hands_of_its_scaled_content()
    {
        // two_hands_tfjs scaled up 8× (5760×3056): same hands, same places (scaled).
        ImageBuffer small = TwoHands();
        ImageBuffer huge = ImageTransforms.ResizeBilinear(small.AsView(), small.Width * 8, small.Height * 8);
        HandPoseResult r = Full.Estimate(huge.AsView());
        HandPoseResult reference = Full.Estimate(small.AsView());
        Assert.That(r.Hands, Has.Count.EqualTo(2));
        for (int h = 0; h < 2; h++)
        {
            Assert.That(r.Hands[h].Keypoints[0].X / 8, Is.EqualTo(reference.Hands[h].Keypoints[0].X).Within(3), "wrist x");
            Assert.That(r.Hands[h].Keypoints[0].Y / 8, Is.EqualTo(reference.Hands[h].Keypoints[0].Y).Within(3), "wrist y");
        }
    }

    [Test]
    public void Grayscale_and_rgba_inputs_match_the_equivalent_rgb()
    {
        // The models rely on colour: of the seven photos only the HaGRID "four"/"rock" ones keep their hand in gray.
        ImageBuffer rgb = ReferencePhoto.Load("hagrid_four_15a73593").LoadImage();
        ImageBuffer gray = ImageTransforms.ConvertFormat(rgb.AsView(), PixelFormat.Gray8);
        ImageBuffer grayAsRgb = ImageTransforms.ConvertFormat(gray.AsView(), PixelFormat.Rgb24);
        ImageBuffer rgba = ImageTransforms.ConvertFormat(rgb.AsView(), PixelFormat.Rgba32);

        Assert.That(Keypoints(Full.Estimate(gray.AsView())), Is.EqualTo(Keypoints(Full.Estimate(grayAsRgb.AsView()))), "Gray8 = gray replicated to RGB");
        Assert.That(Keypoints(Full.Estimate(rgba.AsView())), Is.EqualTo(Keypoints(Full.Estimate(rgb.AsView()))), "alpha is ignored");
        Assert.That(Full.Estimate(gray.AsView()).Hands, Has.Count.EqualTo(1));
    }

    [Test]
    public void Mirrored_option_reports_the_same_subject_hand_for_a_flipped_photo()
    {
        ImageBuffer image = TwoHands();
        var flipped = new ImageBuffer(image.Width, image.Height, PixelFormat.Rgb24);
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<byte> src = image.AsView().GetRow(y);
            Span<byte> dst = flipped.GetRowSpan(y);
            for (int x = 0; x < image.Width; x++)
            {
                src.Slice(3 * (image.Width - 1 - x), 3).CopyTo(dst.Slice(3 * x, 3));
            }
        }
        using MediaPipeHandEstimator mirrored = new(new MediaPipeHandEstimatorOptions { Mirrored = true, ModelDirectory = Path.GetDirectoryName(MediaPipeHandEstimator.GetModelPaths(Full.Options).PalmModel) });
        HandPoseResult normal = Full.Estimate(image.AsView());
        HandPoseResult selfie = mirrored.Estimate(flipped.AsView());
        Assert.That(selfie.Hands, Has.Count.EqualTo(normal.Hands.Count));
        foreach (Hand n in normal.Hands)
        {
            // The same physical hand: its wrist mirrored.
            Hand s = selfie.Hands.MinBy(s => Math.Abs(s.Keypoints[0].X - (image.Width - n.Keypoints[0].X)) + Math.Abs(s.Keypoints[0].Y - n.Keypoints[0].Y))!;
            Assert.That(s.Handedness, Is.EqualTo(n.Handedness));
            Assert.That(s.Keypoints[0].X, Is.EqualTo(image.Width - n.Keypoints[0].X).Within(5));
        }
    }

    [Test]
    public void Video_mode_tracks_a_moving_hand_without_palm_detection_and_is_deterministic()
    {
        ImageBuffer photo = TwoHands();
        // The 720×382 photo moving right by 4 px per frame inside a white 760×382 frame.
        List<ImageBuffer> frames = Enumerable.Range(0, 8).Select(i => Shifted(photo, 4 * i, 760)).ToList();

        using MediaPipeHandEstimator video = MediaPipeTestModels.Create(MediaPipeHandModel.Full);
        var first = Run(video, frames);
        Assert.That(video.PalmDetectionRuns, Is.EqualTo(1), "two hands found in frame 0, tracked afterwards");
        video.Reset();
        var second = Run(video, frames);
        Assert.That(second, Is.EqualTo(first), "same frames, same output");

        for (int i = 0; i < frames.Count; i++)
        {
            HandPoseResult still = Full.Estimate(frames[i].AsView());
            Assert.That(first[i].Length, Is.EqualTo(still.Hands.Count * 42), $"frame {i}: hand count");
            // Tracked ROIs (landmark box × 2) differ from palm ROIs (palm box × 2.6), so landmarks differ a little
            // (about 1–3% of the hand's size); they must stay on the same joints.
            float[] stillKeypoints = Keypoints(still);
            float handSize = still.Hands.Min(h => Math.Max(h.Keypoints.Max(k => k.X) - h.Keypoints.Min(k => k.X), h.Keypoints.Max(k => k.Y) - h.Keypoints.Min(k => k.Y)));
            for (int k = 0; k < stillKeypoints.Length; k++)
            {
                Assert.That(first[i][k], Is.EqualTo(stillKeypoints[k]).Within(0.05f * handSize), $"frame {i} value {k}");
            }
        }
    }

    private static ImageBuffer Shifted(ImageBuffer photo, int dx, int width)
    {
        var frame = new ImageBuffer(width, photo.Height, PixelFormat.Rgb24);
        frame.Memory.Span.Fill(255);
        for (int y = 0; y < photo.Height; y++)
        {
            photo.AsView().GetRow(y).CopyTo(frame.GetRowSpan(y)[(3 * dx)..]);
        }
        return frame;
    }

    private static List<float[]> Run(MediaPipeHandEstimator estimator, List<ImageBuffer> frames) =>
        frames.Select((f, i) => Keypoints(estimator.Estimate(f.AsView(), TimeSpan.FromMilliseconds(33 * i)))).ToList();

    [Test]
    public void Video_mode_rejects_a_timestamp_that_goes_back()
    {
        using MediaPipeHandEstimator video = MediaPipeTestModels.Create(MediaPipeHandModel.Lite);
        ImageBuffer frame = TwoHands();
        HandPoseResult r = video.Estimate(frame.AsView(), TimeSpan.FromSeconds(2));
        Assert.That(r.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.Throws<ArgumentException>(() => video.Estimate(frame.AsView(), TimeSpan.FromSeconds(1)));
    }

    [Test]
    public void A_disposed_estimator_throws()
    {
        MediaPipeHandEstimator e = MediaPipeTestModels.Create(MediaPipeHandModel.Lite);
        e.Dispose();
        ImageBuffer image = new(8, 8, PixelFormat.Rgb24);
        Assert.Throws<ObjectDisposedException>(() => e.Estimate(image.AsView()));
    }

    /// <summary>x, y of every keypoint of every hand, sorted by the wrist x so that hand order does not matter.</summary>
    private static float[] Keypoints(HandPoseResult r) =>
        r.Hands.OrderBy(h => h.Keypoints[0].X).SelectMany(h => h.Keypoints.SelectMany(k => new[] { k.X, k.Y })).ToArray();
}
