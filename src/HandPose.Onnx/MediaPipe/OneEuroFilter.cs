namespace HandPose.Onnx.MediaPipe;

/// <summary>
/// The One Euro filter (Casiez, Roussel, Vogel, CHI 2012): a low-pass filter whose cut-off frequency rises with the
/// signal's speed, so slow jitter is removed and fast motion keeps little lag. One instance filters one scalar.
/// </summary>
internal sealed class OneEuroFilter
{
    private readonly float _minCutoff;
    private readonly float _beta;
    private readonly float _derivativeCutoff;
    private bool _initialized;
    private double _lastTime;
    private float _value;
    private float _derivative;

    /// <param name="minCutoff">Cut-off frequency at rest (Hz).</param>
    /// <param name="beta">Speed coefficient: how fast the cut-off grows with speed.</param>
    /// <param name="derivativeCutoff">Cut-off frequency for the speed estimate (Hz).</param>
    public OneEuroFilter(float minCutoff, float beta, float derivativeCutoff)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCutoff);
        ArgumentOutOfRangeException.ThrowIfNegative(beta);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(derivativeCutoff);
        _minCutoff = minCutoff;
        _beta = beta;
        _derivativeCutoff = derivativeCutoff;
    }

    /// <summary>Filters <paramref name="value"/> observed at <paramref name="seconds"/> (strictly increasing).</summary>
    /// <param name="value">The new observation.</param>
    /// <param name="seconds">Its time.</param>
    /// <param name="speedScale">Multiplies the speed before it raises the cut-off (e.g. 1 / object size, so that
    /// speed is measured in object sizes per second, as MediaPipe's value scaling does); the value itself is not scaled.</param>
    public float Filter(float value, double seconds, float speedScale = 1f)
    {
        if (!_initialized)
        {
            _initialized = true;
            _lastTime = seconds;
            _value = value;
            _derivative = 0f;
            return value;
        }
        double dt = seconds - _lastTime;
        if (!(dt > 0))
        {
            return _value;
        }
        _lastTime = seconds;
        float derivative = (value - _value) * speedScale / (float)dt;
        _derivative += Alpha(_derivativeCutoff, dt) * (derivative - _derivative);
        float cutoff = _minCutoff + (_beta * MathF.Abs(_derivative));
        _value += Alpha(cutoff, dt) * (value - _value);
        return _value;
    }

    /// <summary>Smoothing factor of an exponential low-pass with cut-off <paramref name="cutoff"/> at step <paramref name="dt"/>.</summary>
    private static float Alpha(float cutoff, double dt)
    {
        double tau = 1.0 / (2 * Math.PI * cutoff);
        return (float)(1.0 / (1.0 + (tau / dt)));
    }
}
