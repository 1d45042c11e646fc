using System.Diagnostics;
using System.Threading.Channels;

namespace HandPose.Datasets.Training;

/// <summary>
/// Feeds batches of a <see cref="TrainingSource"/> through a <see cref="SamplePipeline"/> on worker threads, ahead of
/// the consumer: worker w builds batches w, w + W, w + 2W, … of the epoch and queues them in its own bounded channel;
/// the consumer reads them back in order. The epoch's sample order (a shuffle seeded by (seed, epoch)) and every
/// sample's augmentation (seeded by (seed, epoch, index)) do not depend on the thread count or timing, so a run that
/// resumes at epoch e, batch b sees exactly the batches an uninterrupted run sees.
/// </summary>
public sealed class HandBatchLoader
{
    private readonly TrainingSource _source;
    private readonly SamplePipeline _pipeline;
    private long _waitTicks;

    /// <summary>Creates a loader.</summary>
    /// <param name="source">The samples.</param>
    /// <param name="pipeline">Crop, augmentation and targets.</param>
    /// <param name="batchSize">Samples per batch (≥ 1).</param>
    /// <param name="seed">Seed of the order and the augmentation.</param>
    /// <param name="training">True: shuffle, augment and drop the last incomplete batch; false: file order, centred crops, every sample.</param>
    /// <param name="workers">Worker threads (≥ 1).</param>
    /// <param name="prefetch">Batches queued per worker (≥ 1).</param>
    public HandBatchLoader(TrainingSource source, SamplePipeline pipeline, int batchSize, long seed, bool training, int workers = 2, int prefetch = 2)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(prefetch, 1);
        if (training && source.Count < batchSize)
        {
            throw new ArgumentException($"{source.Description} has {source.Count} samples, fewer than one batch of {batchSize}.", nameof(batchSize));
        }

        _source = source;
        _pipeline = pipeline;
        BatchSize = batchSize;
        Seed = seed;
        Training = training;
        Workers = workers;
        Prefetch = prefetch;
    }

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The seed.</summary>
    public long Seed { get; }

    /// <summary>Whether batches are shuffled, augmented and complete.</summary>
    public bool Training { get; }

    /// <summary>Worker threads.</summary>
    public int Workers { get; }

    /// <summary>Batches queued per worker.</summary>
    public int Prefetch { get; }

    /// <summary>The source.</summary>
    public TrainingSource Source => _source;

    /// <summary>The pipeline.</summary>
    public SamplePipeline Pipeline => _pipeline;

    /// <summary>Batches per epoch.</summary>
    public int BatchesPerEpoch => Training ? _source.Count / BatchSize : (_source.Count + BatchSize - 1) / BatchSize;

    /// <summary>Total time the consumer has waited for a batch that was not ready yet.</summary>
    public TimeSpan WaitTime => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>The sample indices of an epoch, in the order batches take them.</summary>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <returns>A permutation of 0..Count−1 (the identity when not training).</returns>
    public int[] Order(int epoch)
    {
        int[] order = Enumerable.Range(0, _source.Count).ToArray();
        if (Training)
        {
            var random = new SampleRandom(Seed, epoch, -1);
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        return order;
    }

    /// <summary>Builds one batch on the calling thread (benchmarks, tests).</summary>
    /// <param name="epoch">The epoch.</param>
    /// <param name="batch">The batch number within the epoch.</param>
    /// <returns>The batch.</returns>
    public TrainingBatch Build(int epoch, int batch) => Build(Order(epoch), epoch, batch);

    /// <summary>The batches of an epoch, starting at batch <paramref name="firstBatch"/>, built ahead on the worker threads.</summary>
    /// <param name="epoch">The epoch (0-based).</param>
    /// <param name="firstBatch">The first batch to return (to resume inside an epoch).</param>
    /// <param name="cancellationToken">Stops the workers.</param>
    /// <returns>The batches in order.</returns>
    public IEnumerable<TrainingBatch> Epoch(int epoch, int firstBatch = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(firstBatch);
        return Run(epoch, firstBatch, cancellationToken);
    }

    private IEnumerable<TrainingBatch> Run(int epoch, int firstBatch, CancellationToken cancellationToken)
    {
        int total = BatchesPerEpoch;
        if (firstBatch >= total)
        {
            yield break;
        }

        int[] order = Order(epoch);
        int workers = Math.Min(Workers, total - firstBatch);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channels = new Channel<TrainingBatch>[workers];
        var threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            var channel = Channel.CreateBounded<TrainingBatch>(new BoundedChannelOptions(Prefetch) { SingleReader = true, SingleWriter = true });
            channels[w] = channel;
            int worker = w;
            threads[w] = new Thread(() => Work(order, epoch, firstBatch + worker, workers, total, channel.Writer, stop.Token))
            {
                IsBackground = true,
                Name = $"HandPose loader {w}",
            };
            threads[w].Start();
        }

        try
        {
            for (int b = firstBatch; b < total; b++)
            {
                ChannelReader<TrainingBatch> reader = channels[(b - firstBatch) % workers].Reader;
                if (!reader.TryRead(out TrainingBatch? batch))
                {
                    long start = Stopwatch.GetTimestamp();
                    batch = Read(reader, cancellationToken);
                    Interlocked.Add(ref _waitTicks, Stopwatch.GetElapsedTime(start).Ticks);
                }

                yield return batch;
            }
        }
        finally
        {
            stop.Cancel();
            foreach (Channel<TrainingBatch> c in channels)
            {
                while (c.Reader.TryRead(out _))
                {
                }
            }

            foreach (Thread t in threads)
            {
                t.Join();
            }
        }
    }

    private static TrainingBatch Read(ChannelReader<TrainingBatch> reader, CancellationToken cancellationToken)
    {
        try
        {
            return reader.ReadAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    private void Work(int[] order, int epoch, int first, int step, int total, ChannelWriter<TrainingBatch> writer, CancellationToken token)
    {
        try
        {
            for (int b = first; b < total && !token.IsCancellationRequested; b += step)
            {
                TrainingBatch batch = Build(order, epoch, b);
                writer.WriteAsync(batch, token).AsTask().GetAwaiter().GetResult();
            }

            writer.TryComplete();
        }
        catch (OperationCanceledException)
        {
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }
    }

    private TrainingBatch Build(int[] order, int epoch, int batch)
    {
        int start = batch * BatchSize;
        int count = Math.Min(BatchSize, order.Length - start);
        TrainingBatch result = _pipeline.NewBatch(count);
        for (int i = 0; i < count; i++)
        {
            int index = order[start + i];
            var random = new SampleRandom(Seed, epoch, index);
            SourceImage image = _source.Load(index);
            _pipeline.Prepare(image, index, Training, ref random, result, i);
        }

        return result;
    }
}
