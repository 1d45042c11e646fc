using HandPose.Imaging;

namespace HandPose;

/// <summary>Estimates hand keypoints in images and video frames.</summary>
/// <remarks>
/// Thread-safety: each implementation says in its remarks whether it may be shared. Unless it says otherwise, an
/// instance serves one caller at a time. Video mode keeps tracking state between frames, so it is per stream: an
/// implementation that tracks detects a second thread entering it and throws <see cref="ConcurrentUseException"/>.
/// <see cref="IDisposable.Dispose"/> releases native sessions (do not dispose while calls are in progress); using a
/// disposed estimator throws <see cref="ObjectDisposedException"/>.
/// </remarks>
public interface IHandPoseEstimator : IDisposable
{
    /// <summary>The keypoint schema of the returned hands.</summary>
    KeypointSchema Schema { get; }

    /// <summary>Estimates hands in a single, independent image (no tracking state is used or changed).</summary>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands found, in image pixels.</returns>
    /// <exception cref="HandPoseException">The backend failed or the input is unsupported.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    HandPoseResult Estimate(ImageView image, CancellationToken cancellationToken = default);

    /// <summary>Estimates hands in a video frame, tracking them from the previous frames.</summary>
    /// <param name="frame">The frame.</param>
    /// <param name="timestamp">The frame's time; must increase from call to call.</param>
    /// <param name="cancellationToken">Cancels the estimation.</param>
    /// <returns>The hands found, in image pixels, with <see cref="HandPoseResult.Timestamp"/> set.</returns>
    /// <exception cref="HandPoseException">The backend failed or the input is unsupported.</exception>
    /// <exception cref="ArgumentException">The timestamp does not increase.</exception>
    /// <exception cref="ConcurrentUseException">Another thread is processing a frame of this (tracking) estimator.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    HandPoseResult Estimate(ImageView frame, TimeSpan timestamp, CancellationToken cancellationToken = default);
}
