using System.Runtime.InteropServices;

namespace HandPose.Internal;

/// <summary>
/// Loads a native library from an ordered list of candidates and keeps a trace of every attempt, so that a failure
/// can name each path tried. Shared by the native backends (through InternalsVisibleTo).
/// </summary>
internal static class NativeLibraryProbe
{
    /// <summary>Tries each candidate in order.</summary>
    /// <param name="candidates">Absolute paths, or bare names resolved by the OS loader.</param>
    /// <param name="trace">Receives one line per attempt.</param>
    /// <param name="loadedFrom">The candidate that loaded.</param>
    /// <returns>The library handle, or zero.</returns>
    public static IntPtr TryLoad(IEnumerable<string> candidates, List<string> trace, out string? loadedFrom)
    {
        foreach (string candidate in candidates.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal))
        {
            bool isPath = candidate.Contains('/', StringComparison.Ordinal);
            if (isPath && !File.Exists(candidate))
            {
                trace.Add($"{candidate}: not found");
                continue;
            }

            try
            {
                IntPtr handle = NativeLibrary.Load(candidate);
                trace.Add($"{candidate}: loaded");
                loadedFrom = candidate;
                return handle;
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                trace.Add($"{candidate}: {ex.Message.Split('\n')[0].Trim()}");
            }
        }

        loadedFrom = null;
        return IntPtr.Zero;
    }

    /// <summary>The folders an app looks in first: the app folder and its <c>runtimes/&lt;rid&gt;/native</c>.</summary>
    /// <param name="fileName">The library's file name.</param>
    /// <returns>Candidate paths.</returns>
    public static IEnumerable<string> AppCandidates(string fileName)
    {
        string app = AppContext.BaseDirectory;
        yield return Path.Combine(app, fileName);
        yield return Path.Combine(app, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", fileName);
        yield return Path.Combine(app, "runtimes", $"linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}", "native", fileName);
    }
}
