using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using System.Reflection;

namespace HandPose.Cli;

/// <summary>Builds the command tree from every <see cref="ICliCommand"/> in this assembly and runs it.</summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static RootCommand BuildRoot(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("HandPose: 2D and 3D hand pose estimation for .NET.");
        var context = new CliContext(stdout, stderr);
        IEnumerable<ICliCommand> commands = typeof(CliApp).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
            .OrderBy(c => c.GetType().Name, StringComparer.Ordinal);
        foreach (ICliCommand command in commands)
        {
            root.Subcommands.Add(command.Create(context));
        }

        // The default version action reports the entry assembly (a test host, when hosted); report ours.
        VersionOption version = root.Options.OfType<VersionOption>().Single();
        version.Action = new PrintVersionAction(stdout);
        return root;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (CheckEnvironment() is { } problem)
        {
            CliContext.WriteError(stderr, problem);
            return UsageError;
        }

        RootCommand root = BuildRoot(stdout, stderr);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                CliContext.WriteError(stderr, error.Message);
            }

            stderr.WriteLine("Run 'handpose --help' for usage.");
            return UsageError;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>
    /// The environment overrides the tool honours, checked before anything runs: a value that is set but invalid is a
    /// usage error naming the variable (the library alone would fall back to its default without a word).
    /// </summary>
    internal static string? CheckEnvironment()
    {
        foreach (string variable in new[] { HandPoseLimits.MaxImagePixelsVariable, HandPoseLimits.MaxTensorElementsVariable })
        {
            string? text = System.Environment.GetEnvironmentVariable(variable);
            if (!string.IsNullOrEmpty(text)
                && !(long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value is >= 1 and <= HandPoseLimits.Ceiling))
            {
                return $"the environment variable {variable} is '{text}'; it must be a whole number from 1 to {HandPoseLimits.Ceiling}. Fix it or unset it.";
            }
        }
        return null;
    }

    private sealed class PrintVersionAction(TextWriter stdout) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            stdout.WriteLine(Version);
            return Ok;
        }
    }

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
