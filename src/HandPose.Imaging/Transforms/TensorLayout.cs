namespace HandPose.Imaging;

/// <summary>Memory order of a 3-channel float image tensor (batch of one).</summary>
public enum TensorLayout
{
    /// <summary>[1, H, W, 3]: channels last (TFLite/MediaPipe models).</summary>
    Nhwc = 0,

    /// <summary>[1, 3, H, W]: channels first (PyTorch models).</summary>
    Nchw = 1,
}
