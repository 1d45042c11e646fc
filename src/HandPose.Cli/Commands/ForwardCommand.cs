using System.CommandLine;
using HandPose.IO;
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
        var backend = new Option<string>("--backend") { Description = "Engine (torch).", DefaultValueFactory = _ => "torch" };
        backend.AcceptOnlyFromAmong("torch");
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
                    [.. parse.GetValue(input)!.Select(f => f.FullName)], parse.GetValue(output)!.FullName, parse.GetValue(device)!);
            }
            catch (BackendUnavailableException ex)
            {
                context.Error.WriteLine($"handpose: {ex.Message}"); // the whole message: the cause and the fix
                return CliApp.Failure;
            }
        }));
        return command;
    }

    internal static int Run(CliContext context, string archName, string weightsPath, IReadOnlyList<string> inputPaths, string outputPath, string deviceName)
    {
        TorchArchitecture arch = TorchArchitectures.Get(archName);
        if (inputPaths.Count != arch.Inputs)
        {
            throw new ArgumentException($"{arch.Name} takes {arch.Inputs} --input file(s), got {inputPaths.Count}.");
        }

        NpyArray[] arrays = [.. inputPaths.Select(NpyArray.Load)];
        torch.Device device = TorchRuntime.Device(deviceName);
        using torch.nn.Module model = arch.Create();
        StateDicts.Load(model, weightsPath);
        model.to(device).eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        torch.Tensor[] inputs = [.. arrays.Select(a => torch.tensor(a.Data, [.. a.Shape.Select(d => (long)d)]).to(device))];
        IReadOnlyList<torch.Tensor> ys;
        try
        {
            ys = [.. arch.ForwardAll(model, inputs).Select(y => y.to(torch.CPU).to_type(torch.ScalarType.Float32).contiguous())];
        }
        catch (System.Runtime.InteropServices.ExternalException ex)
        {
            string shapes = string.Join(", ", arrays.Select(a => $"[{string.Join(", ", a.Shape)}]"));
            throw new InputShapeException(inputPaths[0], $"an input {arch.Name} accepts", $"{shapes} ({ex.Message.Split('\n')[0]})");
        }

        // The last official output goes to --out; any others next to it as <out>.<name>.npy (e.g. NSRM's structure maps).
        string stem = outputPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) ? outputPath[..^4] : outputPath;
        for (int i = 0; i < ys.Count; i++)
        {
            string path = i == ys.Count - 1 ? outputPath : $"{stem}.{arch.Outputs[i]}.npy";
            var result = new NpyArray([.. ys[i].shape.Select(d => (int)d)], ys[i].data<float>().ToArray());
            result.Save(path);
            string name = ys.Count == 1 ? string.Empty : arch.Outputs[i] + " ";
            context.Out.WriteLine(CliContext.Invariant($"{arch.Name}: {string.Join(" ", arrays.Select(a => $"[{string.Join(", ", a.Shape)}]"))} -> {name}[{string.Join(", ", result.Shape)}] written to {path}"));
        }

        return CliApp.Ok;
    }
}
