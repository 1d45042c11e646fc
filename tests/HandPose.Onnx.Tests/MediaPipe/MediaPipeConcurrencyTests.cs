using System.Collections.Concurrent;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;

namespace HandPose.Onnx.Tests.MediaPipe;

/// <summary>
/// One estimator shared by many threads: image mode gives exactly the sequential results; video mode is per stream and
/// refuses a second thread with <see cref="ConcurrentUseException"/>.
/// </summary>
[NonParallelizable]
public sealed class MediaPipeConcurrencyTests
{
    private const int Threads = 8;
    private const int CallsPerThread = 50;

    [Test]
    public void Image_mode_shared_by_8_threads_returns_bit_identical_results_to_sequential_calls()
    {
        // Every reference photo (1 or 2 hands, different sizes); 2 intra-op threads so that ORT's own pool is shared too.
        ImageBuffer[] photos = ReferencePhoto.Names().Select(n => ReferencePhoto.Load(n).LoadImage()).ToArray();
        using MediaPipeHandEstimator estimator = MediaPipeTestModels.Create(MediaPipeHandModel.Full, threads: 2);
        HandPoseResult[] sequential = photos.Select(p => estimator.Estimate(p.AsView())).ToArray();
        Assert.That(sequential.Sum(r => r.Hands.Count), Is.GreaterThanOrEqualTo(photos.Length), "every photo shows a hand");

        var failures = new ConcurrentQueue<string>();
        using var start = new Barrier(Threads);
        var workers = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int thread = t;
            workers[t] = new Thread(() =>
            {
                start.SignalAndWait();
                for (int call = 0; call < CallsPerThread; call++)
                {
                    int photo = ((thread * 7) + call) % photos.Length; // threads work on different photos at the same time
                    try
                    {
                        string? diff = Difference(sequential[photo], estimator.Estimate(photos[photo].AsView()));
                        if (diff is not null)
                        {
                            failures.Enqueue($"thread {thread} call {call} photo {photo}: {diff}");
                        }
                    }
                    catch (Exception e)
                    {
                        failures.Enqueue($"thread {thread} call {call} photo {photo}: {e.GetType().Name}: {e.Message}");
                    }
                }
            });
            workers[t].Start();
        }
        foreach (Thread w in workers)
        {
            w.Join();
        }

        Assert.That(failures, Is.Empty, $"{failures.Count} of {Threads * CallsPerThread} concurrent calls differ from the sequential result");
        Assert.That(estimator.PalmDetectionRuns, Is.EqualTo(photos.Length + (Threads * CallsPerThread)), "every call counted once");
    }

    [Test]
    public void Video_mode_from_a_second_thread_during_a_frame_throws_ConcurrentUseException()
    {
        var models = new BlockingModels();
        using var pipeline = new HandPipeline(models, new MediaPipeHandEstimatorOptions());
        var frame = new ImageBuffer(64, 48, PixelFormat.Rgb24);
        Task first = Task.Run(() => pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromSeconds(1), default));
        Assert.That(models.Entered.Wait(TimeSpan.FromSeconds(30)), Is.True, "the first frame reached the palm model");

        var e = Assert.Throws<ConcurrentUseException>(() => pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromSeconds(2), default));
        Assert.That(e!.Message, Does.Contain("one estimator per stream").And.Contain("image mode"));
        Assert.Throws<ConcurrentUseException>(pipeline.Reset);
        // Image mode may run meanwhile (its own buffers, no tracking state).
        Assert.That(pipeline.EstimateImage(frame.AsView(), default).Hands, Is.Empty);

        models.Release.Set();
        first.Wait(TimeSpan.FromSeconds(30));
        Assert.That(first.IsCompletedSuccessfully, Is.True);
        // The stream goes on normally afterwards: the guard was released, and the rejected frame changed nothing.
        Assert.DoesNotThrow(() => pipeline.EstimateFrame(frame.AsView(), TimeSpan.FromSeconds(2), default));
        Assert.DoesNotThrow(pipeline.Reset);
    }

    [Test]
    public void Video_mode_on_the_real_estimator_from_two_threads_is_detected()
    {
        using MediaPipeHandEstimator estimator = MediaPipeTestModels.Create(MediaPipeHandModel.Lite);
        ImageBuffer photo = ReferencePhoto.Load("two_hands_tfjs").LoadImage();
        var errors = new ConcurrentQueue<Exception>();
        long tick = 0;
        // Two threads feed one stream until one of them sees the other inside a frame (bounded: 200 frames each).
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, _ =>
        {
            for (int i = 0; i < 200 && errors.IsEmpty; i++)
            {
                try
                {
                    estimator.Estimate(photo.AsView(), TimeSpan.FromMilliseconds(Interlocked.Increment(ref tick)));
                }
                catch (ConcurrentUseException e)
                {
                    errors.Enqueue(e);
                }
                catch (ArgumentException)
                {
                    // the other thread's later timestamp landed first: also misuse, not what this test looks for
                }
            }
        });
        Assert.That(errors, Is.Not.Empty, "two threads in one video stream were never detected");
        Assert.That(errors.First().Message, Does.StartWith("MediaPipeHandEstimator.Estimate(frame, timestamp)"));
    }

    /// <summary>Null if equal bit for bit, else the first difference.</summary>
    private static string? Difference(HandPoseResult expected, HandPoseResult actual)
    {
        if (expected.Hands.Count != actual.Hands.Count)
        {
            return $"{actual.Hands.Count} hands, expected {expected.Hands.Count}";
        }
        for (int h = 0; h < expected.Hands.Count; h++)
        {
            Hand e = expected.Hands[h], a = actual.Hands[h];
            if (e.Handedness != a.Handedness || BitConverter.SingleToInt32Bits(e.HandednessScore) != BitConverter.SingleToInt32Bits(a.HandednessScore) || BitConverter.SingleToInt32Bits(e.Score) != BitConverter.SingleToInt32Bits(a.Score))
            {
                return $"hand {h}: {a.Handedness} {a.HandednessScore} {a.Score}, expected {e.Handedness} {e.HandednessScore} {e.Score}";
            }
            for (int k = 0; k < e.Keypoints.Count; k++)
            {
                if (!SameBits(e.Keypoints[k], a.Keypoints[k]) || !SameBits(e.WorldKeypoints![k], a.WorldKeypoints![k]))
                {
                    return $"hand {h} keypoint {k}: {a.Keypoints[k]}, expected {e.Keypoints[k]}";
                }
            }
        }
        return null;
    }

    private static bool SameBits(Keypoint3D a, Keypoint3D b) =>
        BitConverter.SingleToInt32Bits(a.X) == BitConverter.SingleToInt32Bits(b.X)
        && BitConverter.SingleToInt32Bits(a.Y) == BitConverter.SingleToInt32Bits(b.Y)
        && BitConverter.SingleToInt32Bits(a.Z) == BitConverter.SingleToInt32Bits(b.Z)
        && BitConverter.SingleToInt32Bits(a.Confidence) == BitConverter.SingleToInt32Bits(b.Confidence);

    /// <summary>Networks that find nothing; the first palm run blocks until released (to hold a frame in progress).</summary>
    private sealed class BlockingModels : IHandModels
    {
        private int _calls;

        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public TensorLayout PalmLayout => TensorLayout.Nhwc;

        public TensorLayout LandmarkLayout => TensorLayout.Nhwc;

        public void DetectPalms(HandBuffers buffers)
        {
            Array.Fill(buffers.Logits, -20f);
            if (Interlocked.Increment(ref _calls) == 1)
            {
                Entered.Set();
                Release.Wait(TimeSpan.FromSeconds(30));
            }
        }

        public void Landmarks(in NormalizedRect roi, HandBuffers buffers) => throw new AssertionException("no palm, no landmark run");

        public void Dispose()
        {
            Entered.Dispose();
            Release.Dispose();
        }
    }
}
