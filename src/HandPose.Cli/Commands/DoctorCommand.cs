using System.CommandLine;
using System.Runtime.InteropServices;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose doctor</c>: OS, .NET, SIMD width and every native engine with the paths tried.</summary>
internal sealed class DoctorCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var command = new Command("doctor", "Report the OS, .NET, SIMD width and which native engines load (with every path tried).");
        command.SetAction(_ => context.Guard(() => Report(context.Out)));
        return command;
    }

    internal static int Report(TextWriter o)
    {
        o.WriteLine($"handpose {CliApp.Version}");
        o.WriteLine($"OS:            {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        o.WriteLine($".NET:          {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        o.WriteLine($"Processors:    {Environment.ProcessorCount}");
        int simd = HandPoseEnvironment.SimdWidth;
        o.WriteLine($"SIMD width:    {(simd == 0 ? "scalar" : simd.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        o.WriteLine($"Setup cache:   {HandPoseEnvironment.CacheDirectory}");
        foreach (Func<NativeEngineInfo> probe in EngineProbes.All)
        {
            NativeEngineInfo info = probe();
            o.WriteLine();
            o.WriteLine(info.IsAvailable
                ? $"{info.Engine}: available, version {info.Version ?? "unknown"}, loaded from {info.LoadedFrom}"
                : $"{info.Engine}: not installed");
            foreach (string path in info.PathsTried)
            {
                o.WriteLine($"  tried {path}");
            }

            if (!string.IsNullOrEmpty(info.Detail))
            {
                o.WriteLine($"  {info.Detail}");
            }
        }

        return CliApp.Ok;
    }
}
