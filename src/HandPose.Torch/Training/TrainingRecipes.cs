using HandPose.Torch.Models;

namespace HandPose.Torch.Training;

/// <summary>The recipe of each trainable architecture, by architecture name.</summary>
public static class TrainingRecipes
{
    /// <summary>
    /// The official recipe of an architecture: <c>simplebaseline-*</c> → <see cref="SimpleBaselineRecipe"/>;
    /// <c>nsrm-ldm-g1</c>, <c>nsrm-ldm-g1_6</c>, <c>nsrm-lpm-g1</c>, <c>nsrm-lpm-g1_6</c> → <see cref="NsrmRecipe"/>.
    /// </summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>The recipe.</returns>
    /// <exception cref="ArgumentException">No recipe is known for it (the message lists the trainable names).</exception>
    public static TrainingRecipe For(TorchArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        string name = architecture.Name;
        if (name.StartsWith("simplebaseline-", StringComparison.Ordinal))
        {
            return new SimpleBaselineRecipe();
        }

        return name switch
        {
            "nsrm-ldm-g1" => new NsrmRecipe(NsrmStructure.Ldm, withG6: false),
            "nsrm-ldm-g1_6" => new NsrmRecipe(NsrmStructure.Ldm, withG6: true),
            "nsrm-lpm-g1" => new NsrmRecipe(NsrmStructure.Lpm, withG6: false),
            "nsrm-lpm-g1_6" => new NsrmRecipe(NsrmStructure.Lpm, withG6: true),
            _ => throw new ArgumentException($"No training recipe for '{name}'; trainable: simplebaseline-resnet18/50/101 and nsrm-ldm-g1, nsrm-ldm-g1_6, nsrm-lpm-g1, nsrm-lpm-g1_6 (once registered).", nameof(architecture)),
        };
    }
}
