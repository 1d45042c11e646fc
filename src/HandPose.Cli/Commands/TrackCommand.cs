using System.CommandLine;
using System.Diagnostics;
using System.Text;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Serving;
using HandPose.Serving.Tracking;

namespace HandPose.Cli.Commands;

/// <summary>
/// <c>handpose track VIDEO|DIR</c>: MediaPipe in video mode (tracking, smoothing) over every frame, stable hand IDs
/// (<see cref="HandTracker"/>), one JSON line per frame, and optionally the annotated video.
/// </summary>
internal sealed class TrackCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var input = new Argument<FileSystemInfo>("VIDEO|DIR") { Description = "A video file ffmpeg reads (MP4, MKV, WebM, AVI, Y4M, ...) or a folder of frames (JPEG/PNG/WebP/BMP, name order)." };
        var output = new Option<FileInfo>("--out") { Description = "Write the video with each hand's skeleton and ID drawn (H.264 MP4)." };
        var json = new Option<FileInfo>("--json") { Description = "Write the JSON lines here (one per frame) instead of stdout." };
        var model = new Option<string>("--model") { Description = "full (default), lite, or a hand landmark MODEL.onnx.", DefaultValueFactory = _ => "full" };
        var maxHands = new Option<int>("--max-hands") { Description = "The most hands per frame (1-16).", DefaultValueFactory = _ => 2 };
        var fps = new Option<double>("--fps") { Description = "Frame rate of a folder of frames (a video's own rate is used for videos).", DefaultValueFactory = _ => 30 };
        var maxAge = new Option<int>("--max-age") { Description = "Frames a lost hand keeps its ID.", DefaultValueFactory = _ => new HandTrackerOptions().MaxAge };
        var noSmoothing = new Option<bool>("--no-smoothing") { Description = "Turn off the One Euro keypoint smoothing." };
        var command = new Command("track", "Track hands through a video or a folder of frames: stable IDs per hand, JSON lines per frame, optional annotated video.")
        {
            input, output, json, model, maxHands, fps, maxAge, noSmoothing,
        };
        command.SetAction(result => context.Guard(() =>
        {
            string modelValue = result.GetValue(model) ?? "full";
            if (modelValue is not ("full" or "lite") && !modelValue.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            {
                return context.Usage($"--model expects full, lite or a .onnx file; got '{modelValue}'.");
            }

            double frameRate = result.GetValue(fps);
            if (!(frameRate > 0 && frameRate <= 1000))
            {
                return context.Usage($"--fps expects a rate in (0, 1000]; got {frameRate}.");
            }

            FileSystemInfo source = result.GetRequiredValue(input);
            var options = new MediaPipeHandEstimatorOptions
            {
                Model = modelValue == "lite" ? MediaPipeHandModel.Lite : MediaPipeHandModel.Full,
                LandmarkModelPath = modelValue.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? Path.GetFullPath(modelValue) : null,
                MaxHands = result.GetValue(maxHands),
                Smoothing = !result.GetValue(noSmoothing),
            };
            var tracker = new HandTracker(new HandTrackerOptions { MaxAge = result.GetValue(maxAge) });
            using var cancel = new CancellationTokenSource();
            (IEnumerable<SequenceFrame> frames, double rate) = source switch
            {
                DirectoryInfo dir when dir.Exists => VideoIo.ReadFolder(dir.FullName, frameRate),
                FileInfo file when file.Exists => VideoIo.ReadVideo(file.FullName, cancel.Token),
                _ => throw new FileNotFoundException($"No video file or frame folder at '{source.FullName}'."),
            };

            using var estimator = new MediaPipeHandEstimator(options);
            FileInfo? jsonFile = result.GetValue(json);
            using Stream lines = jsonFile is null ? Stream.Null : File.Create(jsonFile.FullName);
            FileInfo? videoFile = result.GetValue(output);
            using VideoIo.Writer? writer = videoFile is null ? null : new VideoIo.Writer(videoFile.FullName, rate, cancel.Token);
            var clock = Stopwatch.StartNew();
            int count = 0;
            var ids = new HashSet<int>();
            foreach (SequenceFrame frame in frames)
            {
                HandPoseResult found = estimator.Estimate(frame.Image.AsView(), frame.Time);
                IReadOnlyList<int> handIds = tracker.Update(found);
                ids.UnionWith(handIds);
                byte[] line = FrameLine(frame, found, handIds);
                if (jsonFile is null)
                {
                    context.Out.WriteLine(Encoding.UTF8.GetString(line));
                }
                else
                {
                    lines.Write(line);
                    lines.WriteByte((byte)'\n');
                }

                writer?.Add(Annotate(frame.Image, found, handIds));
                count++;
            }

            writer?.Complete();
            if (count == 0)
            {
                throw new InvalidDataException($"'{source.FullName}' has no frames.");
            }

            context.Error.WriteLine(CliContext.Invariant(
                $"handpose track: {count} frames, {ids.Count} hand id(s), {count / clock.Elapsed.TotalSeconds:F1} frames/s"));
            return CliApp.Ok;
        }));
        return command;
    }

    /// <summary>One JSON line: <c>frame</c> (index from 0), then the JSON of <c>handpose estimate</c> with <c>timeMs</c> and each hand's <c>id</c>.</summary>
    private static byte[] FrameLine(SequenceFrame frame, HandPoseResult found, IReadOnlyList<int> ids)
    {
        byte[] json = HandPoseOutput.ToJson(frame.Name, found with { Timestamp = frame.Time }, ids, indented: false);
        byte[] head = Encoding.ASCII.GetBytes(CliContext.Invariant($"{{\"frame\":{frame.Index},"));
        return [.. head, .. json.AsSpan(1)];
    }

    /// <summary>The frame with skeletons (HandPoseOutput.Annotate) and each hand's ID as a colour-coded tag at its wrist.</summary>
    private static ImageBuffer Annotate(ImageBuffer image, HandPoseResult found, IReadOnlyList<int> ids)
    {
        ImageBuffer canvas = HandPoseOutput.Annotate(image.AsView(), found);
        float scale = Math.Max(1f, Math.Max(image.Width, image.Height) / 640f);
        for (int i = 0; i < found.Hands.Count; i++)
        {
            Keypoint3D wrist = found.Hands[i].Keypoints[0];
            if (float.IsFinite(wrist.X) && float.IsFinite(wrist.Y))
            {
                ColorRgb colour = TrackColours[(ids[i] - 1) % TrackColours.Length];
                ImageDrawing.FilledCircle(canvas, wrist.X, wrist.Y, 9f * scale, ColorRgb.Black);
                ImageDrawing.FilledCircle(canvas, wrist.X, wrist.Y, 7f * scale, colour);
            }
        }

        return canvas;
    }

    private static readonly ColorRgb[] TrackColours =
        [new(255, 80, 80), new(80, 160, 255), new(80, 224, 80), new(255, 176, 0), new(192, 112, 255), new(64, 224, 208)];
}
