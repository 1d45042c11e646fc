using HandPose.Imaging;

namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// The library's default hand estimator: MediaPipe Hands' pretrained palm detector and 21-keypoint landmark model
/// (converted to ONNX; the <c>HandPose.Models.MediaPipe</c> package ships them) on ONNX Runtime, with MediaPipe's pre- and post-processing
/// reproduced exactly (letterbox to 192, SSD anchors, weighted NMS, rotated 224 crops, projection, handedness).
/// </summary>
/// <remarks>
/// Image mode (<see cref="Estimate(ImageView, CancellationToken)"/>) treats every image independently. Video mode
/// (<see cref="Estimate(ImageView, TimeSpan, CancellationToken)"/>) tracks: each hand's next region comes from its
/// landmarks, and palm detection runs only while fewer than <see cref="MediaPipeHandEstimatorOptions.MaxHands"/>
/// hands are tracked. Results are deterministic for the same inputs.
/// Keypoints are image pixels (the top-left pixel's centre is (0.5, 0.5)); Z is MediaPipe's relative depth in the
/// scale of X; world keypoints are metres around the hand's centre.
/// Thread-safety: image mode is shareable. Many threads may call <see cref="Estimate(ImageView, CancellationToken)"/>
/// on one estimator at once; each call works in its own pooled buffers over the thread-safe ONNX Runtime sessions,
/// and its result is identical to a sequential call's. Video mode is per stream: use one estimator per stream and call
/// <see cref="Estimate(ImageView, TimeSpan, CancellationToken)"/> and <see cref="Reset"/> from one thread at a time;
/// a second thread entering them while a frame is in progress gets a <see cref="ConcurrentUseException"/>. Image-mode
/// calls may run while a video frame is in progress. Do not dispose the estimator while calls are in progress.
/// </remarks>
public sealed class MediaPipeHandEstimator : IHandPoseEstimator
{
    /// <summary>The package that ships the models and copies them into <see cref="DefaultModelDirectory"/>.</summary>
    public const string ModelsPackage = "HandPose.Models.MediaPipe";

    private readonly HandPipeline _pipeline;
    private bool _disposed;

    /// <summary>Creates an estimator with the default options (full models, up to 2 hands).</summary>
    /// <exception cref="ModelLoadException">A model file is missing (reference the <c>HandPose.Models.MediaPipe</c> package) or invalid.</exception>
    /// <exception cref="BackendUnavailableException">ONNX Runtime cannot be loaded.</exception>
    public MediaPipeHandEstimator()
        : this(MediaPipeHandEstimatorOptions.Default)
    {
    }

    /// <summary>Creates an estimator.</summary>
    /// <param name="options">The options (validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ModelLoadException">A model file is missing or invalid. The message names the path: the one given
    /// in the options, or, by default, the file <c>HandPose.Models.MediaPipe</c> would have put next to the application.</exception>
    /// <exception cref="BackendUnavailableException">ONNX Runtime cannot be loaded.</exception>
    public MediaPipeHandEstimator(MediaPipeHandEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        (string palm, string landmark) = ResolveModelPaths(options);
        Options = options;
        _pipeline = new HandPipeline(OnnxHandModels.Load(palm, landmark, options), options);
    }

    /// <summary>Palm detector runs so far (tests check that tracking skips detection).</summary>
    internal int PalmDetectionRuns => _pipeline.PalmDetectionRuns;

    /// <summary>The options this estimator runs with.</summary>
    public MediaPipeHandEstimatorOptions Options { get; }

    /// <inheritdoc/>
    public KeypointSchema Schema => KeypointSchema.Hand21;

    /// <summary>
    /// Where the models are looked for by default: <c>models/mediapipe</c> in the application's folder
    /// (<see cref="AppContext.BaseDirectory"/>), where the <c>HandPose.Models.MediaPipe</c> package copies them at build
    /// and publish time.
    /// </summary>
    public static string DefaultModelDirectory => Path.Combine(AppContext.BaseDirectory, "models", "mediapipe");

    /// <summary>
    /// The model files for <paramref name="options"/>: explicit paths first, else
    /// <c>{ModelDirectory}/palm_detection_{full|lite}.onnx</c> and <c>hand_landmark_{full|lite}.onnx</c>, with
    /// <see cref="DefaultModelDirectory"/> when no folder is set.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>The palm detection and hand landmark model paths (not checked for existence).</returns>
    public static (string PalmModel, string LandmarkModel) GetModelPaths(MediaPipeHandEstimatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string dir = options.ModelDirectory ?? DefaultModelDirectory;
        string suffix = options.Model == MediaPipeHandModel.Lite ? "lite" : "full";
        return (options.PalmModelPath ?? Path.Combine(dir, $"palm_detection_{suffix}.onnx"),
                options.LandmarkModelPath ?? Path.Combine(dir, $"hand_landmark_{suffix}.onnx"));
    }

    /// <summary>Checks that both files exist. A path the user chose is named alone; a default one comes with how to get it.</summary>
    private static (string Palm, string Landmark) ResolveModelPaths(MediaPipeHandEstimatorOptions options)
    {
        (string palm, string landmark) = GetModelPaths(options);
        bool folderChosen = options.ModelDirectory is not null;
        foreach ((string path, bool chosen) in new[] { (palm, folderChosen || options.PalmModelPath is not null), (landmark, folderChosen || options.LandmarkModelPath is not null) })
        {
            if (File.Exists(path))
            {
                continue;
            }
            throw chosen
                ? new ModelLoadException(path, "the file does not exist.")
                : new ModelLoadException(path, $"the MediaPipe model is not next to the application. Add the {ModelsPackage} package to the application's project (`dotnet add package {ModelsPackage}`; it copies the models into {Path.GetDirectoryName(path)} when the application is built), or set MediaPipeHandEstimatorOptions.ModelDirectory, PalmModelPath or LandmarkModelPath to your own copy.");
        }
        return (palm, landmark);
    }

    /// <inheritdoc/>
    /// <remarks>Safe to call from many threads at once.</remarks>
    public HandPoseResult Estimate(ImageView image, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _pipeline.EstimateImage(image, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>One thread at a time per estimator (video state is per stream).</remarks>
    /// <exception cref="ConcurrentUseException">Another thread is processing a frame or resetting this estimator.</exception>
    public HandPoseResult Estimate(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _pipeline.EstimateFrame(frame, timestamp, cancellationToken);
    }

    /// <summary>Forgets the hands tracked in video mode (the next frame starts with palm detection) and the last timestamp.</summary>
    /// <exception cref="ConcurrentUseException">Another thread is processing a video frame on this estimator.</exception>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _pipeline.Reset();
    }

    /// <summary>Releases the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _pipeline.Dispose();
        }
    }
}
