using HandPose.Structure;

namespace HandPose.Datasets.Training;

/// <summary>
/// One target a recipe trains against: a renderer (Gaussian heatmaps, LDM/LPM structure maps) whose map cell is
/// <paramref name="Stride"/> input pixels. Keypoints reach the renderer as map-cell indices: input coordinate u
/// (pixel centres at i + 0.5) becomes u / stride − 0.5, so a decoded peak at cell centre c + 0.5 maps back to
/// (c + 0.5) · stride.
/// </summary>
/// <param name="Renderer">The renderer (its map size must be the input size divided by the stride).</param>
/// <param name="Stride">Input pixels per map cell (Simple Baselines 4, CPM/NSRM 8).</param>
public sealed record TrainingTarget(StructureRenderer Renderer, int Stride);
