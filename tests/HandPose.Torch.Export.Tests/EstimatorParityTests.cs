using HandPose.Imaging;
using HandPose.Onnx.Estimators;
using HandPose.Torch.Estimators;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using static TorchSharp.torch;

namespace HandPose.Torch.Export.Tests;

/// <summary>
/// An exported model behind <see cref="OnnxHeatmapEstimator"/> (preprocessing and decoder from the model's metadata
/// only) against <see cref="TorchHeatmapEstimator"/> on the same weights, on a real photo: the same keypoints within
/// 0.01 px and the same confidences.
/// </summary>
[NonParallelizable]
public sealed class EstimatorParityTests : ExportTestBase
{
    [TestCase("simplebaseline-resnet18", 256)]
    [TestCase("cpm", 184)]
    [TestCase("nsrm-lpm-g1g6", 128)]
    [TestCase("handypose", 128)]
    public void Onnx_estimator_gives_the_torch_estimators_keypoints_on_a_photo(string name, int size)
    {
        TorchArchitecture arch = TorchArchitectures.Get(name);
        string weights = Path.Combine(TempDirectory, "weights.pt");
        using (nn.Module model = CreateRandomized(arch, seed: 3))
        {
            StateDicts.Save(model, weights);
        }

        string onnx = Path.Combine(TempDirectory, name + ".onnx");
        TorchOnnxExporter.ExportFile(name, weights, onnx, new TorchOnnxExportOptions { InputWidth = size, InputHeight = size });
        TorchHeatmapEstimatorOptions torchOptions = TorchHeatmapEstimatorOptions.For(name) with { InputWidth = size, InputHeight = size };
        using var torchEstimator = new TorchHeatmapEstimator(name, weights, torchOptions);
        using OnnxHeatmapEstimator onnxEstimator = OnnxHeatmapEstimator.FromFile(onnx);
        Assert.That(onnxEstimator.InputSize, Is.EqualTo((size, size)));

        ImageBuffer photo = ImageDecoder.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "photos", "hagrid_four_15a73593.jpg"));
        foreach (HandRegion? region in new HandRegion?[] { new HandRegion(196f, 250f, 150f, 120f, 0.3f), null })
        {
            HandPoseResult expected = region is { } r ? torchEstimator.Estimate(photo.AsView(), r) : torchEstimator.Estimate(photo.AsView());
            HandPoseResult actual = region is { } q ? onnxEstimator.Estimate(photo.AsView(), q) : onnxEstimator.Estimate(photo.AsView());
            Hand e = expected.Hands.Single(), a = actual.Hands.Single();
            Assert.That(a.Schema, Is.SameAs(KeypointSchema.Hand21));
            Assert.That(a.Region, Is.EqualTo(e.Region));
            for (int k = 0; k < 21; k++)
            {
                string at = $"{name} keypoint {k} ({(region is null ? "whole image" : "region")})";
                Assert.That(a.Keypoints[k].X, Is.EqualTo(e.Keypoints[k].X).Within(0.01), at + " x");
                Assert.That(a.Keypoints[k].Y, Is.EqualTo(e.Keypoints[k].Y).Within(0.01), at + " y");
                Assert.That(a.Keypoints[k].Confidence, Is.EqualTo(e.Keypoints[k].Confidence).Within(1e-4 * Math.Max(1e-6, Math.Abs(e.Keypoints[k].Confidence))), at + " confidence");
            }

            Assert.That(e.Keypoints.Select(p => (p.X, p.Y)).Distinct().Count(), Is.GreaterThan(3), "random weights still spread the peaks");
        }
    }
}
