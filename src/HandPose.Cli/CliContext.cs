using System.Globalization;

namespace HandPose.Cli;

/// <summary>The tool's output streams and the one place that turns failures into exit codes and one-line reasons.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Runs a command body: expected failures become their whole message on stderr and exit code 1.</summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is HandPoseException or FormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
        {
            WriteError(ex.Message);
            return CliApp.Failure;
        }
    }

    /// <summary>
    /// Writes a message to stderr: the first line after <c>handpose: </c>, every further line (a list of paths, an
    /// engine's own report) indented by two spaces, so that nothing of a multi-line message is lost.
    /// </summary>
    public void WriteError(string message) => WriteError(Error, message);

    /// <inheritdoc cref="WriteError(string)"/>
    public static void WriteError(TextWriter error, string message)
    {
        string[] lines = message.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        error.WriteLine($"handpose: {lines[0].TrimEnd()}");
        foreach (string line in lines.Skip(1))
        {
            error.WriteLine(line.Length == 0 ? string.Empty : "  " + line.TrimEnd());
        }
    }

    /// <summary>A usage error found after parsing (e.g. an invalid combination of options).</summary>
    public int Usage(string message)
    {
        WriteError(message);
        Error.WriteLine("Run 'handpose --help' for usage.");
        return CliApp.UsageError;
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
