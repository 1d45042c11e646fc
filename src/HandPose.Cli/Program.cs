namespace HandPose.Cli;

/// <summary>The entry point of the <c>handpose</c> tool.</summary>
public static class Program
{
    /// <summary>Runs the tool.</summary>
    /// <param name="args">Command-line arguments.</param>
    /// <returns>0 on success, 1 on bad input or failure, 2 on a usage error.</returns>
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error);
}
