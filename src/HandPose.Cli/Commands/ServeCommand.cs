using System.CommandLine;
using HandPose.Serving;

namespace HandPose.Cli.Commands;

/// <summary><c>handpose serve</c>: the web service (API, OpenAPI description, upload and live pages) until Ctrl+C.</summary>
internal sealed class ServeCommand : ICliCommand
{
    public Command Create(CliContext context)
    {
        var defaults = new HandPoseServerOptions();
        var port = new Option<int>("--port") { Description = "TCP port (0 = any free port).", DefaultValueFactory = _ => defaults.Port };
        var model = new Option<string[]>("--model")
        {
            Description = "A model to offer: full, lite or a hand landmark MODEL.onnx; repeat for several (the first is the default). Default: full and lite.",
            AllowMultipleArgumentsPerToken = true,
        };
        var any = new Option<bool>("--any-address") { Description = "Listen on every network interface (default: loopback only)." };
        var maxBytes = new Option<long>("--max-request-bytes") { Description = "Largest upload in bytes; larger ones get 413.", DefaultValueFactory = _ => defaults.MaxRequestBytes };
        var concurrency = new Option<int>("--max-concurrency") { Description = "Estimates at the same time (each on its own estimator).", DefaultValueFactory = _ => defaults.MaxConcurrentRequests };
        var queue = new Option<int>("--max-queue") { Description = "Requests waiting for a slot; beyond that 503.", DefaultValueFactory = _ => defaults.MaxQueuedRequests };
        var live = new Option<int>("--max-live") { Description = "Live camera sessions at the same time; beyond that 503.", DefaultValueFactory = _ => defaults.MaxLiveSessions };
        var maxHands = new Option<int>("--max-hands") { Description = "The most hands per image (1-16).", DefaultValueFactory = _ => defaults.MaxHands };
        var jsonLogs = new Option<bool>("--json-logs") { Description = "Log one JSON object per line instead of text." };
        var command = new Command("serve", "Serve hand pose estimation over HTTP: POST /api/estimate, /health, /openapi/v1.json, the upload page / and the live camera page /live.html.")
        {
            port, model, any, maxBytes, concurrency, queue, live, maxHands, jsonLogs,
        };
        command.SetAction(result => context.Guard(() =>
        {
            string[] models = result.GetValue(model) is { Length: > 0 } m ? m : ["full", "lite"];
            var options = new HandPoseServerOptions
            {
                Port = result.GetValue(port),
                Models = models,
                ListenOnAnyAddress = result.GetValue(any),
                MaxRequestBytes = result.GetValue(maxBytes),
                MaxConcurrentRequests = result.GetValue(concurrency),
                MaxQueuedRequests = result.GetValue(queue),
                MaxLiveSessions = result.GetValue(live),
                MaxHands = result.GetValue(maxHands),
                JsonLogs = result.GetValue(jsonLogs),
            };
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            try
            {
                HandPoseServer server = HandPoseServer.StartAsync(options).GetAwaiter().GetResult();
                try
                {
                    // The address line is the one thing on stdout: scripts read it to find a port picked with --port 0.
                    context.Out.WriteLine(CliContext.Invariant($"handpose serve: listening on {server.Address} (models: {string.Join(", ", server.Models)}); Ctrl+C stops"));
                    context.Out.Flush();
                    server.WaitForShutdownAsync(stop.Token).GetAwaiter().GetResult();
                }
                finally
                {
                    server.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            return CliApp.Ok;
        }));
        return command;
    }
}
