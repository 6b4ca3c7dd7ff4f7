using System.Threading.Channels;
using CdsService.Api.Logging;
using Microsoft.Extensions.Options;

namespace CdsService.Api.Feedback;

/// <summary>
/// Writes the issued-card map (card uuid → type) off the hook call's path: a hook answer must not wait on, or fail
/// because of, governance bookkeeping. Cards queue in a bounded channel and are written in batches as fast as the store
/// takes them; when the queue is full, mappings are dropped and counted (their feedback then counts as an unknown card
/// type), never the clinical answer. On shutdown the queue is drained within the host's shutdown timeout.
/// </summary>
public sealed class IssuedCardWriter : BackgroundService
{
    private const int MaxBatch = 500;

    private readonly Channel<Work> queue;
    private readonly IFeedbackStore store;
    private readonly ILogger<IssuedCardWriter> logger;
    private long dropped;

    public IssuedCardWriter(IFeedbackStore store, IOptions<FeedbackStoreOptions> options, ILogger<IssuedCardWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.logger = logger;
        queue = Channel.CreateBounded<Work>(
            new BoundedChannelOptions(options.Value.IssuedCardQueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
            },
            _ => Interlocked.Increment(ref dropped));
    }

    /// <summary>Queues cards for the map; never blocks and never throws.</summary>
    public void Enqueue(IEnumerable<IssuedCard> cards)
    {
        ArgumentNullException.ThrowIfNull(cards);
        foreach (var card in cards)
        {
            queue.Writer.TryWrite(new Work(card, null));
        }
    }

    /// <summary>Completes when every card queued before the call has been written (or given up on).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // A barrier waits for room rather than being dropped: a flush that silently did nothing would lie.
        await queue.Writer.WriteAsync(new Work(null, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            // The loop ends once the completed queue is drained; the host's shutdown timeout bounds the wait.
            await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<IssuedCard>(MaxBatch);
        var barriers = new List<TaskCompletionSource>();

        // Not bound to stoppingToken: StopAsync completes the queue, and what was queued is still written.
        while (await queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var work))
            {
                if (work.Card is { } card)
                {
                    batch.Add(card);
                }
                else
                {
                    barriers.Add(work.Barrier!);
                }
            }

            await WriteAsync(batch);
            foreach (var barrier in barriers)
            {
                barrier.TrySetResult();
            }

            batch.Clear();
            barriers.Clear();
            var lost = Interlocked.Exchange(ref dropped, 0);
            if (lost > 0)
            {
                Log.IssuedCardsDropped(logger, lost);
            }
        }
    }

    private async Task WriteAsync(List<IssuedCard> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.RecordIssuedCardsAsync(batch, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Whatever failed (the store is down: readiness already reports it), bookkeeping must never stop the
            // service that gives clinical advice, so nothing escapes this loop. The mappings are lost (feedback for these
            // cards counts as an unknown type); retrying here would only grow memory while the store stays down.
            Log.IssuedCardsWriteFailed(logger, batch.Count, ex.GetType().Name);
        }
    }

    private readonly record struct Work(IssuedCard? Card, TaskCompletionSource? Barrier);
}

/// <summary>
/// Deletes issued-card mappings older than <c>CdsHooks:Feedback:IssuedCardRetentionDays</c> and feedback items older
/// than <c>CdsHooks:Feedback:FeedbackRetentionDays</c>: a minute after start (so a
/// pod that restarts often still purges), then hourly; a mapping outlives its retention by at most that hour. Every
/// instance runs it; the delete is idempotent, so running it on several instances is harmless.
/// </summary>
public sealed class IssuedCardRetention(
    IFeedbackStore store,
    TimeProvider time,
    IOptions<FeedbackStoreOptions> options,
    ILogger<IssuedCardRetention> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    public static readonly TimeSpan FirstPassDelay = TimeSpan.FromMinutes(1);

    /// <summary>One purge pass; returns how many mappings were removed.</summary>
    public async Task<int> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var removed = await store.PurgeIssuedCardsAsync(time.GetUtcNow() - options.Value.IssuedCardRetention, cancellationToken);
        Log.IssuedCardsPurged(logger, removed, options.Value.IssuedCardRetentionDays);
        var feedback = await store.PurgeFeedbackAsync(time.GetUtcNow() - options.Value.FeedbackRetention, cancellationToken);
        Log.FeedbackPurged(logger, feedback, options.Value.FeedbackRetentionDays);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Delay(FirstPassDelay, time, stoppingToken);
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await PurgeOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // As for the writer: a failed purge is retried next hour and must not stop the host.
                Log.IssuedCardsPurgeFailed(logger, ex.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
