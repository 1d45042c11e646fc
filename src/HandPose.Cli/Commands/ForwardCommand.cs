using System.CommandLine;
using HandPose.IO;
using HandPose.Onnx.Runtime;
using HandPose.Torch.Export;
using HandPose.Torch;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using TorchSharp;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose forward</c>: one evaluation-mode forward pass of a registered architecture on .npy inputs.</summary>
internal sealed class ForwardCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var arch = new Option<string>("--arch")
        {
            Description = "Architecture: " + string.Join("; ", TorchArchitectures.All.Select(a => $"{a.Name} ({a.Description})")) + ".",
            Required = true,
        };
        arch.AcceptOnlyFromAmong([.. TorchArchitectures.All.Select(a => a.Name)]);
        var weights = new Option<FileInfo>("--weights") { Description = "A torch.save state dict (.pt/.pth) or a .safetensors file with the architecture's official PyTorch names.", Required = true };
        var input = new Option<FileInfo[]>("--input") { Description = "Input .npy (float); repeat for a model with several inputs, in order.", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<FileInfo>("--out") { Description = "Output .npy (float32): the network's last official output; other outputs of a multi-output network go next to it as <out>.<name>.npy.", Required = true };
        var backend = new Option<string>("--backend") { Description = "Engine: torch (TorchSharp), or onnx (the architecture exported to ONNX at the input's size, run on ONNX Runtime; " + string.Join(", ", TorchOnnxExporter.SupportedArchitectures) + ").", DefaultValueFactory = _ => "torch" };
        backend.AcceptOnlyFromAmong("torch", "onnx");
        var device = new Option<string>("--device") { Description = "cpu (default), cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var command = new Command("forward", "Run one forward pass (evaluation mode, no grad) of a built-in architecture with given weights on .npy tensors.")
        {
            arch, weights, input, output, backend, device,
        };
        command.SetAction(parse => context.Guard(() =>
        {
            try
            {
                return Run(context, parse.GetValue(arch)!, parse.GetValue(weights)!.FullName,
                    [.. parse.GetValue(input)!.Select(f => f.FullName)], parse.GetValue(output)!.FullName, parse.GetValue(device)!, parse.GetValue(backend)!);
            }
            catch (BackendUnavailableException ex)
            {
                context.Error.WriteLine($"handpose: {ex.Message}"); // the whole message: the cause and the fix
                return CliApp.Failure;
            }
        }));
        return command;
    }

    internal static int Run(CliContext context, string archName, string weightsPath, IReadOnlyList<string> inputPaths, string outputPath, string deviceName, string backend = "torch")
    {
        TorchArchitecture arch = TorchArchitectures.Get(archName);
        if (inputPaths.Count != arch.Inputs)
        {
            throw new ArgumentException($"{arch.Name} takes {arch.Inputs} --input file(s), got {inputPaths.Count}.");
        }

        NpyArray[] arrays = [.. inputPaths.Select(NpyArray.Load)];
        if (backend == "onnx" && deviceName != "cpu")
        {
            throw new ArgumentException($"--backend onnx runs on the CPU (ONNX Runtime's CPU provider); drop --device {deviceName}.");
        }

        torch.Device device = TorchRuntime.Device(deviceName);
        using torch.nn.Module model = arch.Create();
        StateDicts.Load(model, weightsPath);
        model.to(device).eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        torch.Tensor[] inputs = [.. arrays.Select(a => torch.tensor(a.Data, [.. a.Shape.Select(d => (long)d)]).to(device))];
        NpyArray[] ys;
        try
        {
            ys = backend == "onnx" ? RunOnnx(arch, model, arrays) : [.. arch.ForwardAll(model, inputs).Select(ToNpy)];
        }
        catch (System.Runtime.InteropServices.ExternalException ex)
        {
            string shapes = string.Join(", ", arrays.Select(a => $"[{string.Join(", ", a.Shape)}]"));
            throw new InputShapeException(inputPaths[0], $"an input {arch.Name} accepts", $"{shapes} ({ex.Message.Split('\n')[0]})");
        }

        // The last official output goes to --out; any others next to it as <out>.<name>.npy (e.g. NSRM's structure maps).
        string stem = outputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? outputPath[..^4] : outputPath;
        for (int i = 0; i < ys.Length; i++)
        {
            string path = i == ys.Length - 1 ? outputPath : $"{stem}.{arch.Outputs[i]}.npy";
            NpyArray result = ys[i];
            result.Save(path);
            string name = ys.Length == 1 ? string.Empty : arch.Outputs[i] + " ";
            context.Out.WriteLine(CliContext.Invariant($"{arch.Name}: {string.Join(" ", arrays.Select(a => $"[{string.Join(", ", a.Shape)}]"))} -> {name}[{string.Join(", ", result.Shape)}] written to {path}"));
        }

        return CliApp.Ok;
    }

    private static NpyArray ToNpy(torch.Tensor y)
    {
        using torch.Tensor c = y.to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous();
        return new NpyArray([.. c.shape.Select(d => (int)d)], c.data<float>().ToArray());
    }

    /// <summary>Exports the loaded network at the input's size and runs the ONNX model on ONNX Runtime: the official outputs, in order.</summary>
    private static NpyArray[] RunOnnx(TorchArchitecture arch, torch.nn.Module model, NpyArray[] inputs)
    {
        IReadOnlyList<int> shape = inputs[0].Shape;
        if (shape.Count != 4 || shape[1] != 3)
        {
            throw new InputShapeException("--input", $"an image batch [N, 3, H, W] for {arch.Name}", $"[{string.Join(", ", shape)}]");
        }

        (byte[] onnx, _) = TorchOnnxExporter.Export(arch, model, new TorchOnnxExportOptions { InputWidth = shape[3], InputHeight = shape[2] });
        using OnnxSession session = OnnxSession.FromBytes(onnx);
        using OnnxRunResult result = session.Run(
            [OnnxTensor.FromMemory(TorchOnnxExporter.InputName, inputs[0].Data.AsMemory(), [.. shape.Select(d => (long)d)])], [.. arch.Outputs]);
        return [.. result.Select(o => new NpyArray([.. o.Shape.Select(d => (int)d)], o.ToArray<float>()))];
    }
}
