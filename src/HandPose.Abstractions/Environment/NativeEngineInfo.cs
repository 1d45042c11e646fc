namespace HandPose;

/// <summary>What a backend found when it looked for its native engine (reported by <c>handpose doctor</c>).</summary>
/// <param name="Engine">The engine's name, e.g. "ONNX Runtime".</param>
/// <param name="IsAvailable">Whether the engine loaded.</param>
/// <param name="Version">The engine's version when loaded.</param>
/// <param name="LoadedFrom">The path it was loaded from.</param>
/// <param name="PathsTried">Every candidate tried, in order, with the reason each failed.</param>
/// <param name="Detail">Extra facts (devices, build flags) or the install hint when missing.</param>
public sealed record NativeEngineInfo(string Engine, bool IsAvailable, string? Version, string? LoadedFrom, IReadOnlyList<string> PathsTried, string? Detail);
