using System.CommandLine;
using System.Runtime.InteropServices;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose doctor</c>: OS, .NET, SIMD width and every native engine with the paths tried.</summary>
internal sealed class DoctorCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var fix = new Option<bool>("--fix") { Description = "First apply the Debian 12 libstdc++ fix to TorchSharp's native library (this tool's copy and the NuGet cache's; see docs/native-loading.md)." };
        var command = new Command("doctor", "Report the OS, .NET, SIMD width and which native engines load (with every path tried).") { fix };
        command.SetAction(parse => context.Guard(() =>
        {
            if (parse.GetValue(fix))
            {
                FixTorchSharp(context.Out);
            }

            return Report(context.Out);
        }));
        return command;
    }

    /// <summary>Applies <see cref="HandPose.Torch.TorchSharpNativeFix"/> to every copy this tool can reach.</summary>
    internal static void FixTorchSharp(TextWriter o)
    {
        IReadOnlyList<string> libraries = HandPose.Torch.TorchSharpNativeFix.FindLibraries(HandPose.Torch.TorchSharpNativeFix.DefaultFolders());
        if (libraries.Count == 0)
        {
            o.WriteLine("TorchSharp fix: no libLibTorchSharp.so found");
        }

        foreach (string library in libraries)
        {
            bool changed = HandPose.Torch.TorchSharpNativeFix.Apply(library);
            o.WriteLine($"TorchSharp fix: {(changed ? "fixed" : HandPose.Torch.TorchSharpNativeFix.Inspect(library).ToString().ToLowerInvariant())}: {library}");
        }

        o.WriteLine();
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
