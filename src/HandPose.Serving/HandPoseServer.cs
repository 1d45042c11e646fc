using System.Net;
using System.Reflection;
using System.Threading.RateLimiting;
using HandPose.Serving.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace HandPose.Serving;

/// <summary>
/// The HandPose web service: <c>POST /api/estimate</c> (an image body or a multipart upload; the JSON of
/// <c>handpose estimate</c>, or with <c>?annotate=1</c> the annotated PNG), <c>GET /api/models</c>, <c>GET /health</c>,
/// the live WebSocket <c>/api/live</c> (video mode, smoothing on, stable hand IDs), the OpenAPI description
/// <c>/openapi/v1.json</c> and the pages (<c>/</c> upload, <c>/live.html</c> camera), embedded in this assembly.
/// </summary>
/// <remarks>
/// Limits: bodies over <see cref="HandPoseServerOptions.MaxRequestBytes"/> get 413; at most
/// <see cref="HandPoseServerOptions.MaxConcurrentRequests"/> estimates run at once, each on its own estimator, with
/// <see cref="HandPoseServerOptions.MaxQueuedRequests"/> waiting; beyond that 503. Undecodable images get 400 with
/// the decoder's reason. Members are thread-safe.
/// </remarks>
public sealed class HandPoseServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelCatalog _models;

    private HandPoseServer(WebApplication app, ModelCatalog models, Uri address)
    {
        _app = app;
        _models = models;
        Address = address;
    }

    /// <summary>The base address the service listens on (with the actual port when the options asked for port 0).</summary>
    public Uri Address { get; }

    /// <summary>The names of the models offered (the first is the default).</summary>
    public IReadOnlyList<string> Models => _models.Names;

    /// <summary>Loads the models (one estimator each, so that a missing model fails here) and starts listening.</summary>
    /// <param name="options">Options (defaults when null).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">An option is invalid (e.g. an unknown model name).</exception>
    /// <exception cref="ModelLoadException">A model file does not load.</exception>
    /// <exception cref="BackendUnavailableException">ONNX Runtime or the MediaPipe models are missing (run scripts/setup.sh).</exception>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<HandPoseServer> StartAsync(HandPoseServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HandPoseServerOptions();
        Validate(options);
        var models = new ModelCatalog(options);
        try
        {
            models.Warm();
            WebApplication app = Build(options, models);
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not HandPoseException)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new IOException($"Cannot listen on port {options.Port}: {ex.Message}", ex);
            }

            string url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new HandPoseServer(app, models, new Uri(url.Replace("[::]", "localhost", StringComparison.Ordinal).Replace("0.0.0.0", "localhost", StringComparison.Ordinal)));
        }
        catch
        {
            models.Dispose();
            throw;
        }
    }

    /// <summary>Completes when the service stops (Ctrl+C, SIGTERM, or <paramref name="cancellationToken"/>).</summary>
    /// <param name="cancellationToken">Stops waiting and shuts the service down.</param>
    /// <returns>A task that completes at shutdown.</returns>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops listening, lets running requests finish, and releases the estimators.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _models.Dispose();
    }

    private static void Validate(HandPoseServerOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options.Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options.Port));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRequestBytes, 1024, nameof(options.MaxRequestBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentRequests, 1, nameof(options.MaxConcurrentRequests));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxQueuedRequests, nameof(options.MaxQueuedRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLiveSessions, 1, nameof(options.MaxLiveSessions));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxHands, 1, nameof(options.MaxHands));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxHands, 16, nameof(options.MaxHands));
    }

    private static WebApplication Build(HandPoseServerOptions options, ModelCatalog models)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HandPoseServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        builder.Logging.ClearProviders();
        if (options.JsonLogs)
        {
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = false);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout stays for the address line
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            k.Listen(options.ListenOnAnyAddress ? IPAddress.Any : IPAddress.Loopback, options.Port);
        });
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxRequestBytes);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "HandPose";
            document.Info.Description = "Hand pose estimation (MediaPipe Hands and exported HandPose models): 21 keypoints per hand, handedness and scores.";
            document.Info.Version = typeof(HandPoseServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
            return Task.CompletedTask;
        }));
        builder.Services.AddRateLimiter(r =>
        {
            r.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            r.AddConcurrencyLimiter(Endpoints.EstimatePolicy, c =>
            {
                c.PermitLimit = options.MaxConcurrentRequests;
                c.QueueLimit = options.MaxQueuedRequests;
                c.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            r.OnRejected = (context, token) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return new ValueTask(Results.Problem(
                    detail: $"The service is busy: {options.MaxConcurrentRequests} estimate(s) running and {options.MaxQueuedRequests} waiting. Retry shortly.",
                    statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(context.HttpContext));
            };
        });
        builder.Services.AddSingleton(models);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new LiveSessions(options.MaxLiveSessions));

        WebApplication app = builder.Build();
        var pages = new ManifestEmbeddedFileProvider(typeof(HandPoseServer).Assembly, "wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });
        app.UseWebSockets();
        app.UseRateLimiter();
        app.MapOpenApi();
        Endpoints.Map(app);
        return app;
    }
}
