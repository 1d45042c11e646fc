namespace HandPose.Serving;

/// <summary>Options of <see cref="HandPoseServer"/> (what <c>handpose serve</c> sets from its command line).</summary>
public sealed class HandPoseServerOptions
{
    /// <summary>The TCP port (default 5000; 0 picks a free port, see <see cref="HandPoseServer.Address"/>).</summary>
    public int Port { get; init; } = 5000;

    /// <summary>Listen on every interface instead of loopback only (default false: only this machine can connect).</summary>
    public bool ListenOnAnyAddress { get; init; }

    /// <summary>
    /// The models to offer, by name: <c>full</c>, <c>lite</c> (MediaPipe Hands) or the path of a hand landmark
    /// <c>.onnx</c> model (run with the full palm detector; its name is the file name). The first is the default.
    /// </summary>
    public IReadOnlyList<string> Models { get; init; } = ["full", "lite"];

    /// <summary>The largest request body in bytes; larger uploads get 413 (default 32 MiB; the seed project allowed 1 MB).</summary>
    public long MaxRequestBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>Requests estimated at the same time (default: one per core, at most 4). Each holds its own estimator.</summary>
    public int MaxConcurrentRequests { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Requests that may wait for a free slot (default 64); beyond that the service answers 503.</summary>
    public int MaxQueuedRequests { get; init; } = 64;

    /// <summary>Live (WebSocket) sessions at the same time (default 4); each holds a video-mode estimator. More get 503.</summary>
    public int MaxLiveSessions { get; init; } = 4;

    /// <summary>The most hands per image (default 2, 1-16).</summary>
    public int MaxHands { get; init; } = 2;

    /// <summary>ONNX Runtime threads per estimator (default: cores divided by <see cref="MaxConcurrentRequests"/>, at least 1).</summary>
    public int? ThreadsPerEstimator { get; init; }

    /// <summary>Where the MediaPipe models are (default: the setup cache, as <c>MediaPipeHandEstimatorOptions.ModelDirectory</c>).</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>Write logs as JSON lines (one object per event) instead of text.</summary>
    public bool JsonLogs { get; init; }
}
