using System.CommandLine;
using HandPose.IO;
using HandPose.Torch;
using HandPose.Torch.Models;
using HandPose.Torch.Modules;
using HandPose.Torch.Serialization;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose forward</c>: one evaluation-mode forward pass of a built-in architecture on an .npy input.</summary>
internal sealed class ForwardCommand : ICliCommand
{
    private static readonly Dictionary<string, Func<Module>> Architectures = new(StringComparer.Ordinal)
    {
        ["resnet18"] = () => new ResNet(ResNetDepth.ResNet18),
        ["resnet34"] = () => new ResNet(ResNetDepth.ResNet34),
        ["resnet50"] = () => new ResNet(ResNetDepth.ResNet50),
        ["resnet101"] = () => new ResNet(ResNetDepth.ResNet101),
        ["resnet152"] = () => new ResNet(ResNetDepth.ResNet152),
        ["simplebaseline-resnet18"] = () => new SimpleBaseline(ResNetDepth.ResNet18, 21),
        ["simplebaseline-resnet50"] = () => new SimpleBaseline(ResNetDepth.ResNet50, 21),
    };

    public Command Create(CliContext context)
    {
        var arch = new Option<string>("--arch") { Description = "Architecture: torchvision classifiers resnet18..resnet152 (1000 classes) or simplebaseline-resnet18/50 (21 heatmaps).", Required = true };
        arch.AcceptOnlyFromAmong([.. Architectures.Keys]);
        var weights = new Option<FileInfo>("--weights") { Description = "A torch.save state dict (.pt/.pth) or a .safetensors file with the architecture's PyTorch names.", Required = true };
        var input = new Option<FileInfo>("--input") { Description = "Input .npy, float, N x 3 x H x W.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Output .npy (float32).", Required = true };
        var backend = new Option<string>("--backend") { Description = "Engine (torch).", DefaultValueFactory = _ => "torch" };
        backend.AcceptOnlyFromAmong("torch");
        var command = new Command("forward", "Run one forward pass (evaluation mode) of a built-in architecture with given weights on an .npy tensor.")
        {
            arch, weights, input, output, backend,
        };
        command.SetAction(parse => context.Guard(() => Run(
            context,
            parse.GetValue(arch)!,
            parse.GetValue(weights)!.FullName,
            parse.GetValue(input)!.FullName,
            parse.GetValue(output)!.FullName)));
        return command;
    }

    internal static int Run(CliContext context, string arch, string weightsPath, string inputPath, string outputPath)
    {
        NpyArray array = NpyArray.Load(inputPath);
        if (array.Shape.Count != 4 || array.Shape[1] != 3)
        {
            throw new InputShapeException(inputPath, "N x 3 x H x W", $"[{string.Join(", ", array.Shape)}]");
        }

        using Module model = Architectures[arch]();
        using (TensorDictionary state = weightsPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? SafeTensors.Load(weightsPath)
            : PyTorchCheckpoint.Load(weightsPath))
        {
            try
            {
                model.LoadStateDict(state);
            }
            catch (ArgumentException ex)
            {
                throw new ModelLoadException(weightsPath, $"the weights do not fit {arch}: {ex.Message}", ex);
            }
        }

        model.Eval();
        using var scope = TorchRuntime.NewDisposeScope();
        using var noGrad = TorchRuntime.NoGrad();
        NpyArray result = model.Forward(Tensor.FromNpy(array)).ToNpy();
        result.Save(outputPath);
        context.Out.WriteLine(CliContext.Invariant($"{arch}: [{string.Join(", ", array.Shape)}] -> [{string.Join(", ", result.Shape)}] written to {outputPath}"));
        return CliApp.Ok;
    }
}
