namespace HandPose.Fuzz;

/// <summary>One format: its seed files (Seeds/NAME) and the public entry point that parses it.</summary>
/// <param name="Name">The format's name, also its folder under Seeds/ and Regressions/.</param>
/// <param name="Parse">Parses one input; returning normally means the input was accepted.</param>
/// <param name="Weight">Share of the time budget relative to the other targets (slow parsers get more).</param>
internal sealed record FuzzTarget(string Name, Action<byte[]> Parse, double Weight = 1);
