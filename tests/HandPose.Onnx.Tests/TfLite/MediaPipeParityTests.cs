using System.Text.Json;
using HandPose.Onnx.Runtime;
using HandPose.Onnx.Tests.Runtime;
using HandPose.Onnx.TfLite;

namespace HandPose.Onnx.Tests.TfLite;

/// <summary>The converted MediaPipe models on ONNX Runtime against the outputs of the real TFLite kernels.</summary>
public sealed class MediaPipeParityTests
{
    public sealed record Case(string Model, string Input, int[] InputShape, (string Name, string File)[] Outputs)
    {
        public override string ToString() => $"{Model} on {Input}";
    }

    private static IEnumerable<Case> Cases()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(MediaPipeModels.Tensors("manifest.json")));
        foreach (JsonElement c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            yield return new Case(
                Path.GetFileNameWithoutExtension(c.GetProperty("model").GetString()!),
                c.GetProperty("input").GetString()!,
                c.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("outputs").EnumerateArray().Select(o => (o.GetProperty("name").GetString()!, o.GetProperty("file").GetString()!)).ToArray());
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Convert_model_on_onnx_runtime_reproduces_tflite_kernels(Case c)
    {
        OrtTestEnvironment.RequireRuntime();
        byte[] onnx = TfLiteConverter.Convert(MediaPipeModels.TfLite(c.Model), c.Model + ".tflite");
        float[] input = MediaPipeModels.ReadF32(c.Input);
        using OnnxSession session = OnnxSession.FromBytes(onnx, new OnnxSessionOptions { IntraOpThreads = 1 });
        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory<float>("input_1", input, c.InputShape.Select(d => (long)d).ToArray())]);

        bool palm = c.Model.StartsWith("palm", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            foreach ((string name, string file) in c.Outputs)
            {
                float[] expected = MediaPipeModels.ReadF32(file);
                float[] actual = result[name].ToArray<float>();
                Assert.That(actual, Has.Length.EqualTo(expected.Length), name);
                double maxError = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
                double tolerance = (palm, name) switch
                {
                    (true, _) => 2e-3,                 // box/keypoint regressors (|x| up to ~140) and raw score logits
                    (false, "Identity") => 1e-3,       // landmarks in crop pixels
                    _ => 1e-5,                         // presence, handedness, world landmarks (metres)
                };
                TestContext.Out.WriteLine($"{c.Model} {c.Input} {name}: max |onnx - tflite| = {maxError:G3} (tolerance {tolerance:G1}, max |tflite| = {expected.Max(Math.Abs):G3})");
                Assert.That(maxError, Is.LessThanOrEqualTo(tolerance), $"{name} max abs error");
                if (palm && name == "Identity_1")
                {
                    double scoreError = expected.Select((e, i) => Math.Abs(Sigmoid(e) - Sigmoid(actual[i]))).Max();
                    TestContext.Out.WriteLine($"{c.Model} {c.Input} sigmoid({name}): max error = {scoreError:G3} (tolerance 1e-5)");
                    Assert.That(scoreError, Is.LessThanOrEqualTo(1e-5), "palm scores after sigmoid");
                }
            }
        });
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
