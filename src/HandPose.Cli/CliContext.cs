using System.Globalization;

namespace HandPose.Cli;

/// <summary>The tool's output streams and the one place that turns failures into exit codes and one-line reasons.</summary>
internal sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Runs a command body: expected failures become a one-line reason on stderr and exit code 1.</summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception ex) when (ex is HandPoseException or FormatException or IOException or UnauthorizedAccessException or ArgumentException or InvalidDataException)
        {
            Error.WriteLine($"handpose: {ex.Message.Split('\n')[0].TrimEnd()}");
            return CliApp.Failure;
        }
    }

    /// <summary>A usage error found after parsing (e.g. an invalid combination of options).</summary>
    public int Usage(string message)
    {
        Error.WriteLine($"handpose: {message}");
        Error.WriteLine("Run 'handpose --help' for usage.");
        return CliApp.UsageError;
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
