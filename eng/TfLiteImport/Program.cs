using HandPose;
using HandPose.Onnx.TfLite;

// Usage: TfLiteImport IN.tflite OUT.onnx [IN2.tflite OUT2.onnx ...]
if (args.Length == 0 || args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: TfLiteImport IN.tflite OUT.onnx [IN2.tflite OUT2.onnx ...]");
    return 2;
}

for (int i = 0; i < args.Length; i += 2)
{
    try
    {
        TfLiteConverter.ConvertFile(args[i], args[i + 1]);
        Console.WriteLine($"TfLiteImport: {args[i]} -> {args[i + 1]}");
    }
    catch (Exception e) when (e is HandPoseException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"TfLiteImport: {e.Message}");
        return 1;
    }
}

return 0;
