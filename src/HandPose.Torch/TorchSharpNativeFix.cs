using HandPose.Torch.Internal;

namespace HandPose.Torch;

/// <summary>Whether TorchSharp's native library needs, has, or can do without the Debian 12 libstdc++ fix.</summary>
public enum TorchSharpFixState
{
    /// <summary>The system's libstdc++ defines <c>GLIBCXX_3.4.32</c>, or the library does not ask for it: nothing to do.</summary>
    NotNeeded,

    /// <summary>The library's reference to <c>GLIBCXX_3.4.32</c> is weak: it loads with an older libstdc++.</summary>
    Applied,

    /// <summary>The library requires <c>GLIBCXX_3.4.32</c>, which the system's libstdc++ lacks: it will not load until fixed.</summary>
    Needed,
}

/// <summary>
/// The Debian 12 fix for TorchSharp's <c>libLibTorchSharp.so</c>. That library lists <c>GLIBCXX_3.4.32</c> (GCC 13's
/// libstdc++) among its needed symbol versions for a symbol it never calls; Debian 12 ships GCC 12's libstdc++
/// (up to <c>GLIBCXX_3.4.30</c>), so the dynamic loader refuses the library. Setting VER_FLG_WEAK on that one
/// needed-version entry (in <c>.gnu.version_r</c>) turns the refusal into nothing at all; the file is otherwise
/// unchanged. Idempotent, and a no-op on systems whose libstdc++ has the version. See docs/native-loading.md.
/// </summary>
public static class TorchSharpNativeFix
{
    /// <summary>The symbol version TorchSharp's native library asks for and Debian 12 lacks.</summary>
    public const string MissingVersion = "GLIBCXX_3.4.32";

    /// <summary>The file name of TorchSharp's native library on Linux.</summary>
    public const string LibraryFileName = "libLibTorchSharp.so";

    private static readonly string[] LibStdCxxCandidates =
    [
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    private static readonly Lazy<bool> SystemHasVersion = new(() => LibStdCxxHasVersion(SystemLibStdCxx));

    /// <summary>The libstdc++ the dynamic loader finds on this system (first match of the usual paths), or null.</summary>
    public static string? SystemLibStdCxx { get; } = LibStdCxxCandidates.FirstOrDefault(File.Exists);

    /// <summary>Whether the system's libstdc++ defines <see cref="MissingVersion"/> (then no library needs the fix).</summary>
    public static bool SystemHasMissingVersion => SystemHasVersion.Value;

    /// <summary>Reports the state of one copy of <c>libLibTorchSharp.so</c>.</summary>
    /// <param name="libraryPath">The library file.</param>
    /// <exception cref="ModelLoadException">The file is missing or not a 64-bit ELF library.</exception>
    public static TorchSharpFixState Inspect(string libraryPath)
    {
        var needed = ElfVersionTable.Read(libraryPath).Needed.Where(v => v.Name == MissingVersion).ToList();
        if (needed.Count == 0 || SystemHasMissingVersion)
        {
            return TorchSharpFixState.NotNeeded;
        }

        return needed.All(v => v.IsWeak) ? TorchSharpFixState.Applied : TorchSharpFixState.Needed;
    }

    /// <summary>
    /// Marks the library's <see cref="MissingVersion"/> reference weak when this system needs it. Returns true when the
    /// file was changed; false when it was already fixed, does not need the fix, or the system's libstdc++ is new enough.
    /// </summary>
    /// <param name="libraryPath">The library file (it must be writable).</param>
    /// <exception cref="ModelLoadException">The file is missing or not a 64-bit ELF library.</exception>
    public static bool Apply(string libraryPath)
    {
        if (SystemHasMissingVersion)
        {
            return false;
        }

        return ElfVersionTable.Read(libraryPath).MakeWeak(MissingVersion) > 0;
    }

    /// <summary>
    /// Every <c>libLibTorchSharp.so</c> under the given folders (recursively; missing folders are skipped), e.g. an
    /// application's output folder or the NuGet cache's <c>torchsharp</c> folder.
    /// </summary>
    /// <param name="folders">The folders to search.</param>
    public static IReadOnlyList<string> FindLibraries(IEnumerable<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return folders.Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, LibraryFileName, new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The folders where an application's copies live: its own folder and the NuGet cache's TorchSharp packages
    /// (<c>NUGET_PACKAGES</c> or <c>~/.nuget/packages</c>), whose copy every build copies from.
    /// </summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        string nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return [AppContext.BaseDirectory, Path.Combine(nuget, "torchsharp")];
    }

    internal static bool LibStdCxxHasVersion(string? path)
    {
        if (path is null)
        {
            return false;
        }

        try
        {
            return ElfVersionTable.Read(path).Defined.Contains(MissingVersion);
        }
        catch (ModelLoadException)
        {
            return false;
        }
    }
}
