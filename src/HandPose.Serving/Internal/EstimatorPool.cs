using System.Collections.Concurrent;
using HandPose.Onnx.MediaPipe;

namespace HandPose.Serving.Internal;

/// <summary>
/// Image-mode estimators of one model, one per request in flight: a request rents one, uses it alone and returns
/// it. The service's concurrency limit bounds how many ever exist. (Correct whether or not a shared estimator is
/// thread-safe: no two requests ever use the same instance at the same time.)
/// </summary>
internal sealed class EstimatorPool(string name, MediaPipeHandEstimatorOptions options) : IDisposable
{
    private readonly ConcurrentBag<MediaPipeHandEstimator> _idle = [];
    private int _created;
    private bool _disposed;

    public string Name { get; } = name;

    public MediaPipeHandEstimatorOptions Options { get; } = options;

    /// <summary>Estimators made so far (idle or rented).</summary>
    public int Created => Volatile.Read(ref _created);

    public MediaPipeHandEstimator Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out MediaPipeHandEstimator? estimator))
        {
            return estimator;
        }

        estimator = new MediaPipeHandEstimator(Options);
        Interlocked.Increment(ref _created);
        return estimator;
    }

    public void Return(MediaPipeHandEstimator estimator)
    {
        if (_disposed)
        {
            estimator.Dispose();
            return;
        }

        _idle.Add(estimator);
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out MediaPipeHandEstimator? estimator))
        {
            estimator.Dispose();
        }
    }
}
