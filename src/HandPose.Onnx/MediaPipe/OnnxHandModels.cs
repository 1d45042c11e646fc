using HandPose.Imaging;
using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.MediaPipe;

/// <summary>The palm detector and landmark model as ONNX Runtime sessions (the models converted from MediaPipe's TFLite files).</summary>
internal sealed class OnnxHandModels : IHandModels
{
    private readonly OnnxSession _palm;
    private readonly OnnxSession _landmark;
    private readonly float[] _palmInput = new float[PalmDecoder.InputSize * PalmDecoder.InputSize * 3];
    private readonly float[] _regressors = new float[PalmDecoder.AnchorCount * PalmDecoder.ValuesPerAnchor];
    private readonly float[] _logits = new float[PalmDecoder.AnchorCount];
    private readonly float[] _cropInput = new float[HandGeometry.LandmarkInputSize * HandGeometry.LandmarkInputSize * 3];
    private readonly float[] _screen = new float[HandGeometry.LandmarkCount * 3];
    private readonly float[] _world = new float[HandGeometry.LandmarkCount * 3];
    private readonly float[] _presence = new float[1];
    private readonly float[] _handedness = new float[1];
    private readonly OnnxTensor[] _palmIn;
    private readonly OnnxTensor[] _palmOut;
    private readonly OnnxTensor[] _landmarkIn;
    private readonly OnnxTensor[] _landmarkOut;

    private OnnxHandModels(OnnxSession palm, OnnxSession landmark)
    {
        _palm = palm;
        _landmark = landmark;
        PalmLayout = InputLayout(palm, PalmDecoder.InputSize, "palm detection");
        LandmarkLayout = InputLayout(landmark, HandGeometry.LandmarkInputSize, "hand landmark");
        _palmIn = [OnnxTensor.FromMemory(palm.Inputs[0].Name, _palmInput.AsMemory(), Shape(PalmLayout, PalmDecoder.InputSize))];
        _palmOut =
        [
            Output(palm, "Identity", _regressors, 1, PalmDecoder.AnchorCount, PalmDecoder.ValuesPerAnchor),
            Output(palm, "Identity_1", _logits, 1, PalmDecoder.AnchorCount, 1),
        ];
        _landmarkIn = [OnnxTensor.FromMemory(landmark.Inputs[0].Name, _cropInput.AsMemory(), Shape(LandmarkLayout, HandGeometry.LandmarkInputSize))];
        _landmarkOut =
        [
            Output(landmark, "Identity", _screen, 1, 63),
            Output(landmark, "Identity_1", _presence, 1, 1),
            Output(landmark, "Identity_2", _handedness, 1, 1),
            Output(landmark, "Identity_3", _world, 1, 63),
        ];
    }

    public TensorLayout PalmLayout { get; }

    public TensorLayout LandmarkLayout { get; }

    /// <summary>Loads both models with the estimator's threading options; disposes what was created when a later step fails.</summary>
    public static OnnxHandModels Load(string palmPath, string landmarkPath, MediaPipeHandEstimatorOptions estimator)
    {
        int threads = estimator.Threads > 0 ? estimator.Threads : Math.Clamp(System.Environment.ProcessorCount, 1, 4);
        var options = new OnnxSessionOptions { IntraOpThreads = threads, Spinning = estimator.Spinning };
        OnnxSession? palm = null, landmark = null;
        try
        {
            palm = OnnxSession.FromFile(palmPath, options);
            landmark = OnnxSession.FromFile(landmarkPath, options);
            return new OnnxHandModels(palm, landmark);
        }
        catch
        {
            palm?.Dispose();
            landmark?.Dispose();
            throw;
        }
    }

    public Span<float> PalmInput => _palmInput;

    public Span<float> LandmarkInput => _cropInput;

    public void DetectPalms(Span<float> regressors, Span<float> logits)
    {
        _palm.RunInto(_palmIn, _palmOut);
        _regressors.CopyTo(regressors);
        _logits.CopyTo(logits);
    }

    public void Landmarks(in NormalizedRect roi, Span<float> landmarks, Span<float> world, out float presence, out float handedness)
    {
        _landmark.RunInto(_landmarkIn, _landmarkOut);
        _screen.CopyTo(landmarks);
        _world.CopyTo(world);
        presence = _presence[0];
        handedness = _handedness[0];
    }

    public void Dispose()
    {
        _palm.Dispose();
        _landmark.Dispose();
    }

    private static long[] Shape(TensorLayout layout, int size) =>
        layout == TensorLayout.Nhwc ? [1, size, size, 3] : [1, 3, size, size];

    /// <summary>NHWC for [1, size, size, 3] (the converted TFLite models), NCHW for [1, 3, size, size].</summary>
    private static TensorLayout InputLayout(OnnxSession session, int size, string what)
    {
        if (session.Inputs.Count == 1)
        {
            IReadOnlyList<long> d = session.Inputs[0].Dimensions;
            if (d.Count == 4 && d[1] == size && d[2] == size && d[3] == 3)
            {
                return TensorLayout.Nhwc;
            }
            if (d.Count == 4 && d[1] == 3 && d[2] == size && d[3] == size)
            {
                return TensorLayout.Nchw;
            }
        }
        throw new ModelLoadException(what + " model", $"expected one float input [1, {size}, {size}, 3] (or [1, 3, {size}, {size}]); found {string.Join("; ", session.Inputs)}.");
    }

    private static OnnxTensor Output(OnnxSession session, string name, float[] buffer, params long[] shape)
    {
        OnnxTensorInfo? info = session.Outputs.FirstOrDefault(o => o.Name == name);
        if (info is null || !info.Dimensions.SequenceEqual(shape))
        {
            throw new ModelLoadException("MediaPipe model", $"expected an output '{name}' of shape [{string.Join(", ", shape)}]; the model has {string.Join("; ", session.Outputs.Select(o => o.Name + " " + o))}.");
        }
        return OnnxTensor.FromMemory(name, buffer.AsMemory(), shape);
    }
}
