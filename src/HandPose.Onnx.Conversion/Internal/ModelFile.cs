namespace HandPose.Onnx.Conversion.Internal;

/// <summary>Reads model files for the ONNX and TFLite loaders, with one error for every way reading can fail.</summary>
internal static class ModelFile
{
    /// <summary>The file's bytes.</summary>
    /// <exception cref="ModelLoadException">The file is missing or unreadable.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException(path, $"the file cannot be read ({e.Message}).", e);
        }
    }
}
