using System.Text.Json;
using System.Text.Json.Serialization;
using HandPose.Datasets.Training;
using HandPose.Torch.Models;
using HandPose.Torch.Serialization;
using HandPose.Torch.Training;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose eval --arch --weights --data</c>: a trained network on held-out samples, metrics as JSON.</summary>
internal static class ModelEvaluation
{
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static int Run(CliContext context, string arch, string weights, string data, int inputSize, long seed, int batch)
    {
        if (batch < 1)
        {
            throw new FormatException($"--batch must be at least 1; got {batch}.");
        }

        TorchArchitecture architecture = TorchArchitectures.Get(arch);
        TrainingRecipe recipe = TrainingRecipes.For(architecture);
        TrainingSource source = TrainingSource.Parse(data, inputSize, seed);
        using TorchSharp.torch.nn.Module model = architecture.Create();
        StateDicts.Load(model, weights);
        var loader = new HandBatchLoader(source, new SamplePipeline(inputSize, recipe.Targets(inputSize)), batch, seed, training: false);
        ValidationMetrics m = Trainer.Validate(model, recipe, loader);
        var result = new Dictionary<string, object>
        {
            ["arch"] = arch,
            ["weights"] = weights,
            ["data"] = source.Description,
            ["samples"] = m.Samples,
            ["input_size"] = inputSize,
            ["pck"] = m.Pck,
            ["pck_threshold"] = 0.2,
            ["auc"] = m.Auc,
            ["epe"] = m.Epe,
        };
        context.Out.WriteLine(JsonSerializer.Serialize(result, Json));
        return CliApp.Ok;
    }
}
