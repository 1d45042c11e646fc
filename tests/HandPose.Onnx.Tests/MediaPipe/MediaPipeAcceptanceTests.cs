using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;

namespace HandPose.Onnx.Tests.MediaPipe;

/// <summary>
/// End to end against MediaPipe itself (the @mediapipe/hands wasm solution, CPU inference, in headless Chromium;
/// fixtures in TestData/mediapipe-reference): same hands, same handedness, landmarks within 0.5% of the hand's size
/// and a mean error of at most 0.2 px.
/// </summary>
[NonParallelizable]
public sealed class MediaPipeAcceptanceTests
{
    private readonly Dictionary<MediaPipeHandModel, MediaPipeHandEstimator> _estimators = [];

    public static IEnumerable<TestCaseData> Cases() =>
        from name in ReferencePhoto.Names()
        from model in new[] { MediaPipeHandModel.Full, MediaPipeHandModel.Lite }
        select new TestCaseData(name, model).SetArgDisplayNames(name, model.ToString());

    [OneTimeTearDown]
    public void DisposeEstimators()
    {
        foreach (MediaPipeHandEstimator e in _estimators.Values)
        {
            e.Dispose();
        }
    }

    private MediaPipeHandEstimator Estimator(MediaPipeHandModel model)
    {
        if (!_estimators.TryGetValue(model, out MediaPipeHandEstimator? e))
        {
            e = MediaPipeTestModels.Create(model);
            _estimators[model] = e;
        }
        return e;
    }

    [TestCaseSource(nameof(Cases))]
    public void Photo_matches_mediapipe(string name, MediaPipeHandModel model)
    {
        ReferencePhoto reference = ReferencePhoto.Load(name);
        ReferenceHand[] expected = reference.Results[model == MediaPipeHandModel.Full ? "full" : "lite"];
        ImageBuffer image = reference.LoadImage();
        Assert.That((image.Width, image.Height), Is.EqualTo((reference.Width, reference.Height)));

        HandPoseResult result = Estimator(model).Estimate(image.AsView());

        Assert.That(result.Hands, Has.Count.EqualTo(expected.Length), "number of hands");
        for (int h = 0; h < expected.Length; h++)
        {
            ReferenceHand want = expected[h];
            Hand got = result.Hands[h];
            // MediaPipe's labels assume a mirrored image: on this (unmirrored) photo "Right" is the subject's left hand.
            Handedness subject = want.Label == "Right" ? Handedness.Left : Handedness.Right;
            Assert.That(got.Handedness, Is.EqualTo(subject), $"hand {h} handedness");
            Assert.That(got.HandednessScore, Is.EqualTo(want.Score).Within(1e-3), $"hand {h} handedness score");

            double[] xs = want.Landmarks.Select(p => p[0] * reference.Width).ToArray();
            double[] ys = want.Landmarks.Select(p => p[1] * reference.Height).ToArray();
            double handSize = Math.Max(xs.Max() - xs.Min(), ys.Max() - ys.Min());
            double sum = 0, worst = 0;
            for (int i = 0; i < 21; i++)
            {
                double err = Math.Sqrt(Math.Pow(got.Keypoints[i].X - xs[i], 2) + Math.Pow(got.Keypoints[i].Y - ys[i], 2));
                sum += err;
                worst = Math.Max(worst, err);
                Assert.That(got.Keypoints[i].Z, Is.EqualTo(want.Landmarks[i][2] * reference.Width).Within(0.005 * handSize), $"hand {h} keypoint {i} z");
                for (int c = 0; c < 3; c++)
                {
                    Assert.That(CoordinateOf(got.WorldKeypoints![i], c), Is.EqualTo(want.WorldLandmarks[i][c]).Within(1e-3), $"hand {h} world keypoint {i}[{c}] (metres)");
                }
            }
            TestContext.Out.WriteLine($"{name} {model} hand {h}: size {handSize:F1} px, mean error {sum / 21:F4} px, max {worst:F4} px");
            Assert.That(worst, Is.LessThanOrEqualTo(0.005 * handSize), $"hand {h}: worst landmark error {worst:F3} px vs 0.5% of {handSize:F0} px");
            Assert.That(sum / 21, Is.LessThanOrEqualTo(0.2), $"hand {h}: mean landmark error");
        }
    }

    private static float CoordinateOf(Keypoint3D k, int c) => c switch { 0 => k.X, 1 => k.Y, _ => k.Z };
}
