using System.CommandLine;
using HandPose.IO;
using HandPose.Onnx.Runtime;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose run-onnx --model M.onnx --input X.npy [--input-name NAME] --out Y.npy [--output-name NAME]</c>.</summary>
internal sealed class RunOnnxCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var model = new Option<FileInfo>("--model") { Description = "The ONNX model.", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "The input tensor (.npy, float32).", Required = true };
        var inputName = new Option<string?>("--input-name") { Description = "The model input to feed (default: the first)." };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the output tensor (.npy, float32).", Required = true };
        var outputName = new Option<string?>("--output-name") { Description = "The model output to write (default: the first)." };
        var command = new Command("run-onnx", "Run one forward pass of an ONNX model on ONNX Runtime and write the output.")
        {
            model,
            input,
            inputName,
            output,
            outputName,
        };
        command.SetAction(result => context.Guard(() => Run(
            context,
            result.GetRequiredValue(model).FullName,
            result.GetRequiredValue(input).FullName,
            result.GetValue(inputName),
            result.GetRequiredValue(output).FullName,
            result.GetValue(outputName))));
        return command;
    }

    internal static int Run(CliContext context, string modelPath, string inputPath, string? inputName, string outPath, string? outputName)
    {
        NpyArray x = NpyArray.Load(inputPath);
        using OnnxSession session = OnnxSession.FromFile(modelPath);
        string feed = inputName ?? session.Inputs[0].Name;
        string fetch = outputName ?? session.Outputs[0].Name;
        if (session.Inputs.Count > 1 && inputName is null)
        {
            return context.Usage($"the model has {session.Inputs.Count} inputs ({string.Join(", ", session.Inputs.Select(i => i.Name))}); this command feeds one.");
        }

        using OnnxRunResult result = session.Run([OnnxTensor.FromMemory(feed, x.Data.AsMemory(), [.. x.Shape.Select(d => (long)d)])], [fetch]);
        OnnxOutput y = result[0];
        if (y.ElementType != HandPose.Onnx.Model.OnnxElementType.Float)
        {
            context.Error.WriteLine($"handpose: output '{fetch}' holds {y.ElementType} values; run-onnx writes float32 .npy files only.");
            return CliApp.Failure;
        }

        float[] data = y.ToArray<float>();
        OutputFiles.WriteOne(outPath, "--out", new NpyArray([.. y.Shape.Select(d => checked((int)d))], data).Save);
        context.Out.WriteLine($"{fetch} float32 [{string.Join(", ", y.Shape)}] -> {outPath} (ONNX Runtime {session.RuntimeVersion})");
        return CliApp.Ok;
    }
}
