using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.MediaPipe;

/// <summary>Options of the MediaPipe hand estimator; validated once, when the estimator is created.</summary>
public sealed class MediaPipeHandEstimatorOptions
{
    /// <summary>The model pair. Default <see cref="MediaPipeHandModel.Full"/>.</summary>
    public MediaPipeHandModel Model { get; init; } = MediaPipeHandModel.Full;

    /// <summary>
    /// Folder holding <c>palm_detection_{full,lite}.onnx</c> and <c>hand_landmark_{full,lite}.onnx</c>. Default (null):
    /// <see cref="MediaPipeHandEstimator.DefaultModelDirectory"/>, <c>models/mediapipe</c> next to the application,
    /// where the <c>HandPose.Models.MediaPipe</c> package puts them when the application references it.
    /// </summary>
    public string? ModelDirectory { get; init; }

    /// <summary>An explicit palm detection model file; overrides <see cref="ModelDirectory"/> for that model.</summary>
    public string? PalmModelPath { get; init; }

    /// <summary>An explicit hand landmark model file; overrides <see cref="ModelDirectory"/> for that model.</summary>
    public string? LandmarkModelPath { get; init; }

    /// <summary>The most hands returned per image or frame, 1 to 16. Default 2.</summary>
    public int MaxHands { get; init; } = 2;

    /// <summary>Minimum palm detection score in [0, 1] (MediaPipe's <c>minDetectionConfidence</c>). Default 0.5.</summary>
    public float MinDetectionConfidence { get; init; } = 0.5f;

    /// <summary>
    /// Minimum hand presence score of the landmark model in [0, 1]; hands below it are dropped (and, in video mode,
    /// lost, so palm detection runs again). This is the legacy MediaPipe solution's <c>minTrackingConfidence</c>. Default 0.5.
    /// </summary>
    public float MinPresenceConfidence { get; init; } = 0.5f;

    /// <summary>
    /// Video mode: a newly detected palm whose region overlaps a tracked hand's region with an intersection over
    /// union above this value in [0, 1] is the same hand (the tracked one is kept). Default 0.5.
    /// </summary>
    public float MinTrackingConfidence { get; init; } = 0.5f;

    /// <summary>
    /// Threads ONNX Runtime may use per model run; 0 means one per processor core (at most 4). Default 0: on an idle
    /// 2-core machine two (non-spinning, see <see cref="Spinning"/>) threads make palm + landmark inference 10–25 %
    /// faster than one, and about as fast as one while other processes keep the cores busy (benchmarks/RESULTS.md).
    /// Choose 1 when several estimators run at once.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>
    /// Whether ONNX Runtime's worker threads busy-wait for work (only matters with more than one thread). Default
    /// <see cref="OnnxThreadSpinning.Never"/>: the workers sleep between the parallel parts of a run. With ONNX Runtime's
    /// own default (<see cref="OnnxThreadSpinning.Always"/>) the palm detector's spinning workers compete with the
    /// landmark model's and two threads were 2–4× slower than one. <see cref="OnnxThreadSpinning.DuringRun"/> is another
    /// 20–30 % faster on an idle machine but 2–3× slower than one thread when other processes keep the cores busy.
    /// </summary>
    public OnnxThreadSpinning Spinning { get; init; } = OnnxThreadSpinning.Never;

    /// <summary>
    /// Whether input images are mirrored (selfie view). <see cref="Hand.Handedness"/> is always the subject's own
    /// hand; this says how to read the model's opinion. Default false (a normal photo).
    /// </summary>
    public bool Mirrored { get; init; }

    /// <summary>Video mode: smooth image keypoints over time with a One Euro filter. Default false (raw, as MediaPipe Hands).</summary>
    public bool Smoothing { get; init; }

    /// <summary>One Euro filter cut-off at rest in Hz, on keypoints measured in hand sizes. Default 0.05.</summary>
    public float SmoothingMinCutoff { get; init; } = 0.05f;

    /// <summary>One Euro filter speed coefficient (hand sizes per second). Default 80.</summary>
    public float SmoothingBeta { get; init; } = 80f;

    /// <summary>One Euro filter cut-off of the speed estimate in Hz. Default 1.</summary>
    public float SmoothingDerivativeCutoff { get; init; } = 1f;

    /// <summary>The defaults.</summary>
    public static MediaPipeHandEstimatorOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHands, 1, nameof(MaxHands));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxHands, 16, nameof(MaxHands));
        RequireUnit(MinDetectionConfidence, nameof(MinDetectionConfidence));
        RequireUnit(MinPresenceConfidence, nameof(MinPresenceConfidence));
        RequireUnit(MinTrackingConfidence, nameof(MinTrackingConfidence));
        ArgumentOutOfRangeException.ThrowIfNegative(Threads, nameof(Threads));
        if (!Enum.IsDefined(Spinning))
        {
            throw new ArgumentOutOfRangeException(nameof(Spinning), Spinning, "Not a thread spinning mode.");
        }

        if (!Enum.IsDefined(Model))
        {
            throw new ArgumentOutOfRangeException(nameof(Model), Model, "Expected MediaPipeHandModel.Full or .Lite.");
        }
        if (Smoothing && !(SmoothingMinCutoff > 0 && SmoothingBeta >= 0 && SmoothingDerivativeCutoff > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(SmoothingMinCutoff), "Smoothing needs a positive minimum cut-off, a non-negative beta and a positive derivative cut-off.");
        }
    }

    private static void RequireUnit(float value, string name)
    {
        if (!(value >= 0f && value <= 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, "Expected a score in [0, 1].");
        }
    }
}
