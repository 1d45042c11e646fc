using HandPose.Imaging;
using HandPose.Torch.Estimators;

namespace HandPose.Torch.Tests.Hand3d;

/// <summary>The full hand3d pipeline on an image against the independent PyTorch/numpy pipeline (same weights).</summary>
public sealed class Hand3dEstimatorTests : TorchTestBase
{
    private Hand3dReferences _refs = null!;
    private byte[] _rgb = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        _refs = new Hand3dReferences("pipeline");
        _rgb = [.. _refs.Npy("pipeline_rgb.npy").Data.Select(v => (byte)v)];
    }

    [OneTimeTearDown]
    public void Delete() => _refs?.Dispose();

    private Hand3dEstimator Create(Handedness side) => new(new Hand3dEstimatorOptions
    {
        HandSegNetWeights = _refs.Path("hand3d_segnet.pt"),
        PoseNetWeights = _refs.Path("hand3d_posenet.pt"),
        PosePriorWeights = _refs.Path("hand3d_poseprior.pt"),
        HandSide = side,
        ResizeToOfficialSize = false,
        BoneLengthMetres = 0.05f,
    });

    [TestCase(Handedness.Left, "left")]
    [TestCase(Handedness.Right, "right")]
    public void Estimator_reproduces_the_reference_pipeline(Handedness side, string name)
    {
        using Hand3dEstimator estimator = Create(side);
        HandPoseResult result = estimator.Estimate(new ImageView(_rgb, 128, 96, PixelFormat.Rgb24));
        Assert.That(result.Hands, Has.Count.EqualTo(1));
        Hand hand = result.Hands[0];
        float[] center = _refs.Npy($"pipeline_{name}_center.npy").Data;
        float scale = _refs.Npy($"pipeline_{name}_scale.npy").Data[0];
        Assert.That(hand.Region!.Value.CenterY, Is.EqualTo(center[0]));
        Assert.That(hand.Region!.Value.CenterX, Is.EqualTo(center[1]));
        Assert.That(hand.Region!.Value.Width, Is.EqualTo(256f / scale).Within(1e-3));
        Assert.That(hand.Handedness, Is.EqualTo(side));

        float[] uv = _refs.Npy($"pipeline_{name}_uv.npy").Data; // hand3d order, (row, column)
        float[] xyz = _refs.Npy($"pipeline_{name}_xyz.npy").Data;
        float[] peaks = _refs.Npy($"pipeline_{name}_peaks.npy").Data;
        for (int std = 1; std < 21; std++)
        {
            int k = Hand3dEstimator.ToHand3dIndex(std);
            Keypoint3D p = hand.Keypoints[std], w = hand.WorldKeypoints![std];
            Assert.That(new[] { p.Y, p.X }, Is.EqualTo(new[] { uv[2 * k], uv[(2 * k) + 1] }).Within(1e-3), $"keypoint {std}");
            Assert.That(new[] { w.X, w.Y, w.Z }, Is.EqualTo(new[] { xyz[3 * k] * 0.05f, xyz[(3 * k) + 1] * 0.05f, xyz[(3 * k) + 2] * 0.05f }).Within(1e-5), $"world {std}");
            Assert.That(p.Confidence, Is.EqualTo(Math.Clamp(peaks[k], 0f, 1f)).Within(1e-5));
        }

        // Keypoint 0: the wrist, recovered from the palm centre: palm = ½(wrist + middle MCP).
        Assert.That(hand.Keypoints[0].Y, Is.EqualTo((2 * uv[0]) - uv[24]).Within(1e-3));
        Assert.That(hand.Keypoints[0].X, Is.EqualTo((2 * uv[1]) - uv[25]).Within(1e-3));
        Assert.That(hand.WorldKeypoints![0].Z, Is.EqualTo(((2 * xyz[2]) - xyz[38]) * 0.05f).Within(1e-5));
    }

    [Test]
    public void Video_mode_needs_increasing_timestamps_and_other_pixel_formats_give_the_same_hand()
    {
        using Hand3dEstimator estimator = Create(Handedness.Left);
        var rgba = new byte[128 * 96 * 4];
        for (int i = 0; i < 128 * 96; i++)
        {
            _rgb.AsSpan(3 * i, 3).CopyTo(rgba.AsSpan(4 * i, 3));
            rgba[(4 * i) + 3] = 255;
        }

        HandPoseResult a = estimator.Estimate(new ImageView(_rgb, 128, 96, PixelFormat.Rgb24), TimeSpan.FromSeconds(1));
        HandPoseResult b = estimator.Estimate(new ImageView(rgba, 128, 96, PixelFormat.Rgba32), TimeSpan.FromSeconds(2));
        Assert.That(a.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(b.Hands[0].Keypoints, Is.EqualTo(a.Hands[0].Keypoints));
        Assert.Throws<ArgumentException>(() => estimator.Estimate(new ImageView(_rgb, 128, 96, PixelFormat.Rgb24), TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void Official_size_resizing_maps_keypoints_back_to_the_input_pixels()
    {
        using var estimator = new Hand3dEstimator(new Hand3dEstimatorOptions
        {
            HandSegNetWeights = _refs.Path("hand3d_segnet.pt"),
            PoseNetWeights = _refs.Path("hand3d_posenet.pt"),
            PosePriorWeights = _refs.Path("hand3d_poseprior.pt"),
        });
        HandPoseResult result = estimator.Estimate(new ImageView(_rgb, 128, 96, PixelFormat.Rgb24));
        Assert.That(result.ImageWidth, Is.EqualTo(128));
        Hand hand = result.Hands.Single();
        HandRegion region = hand.Region!.Value;

        // The region is found at 320 x 240 and mapped back: it lies about the bright patch (rows 30-70, columns 40-90).
        Assert.That(region.CenterX, Is.InRange(0f, 128f));
        Assert.That(region.CenterY, Is.InRange(0f, 96f));
        Assert.That(hand.Keypoints.All(k => float.IsFinite(k.X) && float.IsFinite(k.Y)), Is.True);
    }

    [Test]
    public void Invalid_options_and_missing_weights_are_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => new Hand3dEstimator(new Hand3dEstimatorOptions
        {
            HandSegNetWeights = _refs.Path("hand3d_segnet.pt"), PoseNetWeights = _refs.Path("hand3d_posenet.pt"), HandSide = Handedness.Unknown,
        }));
        Assert.Throws<ArgumentException>(() => new Hand3dEstimator(new Hand3dEstimatorOptions
        {
            HandSegNetWeights = _refs.Path("hand3d_segnet.pt"), PoseNetWeights = _refs.Path("hand3d_posenet.pt"), BoneLengthMetres = 0,
        }));
        var ex = Assert.Throws<ModelLoadException>(() => new Hand3dEstimator(new Hand3dEstimatorOptions
        {
            HandSegNetWeights = _refs.Path("hand3d_segnet.pt"), PoseNetWeights = _refs.Path("hand3d_posenet.pt"),
        }))!;
        Assert.That(ex.Message, Does.Contain("hand3d_posenet.pt").And.Contain("missing 'conv_pose_0_1.weight'"), "PosePrior defaults to the PoseNet file, which here lacks it");
        using Hand3dEstimator estimator = Create(Handedness.Left);
        Assert.Throws<InputShapeException>(() => estimator.Estimate(new ImageView(new byte[12], 2, 2, PixelFormat.Rgb24)));
    }
}
