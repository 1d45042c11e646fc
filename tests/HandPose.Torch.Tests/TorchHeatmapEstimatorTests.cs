using System.Globalization;
using HandPose.Imaging;
using HandPose.IO;
using HandPose.Torch.Estimators;

namespace HandPose.Torch.Tests;

/// <summary>
/// The 2D estimator on a real photo against the same pipeline written independently in Python (numpy crop, PyTorch
/// forward, arg-max decode) on the same weights: crop, heatmaps and keypoints in image pixels.
/// </summary>
[NonParallelizable]
public sealed class TorchHeatmapEstimatorTests : TorchTestBase
{
    private const int Size = 128;

    [TestCase("nsrm_g1g6", "nsrm-lpm-g1g6", 196f, 250f, 150f, 120f, 0.3f)]
    [TestCase("handypose", "handypose", 180f, 300f, 110f, 140f, -0.5f)]
    public void Photo_keypoints_match_the_python_pipeline(string name, string arch, float cx, float cy, float w, float h, float rotation)
    {
        ImageBuffer photo = ImageDecoder.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "photos", "hagrid_four_15a73593.jpg"));
        string dir = Path.Combine(HandPoseEnvironment.CacheDirectory, "test-references", "zoo2d", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            byte[] rgb = ImageTransforms.ConvertFormat(photo.AsView(), PixelFormat.Rgb24).Memory.ToArray();
            new NpyArray([photo.Height, photo.Width, 3], [.. rgb.Select(b => (float)b)]).Save(Path.Combine(dir, "image.npy"));
            string[] box = [.. new[] { cx, cy, w, h, rotation }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))];
            References.RunTool("make_zoo2d_references.py", [dir, name, "estimate", Path.Combine(dir, "image.npy"), .. box, Size.ToString(CultureInfo.InvariantCulture)]);

            TorchHeatmapEstimatorOptions options = TorchHeatmapEstimatorOptions.For(arch) with { InputWidth = Size, InputHeight = Size };
            using var estimator = new TorchHeatmapEstimator(arch, Path.Combine(dir, name + ".pt"), options);
            var region = new HandRegion(cx, cy, w, h, rotation);

            HandRegion used = estimator.Fit(region);
            Assert.That((used.Width, used.Height), Is.EqualTo((Math.Max(w, h), Math.Max(w, h))));
            float[] crop = estimator.Crop(photo.AsView(), used);
            NpyArray expectedCrop = NpyArray.Load(Path.Combine(dir, "est_crop.npy"));
            Assert.That(crop.Zip(expectedCrop.Data, (a, e) => Math.Abs(a - e)).Max(), Is.LessThan(2e-3), "the crop (normalised units)");

            (float[] heat, int hh, int ww) = estimator.Heatmaps(expectedCrop.Data);
            NpyArray expectedHeat = NpyArray.Load(Path.Combine(dir, "est_heatmaps.npy"));
            Assert.That(new[] { 21, hh, ww }, Is.EqualTo(expectedHeat.Shape));
            double largest = expectedHeat.Data.Max(v => Math.Abs(v));
            Assert.That(heat.Zip(expectedHeat.Data, (a, e) => Math.Abs(a - e)).Max(), Is.LessThanOrEqualTo(1e-4 * largest), "heatmaps");

            HandPoseResult result = estimator.Estimate(photo.AsView(), region);
            Assert.That(result.Hands, Has.Count.EqualTo(1));
            Assert.That((result.ImageWidth, result.ImageHeight), Is.EqualTo((photo.Width, photo.Height)));
            IReadOnlyList<Keypoint3D> keypoints = result.Hands[0].Keypoints;
            NpyArray expected = NpyArray.Load(Path.Combine(dir, "est_keypoints.npy"));
            for (int k = 0; k < 21; k++)
            {
                Assert.That(keypoints[k].X, Is.EqualTo(expected.Data[2 * k]).Within(1e-3), $"keypoint {k} x");
                Assert.That(keypoints[k].Y, Is.EqualTo(expected.Data[(2 * k) + 1]).Within(1e-3), $"keypoint {k} y");
            }

            Assert.That(keypoints.Select(p => (p.X, p.Y)).Distinct().Count(), Is.GreaterThan(3), "random weights still spread the peaks");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void Unknown_architectures_missing_weights_and_bad_regions_are_rejected_by_name()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => TorchHeatmapEstimatorOptions.For("resnet18"))!.Message, Does.Contain("resnet18"));
        Assert.That(TorchHeatmapEstimatorOptions.For("handypose").Bgr, Is.True);
        Assert.That(TorchHeatmapEstimatorOptions.For("simplebaseline-resnet18").InputWidth, Is.EqualTo(256));
        Assert.That(Assert.Throws<ModelLoadException>(() => new TorchHeatmapEstimator("cpm", "/nonexistent/cpm.pt"))!.Message, Does.Contain("/nonexistent/cpm.pt"));
        Assert.That(Assert.Throws<ArgumentException>(() => new TorchHeatmapEstimator("resnet18", "/nonexistent/r18.pt"))!.Message, Does.Contain("resnet18"));

        using var estimator = new TorchHeatmapEstimator("simplebaseline-resnet18", References.Path("sb_r18.pt"));
        var image = new ImageBuffer(32, 24, PixelFormat.Rgb24);
        foreach (HandRegion bad in new[] { new HandRegion(10, 10, 0, 5), new HandRegion(10, 10, 5, -1), new HandRegion(float.NaN, 10, 5, 5), new HandRegion(10, 10, 5, float.PositiveInfinity) })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Estimate(image.AsView(), bad))!;
            Assert.That(ex.ParamName, Is.EqualTo("region"));
        }

        HandPoseResult whole = estimator.Estimate(image.AsView(), TimeSpan.FromSeconds(2));
        Assert.That(whole.Timestamp, Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(whole.Hands[0].Region, Is.EqualTo(new HandRegion(16, 12, 32, 32)), "the whole image, enlarged to the square input");
        Assert.That(whole.Hands[0].Keypoints, Has.Count.EqualTo(21));
    }
}
