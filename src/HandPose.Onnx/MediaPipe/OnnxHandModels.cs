using HandPose.Imaging;
using HandPose.Onnx.Runtime;

namespace HandPose.Onnx.MediaPipe;

/// <summary>The palm detector and landmark model as ONNX Runtime sessions (the models converted from MediaPipe's TFLite files).</summary>
internal sealed class OnnxHandModels : IHandModels
{
    private readonly OnnxSession _palm;
    private readonly OnnxSession _landmark;

    private OnnxHandModels(OnnxSession palm, OnnxSession landmark)
    {
        _palm = palm;
        _landmark = landmark;
        PalmLayout = InputLayout(palm, PalmDecoder.InputSize, "palm detection");
        LandmarkLayout = InputLayout(landmark, HandGeometry.LandmarkInputSize, "hand landmark");
        // Checked once here, so that binding a new buffer set cannot fail later.
        CheckOutput(palm, "Identity", 1, PalmDecoder.AnchorCount, PalmDecoder.ValuesPerAnchor);
        CheckOutput(palm, "Identity_1", 1, PalmDecoder.AnchorCount, 1);
        CheckOutput(landmark, "Identity", 1, 63);
        CheckOutput(landmark, "Identity_1", 1, 1);
        CheckOutput(landmark, "Identity_2", 1, 1);
        CheckOutput(landmark, "Identity_3", 1, 63);
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

    public void DetectPalms(HandBuffers buffers)
    {
        Bindings b = Bind(buffers);
        _palm.RunInto(b.PalmIn, b.PalmOut);
    }

    public void Landmarks(in NormalizedRect roi, HandBuffers buffers)
    {
        Bindings b = Bind(buffers);
        _landmark.RunInto(b.LandmarkIn, b.LandmarkOut);
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

    private static void CheckOutput(OnnxSession session, string name, params long[] shape)
    {
        OnnxTensorInfo? info = session.Outputs.FirstOrDefault(o => o.Name == name);
        if (info is null || !info.Dimensions.SequenceEqual(shape))
        {
            throw new ModelLoadException("MediaPipe model", $"expected an output '{name}' of shape [{string.Join(", ", shape)}]; the model has {string.Join("; ", session.Outputs.Select(o => o.Name + " " + o))}.");
        }
    }

    /// <summary>The ORT tensors over one buffer set, created on its first use and kept with it.</summary>
    private Bindings Bind(HandBuffers buffers)
    {
        if (buffers.ModelState is Bindings b && b.Owner == this)
        {
            return b;
        }
        b = new Bindings(
            this,
            [OnnxTensor.FromMemory(_palm.Inputs[0].Name, buffers.PalmInput.AsMemory(), Shape(PalmLayout, PalmDecoder.InputSize))],
            [
                OnnxTensor.FromMemory("Identity", buffers.Regressors.AsMemory(), 1, PalmDecoder.AnchorCount, PalmDecoder.ValuesPerAnchor),
                OnnxTensor.FromMemory("Identity_1", buffers.Logits.AsMemory(), 1, PalmDecoder.AnchorCount, 1),
            ],
            [OnnxTensor.FromMemory(_landmark.Inputs[0].Name, buffers.LandmarkInput.AsMemory(), Shape(LandmarkLayout, HandGeometry.LandmarkInputSize))],
            [
                OnnxTensor.FromMemory("Identity", buffers.Landmarks.AsMemory(), 1, 63),
                OnnxTensor.FromMemory("Identity_1", buffers.Presence.AsMemory(), 1, 1),
                OnnxTensor.FromMemory("Identity_2", buffers.Handedness.AsMemory(), 1, 1),
                OnnxTensor.FromMemory("Identity_3", buffers.World.AsMemory(), 1, 63),
            ]);
        buffers.ModelState = b;
        return b;
    }

    private sealed record Bindings(OnnxHandModels Owner, OnnxTensor[] PalmIn, OnnxTensor[] PalmOut, OnnxTensor[] LandmarkIn, OnnxTensor[] LandmarkOut);
}
