namespace HandPose;

/// <summary>A native engine (ONNX Runtime, libtorch) could not be loaded.</summary>
public sealed class BackendUnavailableException : HandPoseException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="backend">The engine's name.</param>
    /// <param name="pathsTried">Every path or name the loader tried, with the reason each failed.</param>
    /// <param name="installHint">How to install the engine.</param>
    /// <param name="innerException">The last load error, if any.</param>
    public BackendUnavailableException(string backend, IReadOnlyList<string> pathsTried, string installHint, Exception? innerException = null)
        : base(BuildMessage(backend, pathsTried, installHint), innerException)
    {
        Backend = backend;
        PathsTried = pathsTried;
        InstallHint = installHint;
    }

    /// <summary>The engine's name.</summary>
    public string Backend { get; }

    /// <summary>Every path or name the loader tried.</summary>
    public IReadOnlyList<string> PathsTried { get; }

    /// <summary>How to install the engine.</summary>
    public string InstallHint { get; }

    private static string BuildMessage(string backend, IReadOnlyList<string> pathsTried, string installHint)
    {
        ArgumentNullException.ThrowIfNull(pathsTried);
        string tried = pathsTried.Count == 0 ? " (none)" : string.Concat(pathsTried.Select(p => $"{System.Environment.NewLine}  - {p}"));
        return $"The {backend} native library could not be loaded. Paths tried:{tried}{System.Environment.NewLine}{installHint}";
    }
}
