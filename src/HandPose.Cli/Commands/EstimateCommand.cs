using System.CommandLine;
using System.Globalization;
using HandPose.Imaging;
using HandPose.Onnx.Estimators;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Model;
using HandPose.Structure.Codecs;
using HandPose.Serving;

namespace HandPose.Cli.Commands;

/// <summary>
/// <c>handpose estimate IMAGE</c>: the pretrained MediaPipe hand estimator on one photo; JSON to stdout or
/// <c>--json</c>, and optionally the photo with the skeletons drawn (<c>--annotate</c>).
/// </summary>
internal sealed class EstimateCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var image = new Argument<FileInfo>("IMAGE") { Description = "A JPEG, PNG, PPM or PGM photo (EXIF orientation is applied)." };
        var model = new Option<string>("--model")
        {
            Description = "full (default), lite, a hand landmark MODEL.onnx (run with the full palm detector), or a 2D heatmap model written by 'handpose export' (run on each hand region the full MediaPipe pipeline finds).",
            DefaultValueFactory = _ => "full",
        };
        var maxHands = new Option<int>("--max-hands") { Description = "The most hands to report (1-16).", DefaultValueFactory = _ => 2 };
        var mirrored = new Option<bool>("--mirrored") { Description = "The image is mirrored (selfie view); handedness stays the subject's own hand." };
        var minDetection = new Option<float>("--min-detection") { Description = "Minimum palm detection score in [0, 1].", DefaultValueFactory = _ => 0.5f };
        var minPresence = new Option<float>("--min-presence") { Description = "Minimum hand presence score in [0, 1].", DefaultValueFactory = _ => 0.5f };
        var json = new Option<FileInfo>("--json") { Description = "Write the JSON here instead of stdout." };
        var annotate = new Option<FileInfo>("--annotate") { Description = "Write the image with the detected skeletons drawn as PNG." };
        maxHands.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<int>(), 1, 16));
        minDetection.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<float>(), 0, 1));
        minPresence.Validators.Add(r => CheckRange(r, r.GetValueOrDefault<float>(), 0, 1));
        var command = new Command("estimate", "Estimate the 21 keypoints of each hand in a photo with the pretrained MediaPipe Hands models.")
        {
            image, model, maxHands, mirrored, minDetection, minPresence, json, annotate,
        };
        command.SetAction(result => context.Guard(() =>
        {
            string modelValue = result.GetValue(model) ?? "full";
            MediaPipeHandModel variant = MediaPipeHandModel.Full;
            string? landmarkPath = null;
            switch (modelValue)
            {
                case "full":
                    break;
                case "lite":
                    variant = MediaPipeHandModel.Lite;
                    break;
                default:
                    if (!modelValue.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
                    {
                        return context.Usage($"--model expects full, lite or a .onnx file; got '{modelValue}'.");
                    }
                    landmarkPath = Path.GetFullPath(modelValue);
                    break;
            }
            // A model written by 'handpose export' carries its spec: it is not a landmark model but a heatmap model that
            // runs on the hand regions MediaPipe finds.
            string? heatmapPath = null;
            if (landmarkPath is not null && File.Exists(landmarkPath)
                && OnnxModelInfo.Load(landmarkPath).Metadata.ContainsKey(PoseModelSpec.Keys.Architecture))
            {
                (heatmapPath, landmarkPath) = (landmarkPath, null);
            }

            var options = new MediaPipeHandEstimatorOptions
            {
                Model = variant,
                LandmarkModelPath = landmarkPath,
                MaxHands = result.GetValue(maxHands),
                Mirrored = result.GetValue(mirrored),
                MinDetectionConfidence = result.GetValue(minDetection),
                MinPresenceConfidence = result.GetValue(minPresence),
            };
            ImageFileFormat annotateFormat = ImageFileFormat.Png;
            if (result.GetValue(annotate) is { } annotatePath)
            {
                try
                {
                    annotateFormat = ImageEncoder.FormatFromPath(annotatePath.FullName);
                }
                catch (ArgumentException)
                {
                    return context.Usage($"--annotate must name a .png, .jpg/.jpeg or .webp file; got '{annotatePath.FullName}'.");
                }
            }
            FileInfo imageFile = result.GetRequiredValue(image);
            ImageBuffer pixels = ImageDecoder.Load(imageFile.FullName, new ImageDecoderOptions { ApplyExifOrientation = true });
            HandPoseResult found;
            using (var estimator = new MediaPipeHandEstimator(options))
            {
                found = estimator.Estimate(pixels.AsView());
            }

            if (heatmapPath is not null)
            {
                found = EstimateInRegions(heatmapPath, pixels.AsView(), found);
            }

            // All outputs or none: both files are written beside their destinations first and moved into place
            // together, and the JSON goes to stdout only once the files are in place.
            byte[] document = ToJson(imageFile.Name, found);
            using (var outputs = new OutputFiles())
            {
                if (result.GetValue(json) is { } jsonFile)
                {
                    outputs.Stage(jsonFile.FullName, "--json", path => File.WriteAllBytes(path, document));
                }
                if (result.GetValue(annotate) is { } annotateFile)
                {
                    outputs.Stage(annotateFile.FullName, "--annotate", path => File.WriteAllBytes(path, ImageEncoder.Encode(Annotate(pixels, found).AsView(), annotateFormat)));
                }
                outputs.Commit();
            }
            if (result.GetValue(json) is null)
            {
                context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(document));
            }

            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>Each hand MediaPipe found, re-estimated by an exported heatmap model inside its region (handedness kept).</summary>
    internal static HandPoseResult EstimateInRegions(string modelPath, ImageView image, HandPoseResult hands)
    {
        using OnnxHeatmapEstimator estimator = OnnxHeatmapEstimator.FromFile(modelPath);
        var result = new List<Hand>();
        foreach (Hand hand in hands.Hands)
        {
            if (hand.Region is not { } region)
            {
                continue;
            }

            Hand found = estimator.Estimate(image, region).Hands[0];
            result.Add(found with { Handedness = hand.Handedness, HandednessScore = hand.HandednessScore });
        }

        return new HandPoseResult(result, image.Width, image.Height);
    }

    /// <summary>A range check at parse time, so that an out-of-range value is a usage error (exit code 2).</summary>
    private static void CheckRange(System.CommandLine.Parsing.OptionResult result, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{result.Option.Name} must be from {min} to {max}; got {value}."));
        }
    }

    /// <summary>The JSON of docs/cli.md: image, size, and per hand handedness, scores, keypoints and world keypoints.</summary>
    internal static byte[] ToJson(string imageName, HandPoseResult result) => HandPoseOutput.ToJson(imageName, result);

    /// <summary>An RGB copy of the image with the hands drawn (regions, skeletons, handedness and score labels).</summary>
    internal static ImageBuffer Annotate(ImageBuffer image, HandPoseResult result) => HandPoseOutput.Annotate(image.AsView(), result);
}
