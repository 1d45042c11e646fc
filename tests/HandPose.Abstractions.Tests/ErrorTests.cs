namespace HandPose.Abstractions.Tests;

public sealed class ErrorTests
{
    [Test]
    public void BackendUnavailable_lists_every_path_and_the_install_hint()
    {
        var ex = new BackendUnavailableException("ONNX Runtime", ["/a/libonnxruntime.so.1: not found", "libonnxruntime.so.1: cannot open"], "Run scripts/setup.sh.");
        Assert.That(ex.Message, Does.Contain("/a/libonnxruntime.so.1: not found"));
        Assert.That(ex.Message, Does.Contain("cannot open"));
        Assert.That(ex.Message, Does.Contain("Run scripts/setup.sh."));
        Assert.That(ex, Is.InstanceOf<HandPoseException>());
    }

    [Test]
    public void Each_error_names_what_was_expected()
    {
        Assert.That(new InputShapeException("images", "float32 [1, 3, 224, 224]", "float32 [1, 224, 224, 3]").Message,
            Is.EqualTo("Input 'images': expected float32 [1, 3, 224, 224], got float32 [1, 224, 224, 3]."));
        Assert.That(new ModelLoadException("m.onnx", "truncated protobuf").Message, Does.Contain("m.onnx").And.Contain("truncated"));
        Assert.That(new ImageFormatException("PNG", "CRC mismatch in IDAT").Message, Is.EqualTo("PNG image: CRC mismatch in IDAT"));
        Assert.That(new EngineException("libtorch", 0, "shape mismatch").Message, Is.EqualTo("libtorch error: shape mismatch"));
        Assert.That(new EngineException("ONNX Runtime", 2, "bad arg").Message, Is.EqualTo("ONNX Runtime error 2: bad arg"));
    }

    [Test]
    public void All_library_errors_share_one_base_type()
    {
        Type[] errors = typeof(HandPoseException).Assembly.GetExportedTypes().Where(t => typeof(Exception).IsAssignableFrom(t)).ToArray();
        Assert.That(errors, Has.Length.GreaterThanOrEqualTo(6));
        Assert.That(errors, Is.All.Matches<Type>(t => typeof(HandPoseException).IsAssignableFrom(t)));
    }

    [Test]
    public void DataFormatException_names_its_source_and_keeps_the_reason()
    {
        var ex = new DataFormatException(".npy", "Truncated .npy header.").WithSource("/data/x.npy");
        Assert.That(ex.Message, Is.EqualTo("/data/x.npy: Truncated .npy header."));
        Assert.That(ex.Format, Is.EqualTo(".npy"));
        Assert.That(ex.InnerException, Is.TypeOf<DataFormatException>());
        Assert.That(ex, Is.InstanceOf<HandPoseException>());
    }
}
