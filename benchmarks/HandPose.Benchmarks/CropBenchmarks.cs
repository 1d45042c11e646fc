using BenchmarkDotNet.Attributes;
using HandPose.Imaging;

namespace HandPose.Benchmarks;

/// <summary>MediaPipe's 224x224 rotated hand crop (replicate border) from a 1920x1280 photo; single thread.</summary>
[MemoryDiagnoser, MinColumn, MedianColumn]
public class CropBenchmarks
{
    private static readonly RotatedRect HandRoi = new(1210.4f, 655.3f, 700f, 700f, 0.61f);
    private ImageBuffer _rgb = null!;
    private ImageBuffer _dst = null!;
    private float[] _tensor = [];

    [GlobalSetup]
    public void Setup()
    {
        _rgb = ImagingBenchmarkData.Photo(1920, 1280, PixelFormat.Rgb24);
        _dst = new ImageBuffer(224, 224, PixelFormat.Rgb24);
        _tensor = new float[224 * 224 * 3];
    }

    /// <summary>The acceptance case: rotated crop to 224x224 RGB bytes.</summary>
    [Benchmark]
    public void RotatedCrop_224_rgb() => ImageTransforms.CropRotated(_rgb.AsView(), HandRoi, _dst, BorderMode.Replicate);

    /// <summary>What the hand pipeline runs: the same crop straight into the [1,224,224,3] float input.</summary>
    [Benchmark]
    public void RotatedCrop_224_to_tensor() => ImageTransforms.CropRotatedToTensor(_rgb.AsView(), HandRoi, 224, 224, BorderMode.Replicate, _tensor);
}
