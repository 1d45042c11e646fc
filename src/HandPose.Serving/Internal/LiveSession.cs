using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using HandPose.Serving.Tracking;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HandPose.Serving.Internal;

/// <summary>The slots for live sessions: a session takes one for its lifetime, or the upgrade is refused with 503.</summary>
internal sealed class LiveSessions(int limit) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(limit, limit);

    public int Limit { get; } = limit;

    public bool TryEnter() => _slots.Wait(0);

    public void Leave() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}

/// <summary>
/// One live camera session over a WebSocket: each binary message is an encoded frame (JPEG, PNG or WebP); each
/// answer is one compact JSON text message: the JSON of <c>handpose estimate</c> for the frame with each hand's
/// track <c>id</c>, plus <c>seq</c> (frames received) and <c>serverMs</c> (decode + estimate). The estimator runs in
/// video mode with smoothing, on the session's clock; a frame that does not decode is answered with <c>error</c>.
/// </summary>
internal static partial class LiveSession
{
    public static async Task RunAsync(HttpContext http, ModelCatalog models, LiveSessions sessions, HandPoseServerOptions options, ILoggerFactory loggers, string? model, string? mirrored)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Endpoints.Problem(StatusCodes.Status400BadRequest, "/api/live is a WebSocket endpoint: connect with ws://HOST/api/live?model=NAME.").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        EstimatorPool? pool = models.Find(model);
        if (pool is null)
        {
            await Endpoints.Problem(StatusCodes.Status400BadRequest, $"Unknown model '{model}'; known: {string.Join(", ", models.Names)}.").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        if (!sessions.TryEnter())
        {
            http.Response.Headers.RetryAfter = "5";
            await Endpoints.Problem(StatusCodes.Status503ServiceUnavailable, $"All {sessions.Limit} live sessions are in use; retry later.").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        ILogger logger = loggers.CreateLogger("HandPose.Serving.Live");
        try
        {
            using WebSocket socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
            using var estimator = new MediaPipeHandEstimator(ModelCatalog.ForVideo(pool, Endpoints.IsOn(mirrored)));
            var tracker = new HandTracker();
            var clock = Stopwatch.StartNew();
            Log.Started(logger, pool.Name, http.Connection.RemoteIpAddress);
            int frames = await ServeAsync(socket, estimator, tracker, clock, options.MaxRequestBytes, http.RequestAborted).ConfigureAwait(false);
            Log.Ended(logger, frames, clock.Elapsed.TotalSeconds);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            Log.Dropped(logger, ex.Message);
        }
        finally
        {
            sessions.Leave();
        }
    }

    private static async Task<int> ServeAsync(WebSocket socket, MediaPipeHandEstimator estimator, HandTracker tracker, Stopwatch clock, long maxBytes, CancellationToken cancellationToken)
    {
        var message = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int seq = 0;
        while (socket.State == WebSocketState.Open)
        {
            message.SetLength(0);
            WebSocketReceiveResult received;
            do
            {
                received = await socket.ReceiveAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken).ConfigureAwait(false);
                    return seq;
                }

                message.Write(chunk, 0, received.Count);
                if (message.Length > maxBytes)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"frames are limited to {maxBytes} bytes", cancellationToken).ConfigureAwait(false);
                    return seq;
                }
            }
            while (!received.EndOfMessage);

            if (received.MessageType != WebSocketMessageType.Binary)
            {
                continue; // text messages are reserved (e.g. future commands)
            }

            seq++;
            long start = clock.ElapsedTicks;
            byte[] answer;
            try
            {
                ImageBuffer frame = ImageDecoder.Decode(message.GetBuffer().AsSpan(0, (int)message.Length));
                HandPoseResult result = estimator.Estimate(frame.AsView(), clock.Elapsed, cancellationToken);
                IReadOnlyList<int> ids = tracker.Update(result);
                answer = Frame(seq, HandPoseOutput.ToJson("frame", result, ids, indented: false), Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (Exception ex) when (ex is ImageFormatException or LimitExceededException)
            {
                answer = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { seq, error = ex.Message }));
            }

            await socket.SendAsync(answer, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }

        return seq;
    }

    /// <summary>The result's JSON object with <c>seq</c> and <c>serverMs</c> added in front.</summary>
    private static byte[] Frame(int seq, byte[] json, double serverMs)
    {
        string head = FormattableString.Invariant($"{{\"seq\":{seq},\"serverMs\":{serverMs:F2},");
        var bytes = new byte[head.Length + json.Length - 1];
        Encoding.ASCII.GetBytes(head, bytes);
        json.AsSpan(1).CopyTo(bytes.AsSpan(head.Length));
        return bytes;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Live session started with {Model} from {Remote}")]
        public static partial void Started(ILogger logger, string model, System.Net.IPAddress? remote);

        [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Live session ended after {Frames} frame(s) in {Seconds:F1} s")]
        public static partial void Ended(ILogger logger, int frames, double seconds);

        [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Live session dropped: {Reason}")]
        public static partial void Dropped(ILogger logger, string reason);
    }
}
