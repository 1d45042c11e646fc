using System.Text.Json;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;
using HandPose.Testing;

namespace HandPose.Cli.Tests;

/// <summary>
/// <c>handpose track</c> on a synthetic 10 s clip (10 fps) where the two hands of the bundled photo, cut out at half
/// size, cross each other (one left to right high, the other right to left low, overlapping where they meet), and one
/// hand vanishes for three frames: each hand keeps one ID from the first frame to the last.
/// </summary>
[NonParallelizable]
public sealed class TrackCommandTests
{
    private const int Frames = 100;
    private static readonly (int X, int Y, int W, int H) CropA = (40, 0, 320, 382), CropB = (360, 0, 340, 382);

    private static void RequireTools()
    {
        NativeEngineInfo info = OnnxSession.ProbeRuntime();
        NativeRequirement.Require(info.IsAvailable, "ONNX Runtime", string.Join("; ", info.PathsTried));
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(MediaPipeHandEstimatorOptions.Default);
        NativeRequirement.Require(File.Exists(palm) && File.Exists(landmark), "MediaPipe ONNX models", "run `bash scripts/setup.sh`");
        NativeRequirement.Require(File.Exists("/usr/bin/ffmpeg"), "ffmpeg", "run `bash scripts/setup.sh` (installs Debian's ffmpeg)");
    }

    /// <summary>Where hand A's and B's wrists are drawn in frame <paramref name="i"/> (from MediaPipe's wrists on the photo).</summary>
    private static ((float X, float Y) A, (float X, float Y) B) Wrists(int i)
    {
        (int ax, int ay, int bx, int by) = Offsets(i);
        return ((ax + ((135.699f - CropA.X) / 2), ay + (349.102f / 2)), (bx + ((582.788f - CropB.X) / 2), by + (33.269f / 2)));
    }

    private static (int Ax, int Ay, int Bx, int By) Offsets(int i)
    {
        float t = i / (float)(Frames - 1);
        return ((int)(20 + (t * 440)), 40, (int)(450 - (t * 440)), 200);
    }

    private static bool AHidden(int i) => i is >= 30 and <= 32;

    private static string MakeFrames()
    {
        string dir = RepoPaths.NewTempDirectory();
        ImageBuffer photo = ImageDecoder.Load(Path.Combine(RepoPaths.Root, "samples", "data", "two_hands.jpg"));
        ImageBuffer a = ImageTransforms.ResizeBilinear(ImageTransforms.Crop(photo.AsView(), CropA.X, CropA.Y, CropA.W, CropA.H), CropA.W / 2, CropA.H / 2);
        ImageBuffer b = ImageTransforms.ResizeBilinear(ImageTransforms.Crop(photo.AsView(), CropB.X, CropB.Y, CropB.W, CropB.H), CropB.W / 2, CropB.H / 2);
        for (int i = 0; i < Frames; i++)
        {
            var frame = new ImageBuffer(640, 480, PixelFormat.Rgb24);
            frame.Memory.Span.Fill(120);
            (int ax, int ay, int bx, int by) = Offsets(i);
            if (!AHidden(i))
            {
                Paste(a, frame, ax, ay);
            }

            Paste(b, frame, bx, by);
            ImageEncoder.SavePng(frame.AsView(), Path.Combine(dir, $"frame{i:D4}.png"));
        }

        return dir;
    }

    private static void Paste(ImageBuffer source, ImageBuffer target, int x, int y)
    {
        for (int row = 0; row < source.Height; row++)
        {
            source.GetRowSpan(row)[..(source.Width * 3)].CopyTo(target.GetRowSpan(y + row)[(x * 3)..]);
        }
    }

    /// <summary>Per frame, the ID of the hand nearest each drawn wrist (0 when none is within 40 px).</summary>
    private static List<(int A, int B, int Count)> ReadTracks(string jsonl)
    {
        var tracks = new List<(int, int, int)>();
        foreach (string line in File.ReadLines(jsonl))
        {
            using JsonDocument doc = JsonDocument.Parse(line);
            int frame = doc.RootElement.GetProperty("frame").GetInt32();
            ((float X, float Y) wa, (float X, float Y) wb) = Wrists(frame);
            int idA = 0, idB = 0;
            JsonElement[] hands = [.. doc.RootElement.GetProperty("hands").EnumerateArray()];
            foreach (JsonElement hand in hands)
            {
                double x = hand.GetProperty("keypoints")[0][0].GetDouble(), y = hand.GetProperty("keypoints")[0][1].GetDouble();
                int id = hand.GetProperty("id").GetInt32();
                if (Math.Abs(x - wa.X) + Math.Abs(y - wa.Y) < 40)
                {
                    idA = id;
                }
                else if (Math.Abs(x - wb.X) + Math.Abs(y - wb.Y) < 40)
                {
                    idB = id;
                }
            }

            Assert.That(frame, Is.EqualTo(tracks.Count), "one line per frame, in order");
            tracks.Add((idA, idB, hands.Length));
        }

        return tracks;
    }

    private static void AssertStableIds(List<(int A, int B, int Count)> tracks)
    {
        Assert.That(tracks, Has.Count.EqualTo(Frames));
        int[] idsA = [.. tracks.Select(t => t.A).Where(id => id != 0).Distinct()];
        int[] idsB = [.. tracks.Select(t => t.B).Where(id => id != 0).Distinct()];
        Assert.That(idsA, Has.Length.EqualTo(1), $"hand A keeps one id: {string.Join(",", idsA)}");
        Assert.That(idsB, Has.Length.EqualTo(1), $"hand B keeps one id: {string.Join(",", idsB)}");
        Assert.That(idsA[0], Is.Not.EqualTo(idsB[0]));
        int seenA = tracks.Count(t => t.A != 0), seenB = tracks.Count(t => t.B != 0);
        Assert.That(seenA, Is.GreaterThanOrEqualTo(Frames * 8 / 10), "hand A found in most frames");
        Assert.That(seenB, Is.GreaterThanOrEqualTo(Frames * 8 / 10), "hand B found in most frames");
        Assert.That(Enumerable.Range(30, 3).Select(i => tracks[i].A), Has.All.Zero, "A is hidden in frames 30-32");
        Assert.That(tracks[34].A, Is.EqualTo(idsA[0]), "A's id survived its brief loss");
    }

    [Test]
    public void Track_of_a_video_and_of_its_frames_keeps_each_crossing_hand_on_one_id()
    {
        RequireTools();
        string frames = MakeFrames();
        string outDir = RepoPaths.NewTempDirectory();
        string clip = Path.Combine(outDir, "crossing.mp4"), video = Path.Combine(outDir, "annotated.mp4");
        string jsonl = Path.Combine(outDir, "tracks.jsonl"), fromFrames = Path.Combine(outDir, "frames.jsonl"), again = Path.Combine(outDir, "again.jsonl");
        try
        {
            Ffmpeg("-framerate", "10", "-i", Path.Combine(frames, "frame%04d.png"), "-c:v", "libx264", "-pix_fmt", "yuv420p", clip);

            (int code, string output, string error) = CliRunner.Run("track", clip, "--out", video, "--json", jsonl);
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Is.Empty, "the JSON lines went to the file");
            Assert.That(error, Does.Contain("100 frames"));
            AssertStableIds(ReadTracks(jsonl));

            (code, _, error) = CliRunner.Run("track", frames, "--fps", "10", "--json", fromFrames);
            Assert.That(code, Is.Zero, error);
            AssertStableIds(ReadTracks(fromFrames));

            // The annotated video: every frame, 640x480, at the clip's 10 fps, readable again.
            (code, _, error) = CliRunner.Run("track", video, "--json", again, "--max-hands", "1");
            Assert.That(code, Is.Zero, error);
            string[] lines = File.ReadAllLines(again);
            Assert.That(lines, Has.Length.EqualTo(Frames), "every frame of the annotated video");
            using JsonDocument first = JsonDocument.Parse(lines[0]);
            Assert.That((first.RootElement.GetProperty("width").GetInt32(), first.RootElement.GetProperty("height").GetInt32()), Is.EqualTo((640, 480)));
            using JsonDocument tenth = JsonDocument.Parse(lines[10]);
            Assert.That(tenth.RootElement.GetProperty("timeMs").GetDouble(), Is.EqualTo(1000).Within(1), "10 fps timing from the video");
        }
        finally
        {
            Directory.Delete(frames, true);
            Directory.Delete(outDir, true);
        }
    }

    private static void Ffmpeg(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["-hide_banner", "-loglevel", "error", "-y", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, err);
    }

    [Test]
    public void Track_of_a_missing_or_unreadable_input_fails_with_exit_code_1_and_a_reason()
    {
        RequireTools();
        string dir = RepoPaths.NewTempDirectory();
        try
        {
            (int code, _, string error) = CliRunner.Run("track", Path.Combine(dir, "nothing.mp4"));
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Does.Contain("nothing.mp4"));

            string junk = Path.Combine(dir, "junk.mp4");
            File.WriteAllText(junk, "this is not a video");
            (code, _, error) = CliRunner.Run("track", junk);
            Assert.That(code, Is.EqualTo(1));
            Assert.That(error, Does.Contain("junk.mp4"));

            (code, _, error) = CliRunner.Run("track", dir);
            Assert.That(code, Is.EqualTo(1), "a folder without frames (only junk.mp4)");
            Assert.That(error, Does.Contain("no frames"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
