namespace HandPose.Cli.Commands;

/// <summary>The native engines <c>handpose doctor</c> reports on. Each backend package contributes its probe here.</summary>
internal static class EngineProbes
{
    public static IReadOnlyList<Func<NativeEngineInfo>> All { get; } =
    [
        HandPose.Torch.TorchRuntime.Probe,
        HandPose.Onnx.Runtime.OnnxSession.ProbeRuntime,
    ];
}
