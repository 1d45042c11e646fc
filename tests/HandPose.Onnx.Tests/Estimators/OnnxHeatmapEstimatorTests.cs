using HandPose.Structure.Codecs;
using HandPose.Imaging;
using HandPose.Onnx.Estimators;
using HandPose.Onnx.Model;
using HandPose.Onnx.Runtime;
using HandPose.Onnx.Tests.Runtime;

namespace HandPose.Onnx.Tests.Estimators;

/// <summary>
/// End-to-end geometry: a model written with our writer turns colour blobs into heatmaps (1x1 conv picks channel
/// k mod 3, 4x4 average pooling gives quarter-resolution maps), so each keypoint must land on its blob in the image.
/// </summary>
[Category("Native")]
public sealed class OnnxHeatmapEstimatorTests
{
    private const int ImageW = 320, ImageH = 240;
    private static readonly (double X, double Y)[] Blobs = [(100.4, 60.7), (210.2, 150.3), (250.8, 80.1)];  // R, G, B

    private OnnxSession _session = null!;

    [SetUp]
    public void Open()
    {
        OrtTestEnvironment.RequireRuntime();
        _session = OnnxSession.FromBytes(BlobModel());
    }

    [TearDown]
    public void Close() => _session?.Dispose();

    [TestCase(HeatmapRefinement.Dark, 1.0)]
    [TestCase(HeatmapRefinement.QuarterOffset, 5.0)]
    [TestCase(HeatmapRefinement.None, 7.1)]   // half the diagonal of a 10x10-pixel heatmap cell
    public void Whole_image_keypoints_land_on_their_blobs(HeatmapRefinement refinement, double tolerancePx)
    {
        byte[] pixels = BlobImage();
        using var estimator = new OnnxHeatmapEstimator(_session, new OnnxHeatmapEstimatorOptions { Refinement = refinement });
        Assert.That(estimator.InputSize, Is.EqualTo((128, 96)));
        HandPoseResult result = estimator.Estimate(new ImageView(pixels, ImageW, ImageH, PixelFormat.Rgb24));
        Assert.That(result.Hands, Has.Count.EqualTo(1));
        AssertOnBlobs(result.Hands[0], tolerancePx);
    }

    [Test]
    public void Rotated_region_maps_back_to_the_same_image_positions()
    {
        byte[] pixels = BlobImage();
        using var estimator = new OnnxHeatmapEstimator(_session, new OnnxHeatmapEstimatorOptions { Refinement = HeatmapRefinement.Dark });
        var region = new HandRegion(170f, 110f, 260f, 260f, MathF.PI / 6);
        HandPoseResult result = estimator.Estimate(new ImageView(pixels, ImageW, ImageH, PixelFormat.Rgb24), region);
        Hand hand = result.Hands[0];
        Assert.That(hand.Region!.Value.Width / hand.Region.Value.Height, Is.EqualTo(128f / 96f).Within(1e-5));
        AssertOnBlobs(hand, 1.5);
    }

    [Test]
    public void Schema_that_does_not_match_the_heatmaps_is_an_input_shape_error()
    {
        byte[] pixels = BlobImage();
        using var estimator = new OnnxHeatmapEstimator(_session, new OnnxHeatmapEstimatorOptions { Schema = KeypointSchema.Coco17 });
        var ex = Assert.Throws<InputShapeException>(() => estimator.Estimate(new ImageView(pixels, ImageW, ImageH, PixelFormat.Rgb24)));
        Assert.That(ex!.Expected, Does.Contain("[1, 17, h, w]"));
        Assert.That(ex.Actual, Is.EqualTo("float32 [1, 21, 24, 32]"));
    }

    [Test]
    public void A_model_that_is_not_a_heatmap_model_is_rejected_at_construction()
    {
        using var session = OnnxSession.FromFile(OrtTestEnvironment.Data("trivial.onnx"));
        Assert.Throws<ModelLoadException>(() => _ = new OnnxHeatmapEstimator(session));
    }

    private static void AssertOnBlobs(Hand hand, double tolerancePx)
    {
        Assert.Multiple(() =>
        {
            for (int k = 0; k < 21; k++)
            {
                Keypoint3D p = hand.Keypoints[k];
                (double bx, double by) = Blobs[k % 3];
                double err = Math.Sqrt(((p.X - bx) * (p.X - bx)) + ((p.Y - by) * (p.Y - by)));
                Assert.That(err, Is.LessThan(tolerancePx), $"keypoint {k} at ({p.X:F2}, {p.Y:F2}), blob at ({bx}, {by})");
                Assert.That(p.Confidence, Is.GreaterThan(0.5f));
            }
        });
    }

    /// <summary>Three Gaussian blobs (sigma 20 px), one per colour channel; black elsewhere.</summary>
    private static byte[] BlobImage()
    {
        byte[] pixels = new byte[ImageW * ImageH * 3];
        for (int y = 0; y < ImageH; y++)
        {
            for (int x = 0; x < ImageW; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double dx = x + 0.5 - Blobs[c].X, dy = y + 0.5 - Blobs[c].Y;
                    pixels[(((y * ImageW) + x) * 3) + c] = (byte)Math.Round(255 * Math.Exp(-((dx * dx) + (dy * dy)) / (2 * 20.0 * 20.0)));
                }
            }
        }

        return pixels;
    }

    private static byte[] BlobModel()
    {
        var b = new OnnxGraphBuilder("blobs", 13);
        b.AddInput("image", OnnxElementType.Float, 1, 3, 96, 128);
        float[] pick = new float[21 * 3];
        for (int k = 0; k < 21; k++)
        {
            pick[(k * 3) + (k % 3)] = 1f;
        }

        b.AddInitializer("pick", pick, [21, 3, 1, 1]);
        b.AddNode("Conv", ["image", "pick"], ["channels"]);
        b.AddNode("AveragePool", ["channels"], ["heatmaps"], [OnnxAttribute.Ints("kernel_shape", 4, 4), OnnxAttribute.Ints("strides", 4, 4)]);
        b.AddOutput("heatmaps", OnnxElementType.Float, 1, 21, 24, 32);
        b.SetMetadata(OnnxHeatmapEstimatorOptions.MetadataKeys.Mean, "0,0,0");
        b.SetMetadata(OnnxHeatmapEstimatorOptions.MetadataKeys.Std, "1,1,1");
        b.SetMetadata(OnnxHeatmapEstimatorOptions.MetadataKeys.KeypointSchema, "hand21");
        return b.ToBytes();
    }
}
