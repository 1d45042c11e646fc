namespace HandPose.Torch.Training;

/// <summary>Validation metrics on held-out samples, in input pixels.</summary>
/// <param name="Pck">PCK@0.2 normalised by each sample's keypoint-box longer side (MMPose bbox PCK).</param>
/// <param name="Auc">MMPose AUC: mean PCK at absolute thresholds 0..30 px in 20 steps.</param>
/// <param name="Epe">Mean end-point error in pixels.</param>
/// <param name="Samples">Samples evaluated.</param>
public sealed record ValidationMetrics(double Pck, double Auc, double Epe, int Samples);

/// <summary>One finished epoch (a line of metrics.jsonl).</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training loss of the epoch's steps.</param>
/// <param name="Pck">Validation PCK@0.2 (NaN without validation data).</param>
/// <param name="Auc">Validation AUC.</param>
/// <param name="Epe">Validation EPE in pixels.</param>
/// <param name="Seconds">Wall time of the epoch (training and validation).</param>
/// <param name="SamplesPerSecond">Training samples per second.</param>
/// <param name="DataWait">Fraction of the training time spent waiting for the loader.</param>
/// <param name="LearningRate">The learning rate the epoch trained with.</param>
public sealed record EpochMetrics(int Epoch, double Loss, double Pck, double Auc, double Epe, double Seconds, double SamplesPerSecond, double DataWait, double LearningRate);

/// <summary>Progress within an epoch, reported after every step.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Step">Steps done in this epoch.</param>
/// <param name="Steps">Steps per epoch.</param>
/// <param name="Loss">Mean loss of this epoch so far.</param>
/// <param name="SamplesPerSecond">Training throughput of this epoch so far.</param>
/// <param name="DataWait">Fraction of this epoch's time spent waiting for data.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int Steps, double Loss, double SamplesPerSecond, double DataWait);

/// <summary>The outcome of <see cref="Trainer.Run"/>.</summary>
/// <param name="History">Every epoch's metrics, including those of earlier runs this one resumed.</param>
/// <param name="BestPck">The best validation PCK@0.2 (the one best.pt holds).</param>
/// <param name="Interrupted">True when cancelled; last.ckpt then holds the position to resume from.</param>
public sealed record TrainingResult(IReadOnlyList<EpochMetrics> History, double BestPck, bool Interrupted);
