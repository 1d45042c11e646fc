namespace HandPose.Onnx.Runtime;

/// <summary>
/// Whether ONNX Runtime's worker threads busy-wait ("spin") for work instead of sleeping. Spinning saves the wake-up
/// latency between the parallel parts of a run, but a spinning thread occupies a core: when two sessions run one after
/// the other (a detector, then a landmark model) the first one's spinning workers slow the second one down, and on a
/// machine that is busy with other processes spinning threads take time from threads that have work.
/// </summary>
public enum OnnxThreadSpinning
{
    /// <summary>ONNX Runtime's default: workers spin while a run is in progress and keep spinning for a while after it.</summary>
    Always = 0,

    /// <summary>Workers spin during a run and stop when it returns (<c>session.force_spinning_stop</c>): the fast choice
    /// for several sessions run in turn on an otherwise idle machine.</summary>
    DuringRun = 1,

    /// <summary>Workers never spin; they sleep and are woken for each parallel part
    /// (<c>session.intra_op.allow_spinning = 0</c>): slower on an idle machine, but degrades gracefully when the cores are shared.</summary>
    Never = 2,
}
