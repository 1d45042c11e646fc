// dotnet run --project samples/QuickStart [IMAGE]   (after `bash scripts/setup.sh`, which fetches the models)
using HandPose;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;

string path = args.Length > 0 ? args[0] : Path.Combine("samples", "data", "two_hands.jpg");
using var estimator = new MediaPipeHandEstimator();
ImageBuffer image = ImageDecoder.Load(path);
HandPoseResult result = estimator.Estimate(image.AsView());
foreach (Hand hand in result.Hands)
{
    Console.WriteLine($"{hand.Handedness} hand ({hand.Score:P0}): " + string.Join(" ", hand.Keypoints.Select(k => $"({k.X:F1}, {k.Y:F1})")));
}
