using System.CommandLine;

namespace HandPose.Cli;

/// <summary>One top-level command of the tool. Implementations are found by reflection; add a class, not a line elsewhere.</summary>
internal interface ICliCommand
{
    Command Create(CliContext context);
}
