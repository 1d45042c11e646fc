using System.Collections.Concurrent;
using System.Globalization;
using FFMpegCore;
using FFMpegCore.Pipes;
using HandPose.Imaging;

namespace HandPose.Cli.Commands;

/// <summary>One decoded frame of a sequence: its pixels, time and a name for the JSON.</summary>
internal sealed record SequenceFrame(ImageBuffer Image, int Index, TimeSpan Time, string Name);

/// <summary>
/// Video and frame-folder I/O for <c>handpose track</c>: frames come from ffmpeg (through FFMpegCore, decoding to raw
/// RGB through a pipe) or from the images of a folder in name order; annotated frames go back to ffmpeg as H.264.
/// </summary>
internal static class VideoIo
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp", ".bmp"];

    /// <summary>The frames of a folder of images (sorted by name, ordinal), timed at <paramref name="fps"/>.</summary>
    public static (IEnumerable<SequenceFrame> Frames, double Fps) ReadFolder(string folder, double fps)
    {
        string[] files = [.. Directory.EnumerateFiles(folder)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .Order(StringComparer.Ordinal)];
        if (files.Length == 0)
        {
            throw new ArgumentException($"The folder '{folder}' has no frames (JPEG, PNG, WebP or BMP files).");
        }

        return (files.Select((f, i) => new SequenceFrame(
            ImageDecoder.Load(f, new ImageDecoderOptions { ApplyExifOrientation = true }), i, TimeSpan.FromSeconds(i / fps), Path.GetFileName(f))), fps);
    }

    /// <summary>The frames of a video file, decoded by ffmpeg as they are consumed (at most a few ahead).</summary>
    /// <exception cref="ImageFormatException">ffmpeg cannot read the file or it has no video stream.</exception>
    public static (IEnumerable<SequenceFrame> Frames, double Fps) ReadVideo(string path, CancellationToken cancellationToken)
    {
        IMediaAnalysis probe;
        try
        {
            probe = FFProbe.Analyse(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new ImageFormatException("video", $"ffprobe cannot read '{path}': {FirstLine(ex.Message)} (is ffmpeg installed? run `bash scripts/setup.sh`)", ex);
        }

        VideoStream video = probe.PrimaryVideoStream ?? throw new ImageFormatException("video", $"'{path}' has no video stream.");
        bool turned = Math.Abs(video.Rotation) % 180 == 90;
        int w = video.Width ?? 0, h = video.Height ?? 0;
        int width = turned ? h : w, height = turned ? w : h;
        HandPoseLimits.CheckImage(width, height, $"video frame of '{path}'");
        double fps = video.AverageFrameRate > 0 ? (double)video.AverageFrameRate : 30;
        return (Decode(path, width, height, fps, Path.GetFileName(path), cancellationToken), fps);
    }

    private static IEnumerable<SequenceFrame> Decode(string path, int width, int height, double fps, string name, CancellationToken cancellationToken)
    {
        using var frames = new BlockingCollection<SequenceFrame>(boundedCapacity: 4);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int frameBytes = width * height * 3;
        Task decoding = FFMpegArguments.FromFileInput(path)
            .OutputToPipe(new StreamPipeSink(async (stream, token) =>
            {
                int index = 0;
                while (true)
                {
                    var buffer = new byte[frameBytes];
                    int filled = 0;
                    while (filled < frameBytes)
                    {
                        int n = await stream.ReadAsync(buffer.AsMemory(filled), token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            return;
                        }

                        filled += n;
                    }

                    frames.Add(new SequenceFrame(new ImageBuffer(buffer, width, height, PixelFormat.Rgb24), index, TimeSpan.FromSeconds(index / fps), $"{name}#{index}"), stop.Token);
                    index++;
                }
            }), o => o.WithVideoCodec("rawvideo").ForceFormat("rawvideo").WithPixelFormat("rgb24"))
            .ProcessAsynchronously(throwOnError: true, cancellationToken: stop.Token)
            .ContinueWith(t =>
            {
                frames.CompleteAdding();
                return t;
            }, TaskScheduler.Default).Unwrap();
        try
        {
            foreach (SequenceFrame frame in frames.GetConsumingEnumerable(cancellationToken))
            {
                yield return frame;
            }

            Wait(decoding, path);
        }
        finally
        {
            stop.Cancel();
            try
            {
                decoding.Wait(10_000, CancellationToken.None);
            }
            catch (AggregateException)
            {
                // reported by Wait above when the loop finished; here we only stop ffmpeg early
            }
        }
    }

    /// <summary>Encodes RGB frames (as they are added) into an H.264 MP4 (yuv420p; odd sizes padded by one pixel).</summary>
    public sealed class Writer : IDisposable
    {
        private readonly BlockingCollection<ImageBuffer> _queue = new(boundedCapacity: 4);
        private readonly string _path;
        private readonly double _fps;
        private readonly CancellationToken _cancellationToken;
        private Task? _encoding;

        public Writer(string path, double fps, CancellationToken cancellationToken)
        {
            _path = path;
            _fps = fps;
            _cancellationToken = cancellationToken;
        }

        public void Add(ImageBuffer frame)
        {
            if (_encoding is { IsFaulted: true })
            {
                Wait(_encoding, _path);
            }

            _queue.Add(frame, _cancellationToken);

            // FFMpegCore's raw source reads the first frame for the size before it starts ffmpeg: start once one is queued.
            _encoding ??= Task.Run(() =>
            {
                var source = new RawVideoPipeSource(_queue.GetConsumingEnumerable(_cancellationToken).Select(f => (IVideoFrame)new Frame(f)))
                {
                    FrameRate = _fps,
                };
                return FFMpegArguments.FromPipeInput(source)
                    .OutputToFile(_path, overwrite: true, o => o
                        .WithVideoCodec("libx264")
                        .WithPixelFormat("yuv420p")
                        .WithCustomArgument("-vf pad=ceil(iw/2)*2:ceil(ih/2)*2 -preset veryfast -movflags +faststart"))
                    .ProcessAsynchronously(throwOnError: true, cancellationToken: _cancellationToken);
            }, _cancellationToken);
        }

        /// <summary>Ends the video and waits for ffmpeg to finish writing it.</summary>
        public void Complete()
        {
            _queue.CompleteAdding();
            if (_encoding is not null)
            {
                Wait(_encoding, _path);
            }
        }

        public void Dispose()
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.CompleteAdding();
            }

            _queue.Dispose();
        }

        private sealed class Frame(ImageBuffer image) : IVideoFrame
        {
            public int Width => image.Width;

            public int Height => image.Height;

            public string PixelFormat => "rgb24";

            public void Serialize(Stream pipe)
            {
                for (int y = 0; y < image.Height; y++)
                {
                    pipe.Write(image.GetRowSpan(y)[..(image.Width * 3)]);
                }
            }

            public async Task SerializeAsync(Stream pipe, CancellationToken token)
            {
                int row = image.Width * 3;
                for (int y = 0; y < image.Height; y++)
                {
                    await pipe.WriteAsync(image.Memory.Slice(y * image.Stride, row), token).ConfigureAwait(false);
                }
            }
        }
    }

    private static void Wait(Task ffmpeg, string path)
    {
        try
        {
            ffmpeg.GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not HandPoseException)
        {
            throw new IOException(string.Create(CultureInfo.InvariantCulture, $"ffmpeg failed on '{path}': {FirstLine(ex.Message)}"), ex);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? text;
}
