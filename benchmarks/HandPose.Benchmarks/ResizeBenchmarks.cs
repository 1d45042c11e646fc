using BenchmarkDotNet.Attributes;
using HandPose.Imaging;

namespace HandPose.Benchmarks;

/// <summary>Bilinear (2-tap, half-pixel) resize of a 1920x1280 photo to model input sizes; single thread.</summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class ResizeBenchmarks
{
    private ImageBuffer _rgb = null!;
    private ImageBuffer _rgba = null!;
    private ImageBuffer _dst = null!;
    private float[] _tensor = [];

    [GlobalSetup]
    public void Setup()
    {
        _rgb = ImagingBenchmarkData.Photo(1920, 1280, PixelFormat.Rgb24);
        _rgba = ImagingBenchmarkData.Photo(1920, 1280, PixelFormat.Rgba32);
        _dst = new ImageBuffer(224, 224, PixelFormat.Rgb24);
        _tensor = new float[192 * 192 * 3];
    }

    /// <summary>The acceptance case: 1920x1280 RGB to 224x224 RGB.</summary>
    [Benchmark]
    public void Resize_1920x1280_to_224_rgb() => ImageTransforms.ResizeBilinear(_rgb.AsView(), _dst);

    /// <summary>MediaPipe's palm input: letterbox an RGBA photo (like thumbs_up.png) into a 192x192 float tensor.</summary>
    [Benchmark]
    public LetterboxResult Letterbox_1920x1280_rgba_to_192_tensor() => ImageTransforms.LetterboxToTensor(_rgba.AsView(), 192, 192, _tensor);
}
