using System.Security.Cryptography;
using HandPose.Onnx.Conversion.Internal;
using HandPose.Onnx.Model;

namespace HandPose.Onnx.TfLite;

/// <summary>
/// Converts TFLite models (float32 activations, float32 or float16 weights, one subgraph, static shapes) to ONNX
/// opset 13. Activations are kept in NCHW inside the graph; the ONNX model's inputs and outputs keep the TFLite names,
/// shapes and NHWC layout, so the same input buffer feeds both models.
/// </summary>
/// <remarks>
/// Supported operators: ADD, CONCATENATION, CONV_2D, DEPTHWISE_CONV_2D, DEQUANTIZE (of constant weights), FULLY_CONNECTED,
/// LOGISTIC, MAX_POOL_2D, MEAN, PAD, PRELU, RESHAPE, RESIZE_BILINEAR, with fused RELU, RELU6, RELU_N1_TO_1 and TANH
/// activations. A model using anything else fails with one <see cref="ModelLoadException"/> that lists every unsupported
/// operator. The converted model records its source in <c>metadata_props</c> (<c>handpose.source.sha256</c>,
/// <c>handpose.converter</c>, <c>handpose.input_layout</c>). Thread-safe (no shared state).
/// </remarks>
public static class TfLiteConverter
{
    /// <summary>The metadata key holding the lowercase hex SHA-256 of the source <c>.tflite</c> bytes.</summary>
    public const string SourceHashKey = "handpose.source.sha256";

    /// <summary>The TFLite operators the converter handles.</summary>
    public static IReadOnlyList<string> SupportedOperators { get; } = TfLiteOnnxEmitter.SupportedCodes
        .Select(TfLiteModel.BuiltinName).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Converts a TFLite model held in memory.</summary>
    /// <param name="tflite">The <c>.tflite</c> file's bytes.</param>
    /// <param name="sourceName">A name for error messages and metadata, e.g. the file name.</param>
    /// <returns>The ONNX model's bytes.</returns>
    /// <exception cref="ModelLoadException">The bytes are not a valid TFLite model, or it uses operators, operator
    /// variants or tensor types the converter does not handle (all are listed in the message).</exception>
    public static byte[] Convert(byte[] tflite, string sourceName = "in-memory model")
    {
        ArgumentNullException.ThrowIfNull(tflite);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        TfLiteModel model = TfLiteModel.Parse(tflite, sourceName);
        OnnxGraphBuilder builder;
        try
        {
            builder = new TfLiteOnnxEmitter(model, sourceName).Emit();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException or OverflowException or InvalidDataException)
        {
            // A structurally valid FlatBuffer whose graph is inconsistent (tensor shapes, operand counts, names).
            throw new ModelLoadException(sourceName, $"inconsistent TFLite graph: {e.Message}", e);
        }
        builder.SetMetadata("handpose.converter", "HandPose TFLite import " + builder.ProducerVersion);
        builder.SetMetadata("handpose.source", Path.GetFileName(sourceName));
        builder.SetMetadata(SourceHashKey, System.Convert.ToHexStringLower(SHA256.HashData(tflite)));
        builder.SetMetadata("handpose.input_layout", "NHWC");
        if (!string.IsNullOrEmpty(model.Description))
        {
            builder.SetMetadata("handpose.source.description", model.Description);
        }

        return builder.ToBytes();
    }

    /// <summary>Converts a <c>.tflite</c> file and writes the ONNX model (replacing <paramref name="onnxPath"/>).</summary>
    /// <param name="tflitePath">The TFLite model file.</param>
    /// <param name="onnxPath">Where to write the ONNX model.</param>
    /// <exception cref="ModelLoadException">The input is missing, unreadable, not a TFLite model, or uses unsupported operators.</exception>
    /// <exception cref="IOException">The output cannot be written.</exception>
    public static void ConvertFile(string tflitePath, string onnxPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(tflitePath);
        ArgumentException.ThrowIfNullOrEmpty(onnxPath);
        byte[] bytes = ModelFile.ReadAllBytes(tflitePath);

        byte[] onnx = Convert(bytes, tflitePath);
        string? dir = Path.GetDirectoryName(Path.GetFullPath(onnxPath));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        string temp = onnxPath + ".partial";
        File.WriteAllBytes(temp, onnx);
        File.Move(temp, onnxPath, overwrite: true);
    }
}
