using System.CommandLine;
using HandPose.Onnx.Model;
using HandPose.Onnx.TfLite;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose import-tflite IN.tflite OUT.onnx</c>: converts a TFLite model to ONNX (opset 13).</summary>
internal sealed class ImportTfLiteCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var input = new Argument<FileInfo>("IN.tflite") { Description = "The TFLite model to convert." };
        var output = new Argument<FileInfo>("OUT.onnx") { Description = "Where to write the ONNX model (replaced if it exists)." };
        var command = new Command("import-tflite", "Convert a TFLite model to ONNX (opset 13); lists unsupported operators and exits 1 if any.")
        {
            input,
            output,
        };
        command.SetAction(result => context.Guard(() =>
        {
            FileInfo source = result.GetRequiredValue(input);
            FileInfo destination = result.GetRequiredValue(output);
            TfLiteConverter.ConvertFile(source.FullName, destination.FullName);
            OnnxModelInfo info = OnnxModelInfo.Load(destination.FullName);
            context.Out.WriteLine(CliContext.Invariant($"{destination.FullName}: {info.NodeCount} nodes, {info.InitializerCount} initializers"));
            context.Out.WriteLine("operators: " + string.Join(", ", info.OperatorCounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => CliContext.Invariant($"{p.Key} {p.Value}"))));
            foreach (OnnxValueInfo value in info.Inputs)
            {
                context.Out.WriteLine($"input  {value}");
            }

            foreach (OnnxValueInfo value in info.Outputs)
            {
                context.Out.WriteLine($"output {value}");
            }

            return CliApp.Ok;
        }));
        return command;
    }
}
