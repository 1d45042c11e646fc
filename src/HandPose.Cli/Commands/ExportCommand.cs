using System.CommandLine;
using System.Globalization;
using HandPose.Onnx.Model;
using HandPose.Structure.Codecs;
using HandPose.Torch.Export;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose export</c>: writes a zoo network with its weights as an ONNX model with its model spec in the metadata.</summary>
internal sealed class ExportCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var arch = new Option<string>("--arch") { Description = "Architecture: " + string.Join(", ", TorchOnnxExporter.SupportedArchitectures) + ".", Required = true };
        arch.AcceptOnlyFromAmong([.. TorchOnnxExporter.SupportedArchitectures]);
        var weights = new Option<FileInfo?>("--weights") { Description = "A torch.save state dict (.pt/.pth) or .safetensors file with the architecture's official names; omitted: the default (random) initialisation." };
        var output = new Option<FileInfo>("--out") { Description = "The .onnx file to write (replaced).", Required = true };
        var inputSize = new Option<string?>("--input-size") { Description = "Input size S (square) or WxH in pixels; default: the architecture's official size (256 Simple Baselines, 368 CPM/NSRM/HandyPose, 320x240 HandSegNet, 256 PoseNet, 224 ResNets/FreiHAND)." };
        var command = new Command("export", $"Write a zoo network with its weights as an ONNX model (opset {TorchOnnxExporter.OpsetVersion}) whose outputs match TorchSharp's, with its model spec (input size, normalisation, layout, keypoint schema, decoder) in the metadata.")
        {
            arch, weights, output, inputSize,
        };
        command.SetAction(parse => context.Guard(() =>
        {
            string? size = parse.GetValue(inputSize);
            (int W, int H)? parsed = null;
            if (size is not null)
            {
                parsed = ParseSize(size);
                if (parsed is null)
                {
                    return context.Usage($"--input-size must be S or WxH with whole numbers of pixels, not '{size}'.");
                }
            }

            try
            {
                return Run(context, parse.GetValue(arch)!, parse.GetValue(weights)?.FullName, parse.GetValue(output)!.FullName, parsed);
            }
            catch (BackendUnavailableException ex)
            {
                context.Error.WriteLine($"handpose: {ex.Message}"); // the whole message: the cause and the fix
                return CliApp.Failure;
            }
        }));
        return command;
    }

    internal static (int W, int H)? ParseSize(string text)
    {
        string[] parts = text.Split('x', 'X');
        if (parts.Length is < 1 or > 2)
        {
            return null;
        }

        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < 1)
            {
                return null;
            }
        }

        return (values[0], values[^1]);
    }

    internal static int Run(CliContext context, string arch, string? weights, string output, (int W, int H)? size)
    {
        var options = new TorchOnnxExportOptions { InputWidth = size?.W, InputHeight = size?.H };
        PoseModelSpec spec = TorchOnnxExporter.ExportFile(arch, weights, output, options);
        OnnxModelInfo info = OnnxModelInfo.Load(output);
        context.Out.WriteLine(CliContext.Invariant($"{output}: {arch}, opset {TorchOnnxExporter.OpsetVersion}, {info.NodeCount} nodes, {info.InitializerCount} initializers{(weights is null ? " (random initialisation: no --weights)" : string.Empty)}"));
        foreach (OnnxValueInfo value in info.Inputs)
        {
            context.Out.WriteLine($"input  {value}");
        }

        foreach (OnnxValueInfo value in info.Outputs)
        {
            context.Out.WriteLine($"output {value}{(value.Name == spec.FinalOutput ? " (final)" : string.Empty)}");
        }

        foreach ((string key, string value) in spec.ToMetadata().Where(p => p.Key != PoseModelSpec.Keys.Skeleton))
        {
            context.Out.WriteLine($"{key} = {value}");
        }

        return CliApp.Ok;
    }
}
