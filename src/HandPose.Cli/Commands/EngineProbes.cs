namespace HandPose.Cli.Commands;

/// <summary>The native engines <c>handpose doctor</c> reports on. Each backend package contributes its probe here.</summary>
internal static class EngineProbes
{
    public static IReadOnlyList<Func<NativeEngineInfo>> All { get; } =
    [
        () => NotBuilt("libtorch", "HandPose.Torch"),
        () => HandPose.Onnx.Runtime.OnnxSession.ProbeRuntime(),
    ];

    private static NativeEngineInfo NotBuilt(string engine, string package) =>
        new(engine, false, null, null, [], $"not installed: the {package} backend is not part of this build yet.");
}
