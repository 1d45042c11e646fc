using BenchmarkDotNet.Attributes;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Onnx.Runtime;

namespace HandPose.Benchmarks;

/// <summary>
/// The MediaPipe hand estimator on a 640×480 frame with one hand (the mediapipe-samples thumbs-up photo scaled to
/// 720×480 and cropped to 640×480): image mode, video mode (tracking: no palm detection after the first frame), and
/// the same pipeline with the two networks replaced by recorded outputs (= pre- and post-processing alone).
/// Needs `bash scripts/setup.sh` (ONNX Runtime + converted models).
/// </summary>
[MemoryDiagnoser]
public class MediaPipeBenchmarks
{
    private ImageBuffer _frame = null!;
    private MediaPipeHandEstimator _image = null!;
    private MediaPipeHandEstimator _video = null!;
    private HandPipeline _replay = null!;
    private long _tick;

    [Params(MediaPipeHandModel.Full, MediaPipeHandModel.Lite)]
    public MediaPipeHandModel Model { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>The estimator's default (<see cref="OnnxThreadSpinning.Never"/>); only matters with 2 threads.</summary>
    public OnnxThreadSpinning Spinning { get; set; } = MediaPipeHandEstimatorOptions.Default.Spinning;

    [GlobalSetup]
    public void Setup()
    {
        string photo = Path.Combine(FindRoot(), "tests", "HandPose.Onnx.Tests", "TestData", "mediapipe-reference", "images", "thumbs_up_mpsamples.png");
        ImageBuffer scaled = ImageTransforms.ResizeBilinear(ImageDecoder.Load(photo).AsView(), 720, 480);
        _frame = ImageBuffer.CopyOf(ImageTransforms.Crop(scaled.AsView(), 40, 0, 640, 480));
        // One hand in the frame and MaxHands = 1: once it is tracked, video mode needs no palm detection.
        var options = new MediaPipeHandEstimatorOptions { Model = Model, Threads = Threads, Spinning = Spinning, MaxHands = 1 };
        _image = new MediaPipeHandEstimator(options);
        _video = new MediaPipeHandEstimator(options);
        int hands = _image.Estimate(_frame.AsView()).Hands.Count;
        if (hands != 1)
        {
            throw new InvalidOperationException($"The benchmark frame must show one hand; found {hands}.");
        }
        (string palm, string landmark) = MediaPipeHandEstimator.GetModelPaths(options);
        _replay = new HandPipeline(ReplayModels.Record(OnnxHandModels.Load(palm, landmark, options), _frame), options);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _image.Dispose();
        _video.Dispose();
        _replay.Dispose();
    }

    /// <summary>Image mode: palm detection + one landmark run, every call.</summary>
    [Benchmark(Baseline = true)]
    public int ImageMode() => _image.Estimate(_frame.AsView()).Hands.Count;

    /// <summary>Video mode on a steady hand: after the first frame only the landmark model runs.</summary>
    [Benchmark]
    public int VideoMode() => _video.Estimate(_frame.AsView(), TimeSpan.FromMilliseconds(33 * ++_tick)).Hands.Count;

    /// <summary>Image mode with both networks replaced by their recorded outputs: letterbox, crop, decoding, NMS, projection.</summary>
    [Benchmark]
    public int ImageMode_PrePostOnly() => _replay.EstimateImage(_frame.AsView(), default).Hands.Count;

    /// <summary>
    /// CPU time per call (process CPU time, single-threaded ONNX Runtime), for a loaded shared machine where wall-clock
    /// means measure the neighbours: <c>dotnet run -c Release --project benchmarks/HandPose.Benchmarks -- mediapipe-cputime</c>.
    /// </summary>
    public static void ReportCpuTime(TextWriter output)
    {
        foreach (MediaPipeHandModel model in new[] { MediaPipeHandModel.Full, MediaPipeHandModel.Lite })
        {
            var b = new MediaPipeBenchmarks { Model = model, Threads = 1 };
            b.Setup();
            double image = CpuMilliseconds(() => b.ImageMode());
            double video = CpuMilliseconds(() => b.VideoMode());
            double prePost = CpuMilliseconds(() => b.ImageMode_PrePostOnly());
            b.Cleanup();
            output.WriteLine(FormattableString.Invariant(
                $"{model}: image mode {image:F2} ms, video mode {video:F2} ms ({image / video:F2}x), pre+post {prePost:F2} ms ({100 * prePost / image:F1}% of image mode) CPU per call"));
        }
    }

    private static double CpuMilliseconds(Func<int> call)
    {
        for (int i = 0; i < 20; i++)
        {
            call();
        }
        double best = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            TimeSpan start = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            for (int i = 0; i < 40; i++)
            {
                call();
            }
            best = Math.Min(best, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / 40);
        }
        return best;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "HandPose.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("Run from inside the HandPose checkout.");
    }

    /// <summary>Replays the outputs the real networks produced for one frame (no inference).</summary>
    private sealed class ReplayModels : IHandModels
    {
        private readonly float[] _regressors = new float[PalmDecoder.AnchorCount * PalmDecoder.ValuesPerAnchor];
        private readonly float[] _logits = new float[PalmDecoder.AnchorCount];
        private readonly float[] _landmarks = new float[63];
        private readonly float[] _world = new float[63];
        private float _presence;
        private float _handedness;

        public TensorLayout PalmLayout { get; private init; }

        public TensorLayout LandmarkLayout { get; private init; }

        public static ReplayModels Record(OnnxHandModels real, ImageBuffer frame)
        {
            var replay = new ReplayModels { PalmLayout = real.PalmLayout, LandmarkLayout = real.LandmarkLayout };
            using (real)
            {
                var recorder = new RecordingModels(real, replay);
                new HandPipeline(recorder, MediaPipeHandEstimatorOptions.Default).EstimateImage(frame.AsView(), default);
            }
            return replay;
        }

        public void DetectPalms(HandBuffers buffers)
        {
            _regressors.CopyTo(buffers.Regressors, 0);
            _logits.CopyTo(buffers.Logits, 0);
        }

        public void Landmarks(in NormalizedRect roi, HandBuffers buffers)
        {
            _landmarks.CopyTo(buffers.Landmarks, 0);
            _world.CopyTo(buffers.World, 0);
            buffers.Presence[0] = _presence;
            buffers.Handedness[0] = _handedness;
        }

        public void Dispose()
        {
        }

        private sealed class RecordingModels(OnnxHandModels real, ReplayModels into) : IHandModels
        {
            public TensorLayout PalmLayout => real.PalmLayout;

            public TensorLayout LandmarkLayout => real.LandmarkLayout;

            public void DetectPalms(HandBuffers buffers)
            {
                real.DetectPalms(buffers);
                buffers.Regressors.CopyTo(into._regressors, 0);
                buffers.Logits.CopyTo(into._logits, 0);
            }

            public void Landmarks(in NormalizedRect roi, HandBuffers buffers)
            {
                real.Landmarks(roi, buffers);
                buffers.Landmarks.CopyTo(into._landmarks, 0);
                buffers.World.CopyTo(into._world, 0);
                into._presence = buffers.Presence[0];
                into._handedness = buffers.Handedness[0];
            }

            public void Dispose()
            {
            }
        }
    }
}
