namespace HandPose.Cli;

/// <summary>
/// The output files of one command, written all or nothing: each is written to a temporary file beside its
/// destination (same folder, same extension, so encoders that go by the extension still work), and only
/// <see cref="Commit"/> moves them into place. A failure at any step leaves no new output behind; disposing
/// without committing deletes the temporary files.
/// </summary>
internal sealed class OutputFiles : IDisposable
{
    private readonly List<(string Temp, string Destination, string Label)> _staged = [];

    /// <summary>Writes a command's single output all or nothing: staged beside <paramref name="destination"/>, then moved into place.</summary>
    /// <param name="destination">The output path the user gave.</param>
    /// <param name="label">How the user named it, for messages (e.g. <c>--out</c>).</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    /// <exception cref="OutputFileException">The folder does not exist or the file could not be written or moved.</exception>
    public static void WriteOne(string destination, string label, Action<string> write)
    {
        using var outputs = new OutputFiles();
        outputs.Stage(destination, label, write);
        outputs.Commit();
    }

    /// <summary>Writes one output into a temporary file beside <paramref name="destination"/>.</summary>
    /// <param name="destination">The output path the user gave.</param>
    /// <param name="label">How the user named it, for messages (e.g. <c>--json</c>).</param>
    /// <param name="write">Writes the content to the path it is given.</param>
    /// <exception cref="OutputFileException">The folder does not exist or the file could not be written.</exception>
    public void Stage(string destination, string label, Action<string> write)
    {
        string full = Path.GetFullPath(destination);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder))
        {
            throw new OutputFileException(label, full, $"the folder {folder} does not exist.");
        }
        if (Directory.Exists(full))
        {
            throw new OutputFileException(label, full, "it is a folder; give a file name.");
        }
        string temp = Path.Combine(folder, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.partial{Path.GetExtension(full)}");
        _staged.Add((temp, full, label));
        try
        {
            write(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or HandPoseException or ArgumentException)
        {
            throw new OutputFileException(label, full, ex.Message, ex);
        }
    }

    /// <summary>Moves every staged file to its destination (replacing an existing file).</summary>
    /// <exception cref="OutputFileException">A file could not be moved into place.</exception>
    public void Commit()
    {
        foreach ((string temp, string destination, string label) in _staged)
        {
            try
            {
                File.Move(temp, destination, overwrite: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new OutputFileException(label, destination, ex.Message, ex);
            }
        }
        _staged.Clear();
    }

    /// <summary>Deletes the temporary files of an uncommitted set.</summary>
    public void Dispose()
    {
        foreach ((string temp, _, _) in _staged)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // best effort: the original error is the one to report
            }
        }
        _staged.Clear();
    }
}

/// <summary>An output file could not be written; the message names the option and the path.</summary>
internal sealed class OutputFileException(string label, string path, string reason, Exception? inner = null)
    : IOException($"could not write {label} {path}: {reason}", inner)
{
    public string Path { get; } = path;
}
