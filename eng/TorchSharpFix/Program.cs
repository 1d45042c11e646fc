// Usage: TorchSharpFix FOLDER...
// Marks GLIBCXX_3.4.32 weak in every libLibTorchSharp.so under the folders (see TorchSharpNativeFix), printing one
// line per copy. A no-op where the system's libstdc++ has that version. Exit code 1 when a copy cannot be patched.
using HandPose;
using HandPose.Torch;

int status = 0;
foreach (string library in TorchSharpNativeFix.FindLibraries(args))
{
    try
    {
        bool changed = TorchSharpNativeFix.Apply(library);
        Console.WriteLine($"{(changed ? "fixed" : TorchSharpNativeFix.Inspect(library).ToString().ToLowerInvariant())}: {library}");
    }
    catch (Exception ex) when (ex is ModelLoadException or IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"cannot fix {library}: {ex.Message}");
        status = 1;
    }
}

return status;
