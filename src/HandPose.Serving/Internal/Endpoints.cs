using System.Diagnostics;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace HandPose.Serving.Internal;

/// <summary>The HTTP endpoints of <see cref="HandPoseServer"/>.</summary>
internal static partial class Endpoints
{
    public const string EstimatePolicy = "estimate";

    private static readonly ImageDecoderOptions Decoding = new() { ApplyExifOrientation = true };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (ModelCatalog models) => Results.Json(new HealthReport("ok", models.Names)))
            .WithName("Health").WithSummary("Liveness: the service runs and its models loaded.")
            .Produces<HealthReport>();
        app.MapGet("/api/models", (ModelCatalog models) => Results.Json(models.Names))
            .WithName("Models").WithSummary("The model names /api/estimate and /api/live accept (the first is the default).")
            .Produces<List<string>>();
        app.MapPost("/api/estimate", EstimateAsync)
            .RequireRateLimiting(EstimatePolicy)
            .WithName("Estimate")
            .WithSummary("Estimate the hands in one photo.")
            .WithDescription("Body: a JPEG, PNG or WebP image (Content-Type image/* or application/octet-stream), or a multipart/form-data upload (the first file). " +
                "Query: model (see /api/models; default the first), annotate=1 (answer with the photo and skeletons as PNG), mirrored=1 (a selfie view). " +
                "Answer: the JSON of handpose estimate (image, width, height, hands with handedness, handednessScore, score, keypoints in pixels, worldKeypoints in metres). " +
                "400: not an image, or unknown model; 413: body or pixel count over the limit; 503: busy.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // Described here rather than with Accepts(): Accepts would also make routing refuse other content types (415).
                var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                var form = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = binary } };
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "The photo: the body itself, or the first file of a multipart upload.",
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["image/jpeg"] = new() { Schema = binary },
                        ["image/png"] = new() { Schema = binary },
                        ["image/webp"] = new() { Schema = binary },
                        ["application/octet-stream"] = new() { Schema = binary },
                        ["multipart/form-data"] = new() { Schema = form },
                    },
                };
                return Task.CompletedTask;
            })
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "image/png")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.Map("/api/live", LiveSession.RunAsync)
            .WithName("Live")
            .WithSummary("WebSocket: send JPEG/PNG/WebP frames as binary messages, receive one JSON line per frame (video mode, smoothing on, stable hand ids).")
            .ExcludeFromDescription();
    }

    private static async Task<IResult> EstimateAsync(HttpContext http, ModelCatalog models, ILoggerFactory loggers, string? model, string? annotate, string? mirrored, CancellationToken cancellationToken)
    {
        ILogger logger = loggers.CreateLogger("HandPose.Serving.Estimate");
        EstimatorPool? pool = models.Find(model);
        if (pool is null)
        {
            return Problem(StatusCodes.Status400BadRequest, $"Unknown model '{model}'; known: {string.Join(", ", models.Names)}.");
        }

        (byte[]? body, string name, IResult? error) = await ReadImageAsync(http, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            Log.Rejected(logger, error is IStatusCodeHttpResult s ? s.StatusCode ?? 400 : 400, name);
            return error;
        }

        var clock = Stopwatch.StartNew();
        ImageBuffer image;
        try
        {
            image = ImageDecoder.Decode(body, Decoding);
        }
        catch (LimitExceededException ex)
        {
            Log.Rejected(logger, StatusCodes.Status413PayloadTooLarge, name);
            return Problem(StatusCodes.Status413PayloadTooLarge, ex.Message);
        }
        catch (ImageFormatException ex)
        {
            Log.BadImage(logger, name, ex.Message);
            return Problem(StatusCodes.Status400BadRequest, $"Not a readable JPEG, PNG or WebP image: {ex.Message}");
        }

        double decodeMs = clock.Elapsed.TotalMilliseconds;
        bool isMirrored = IsOn(mirrored);
        HandPoseResult result;
        MediaPipeHandEstimator estimator = pool.Rent();
        try
        {
            result = estimator.Estimate(image.AsView(), cancellationToken);
        }
        finally
        {
            pool.Return(estimator);
        }

        if (isMirrored)
        {
            // A selfie view shows the left hand where a photo shows the right: the subject's own hand is the other label
            // (what MediaPipeHandEstimatorOptions.Mirrored does; the pooled estimators are shared by both kinds of request).
            result = result with { Hands = result.Hands.Select(h => h with { Handedness = Flip(h.Handedness) }).ToArray() };
        }

        Log.Estimated(logger, result.Hands.Count, image.Width, image.Height, pool.Name, decodeMs, clock.Elapsed.TotalMilliseconds - decodeMs);
        if (IsOn(annotate))
        {
            ImageBuffer drawn = HandPoseOutput.Annotate(image.AsView(), result);
            return Results.Bytes(ImageEncoder.EncodePng(drawn.AsView()), "image/png");
        }

        return Results.Bytes(HandPoseOutput.ToJson(name, result), "application/json");
    }

    /// <summary>The uploaded bytes and a name for them, or the error to answer (400 empty/not a file, 413 too large).</summary>
    internal static async Task<(byte[] Body, string Name, IResult? Error)> ReadImageAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            if (http.Request.HasFormContentType)
            {
                IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                IFormFile? file = form.Files.Count > 0 ? form.Files[0] : null;
                if (file is null || file.Length == 0)
                {
                    return ([], "upload", Problem(StatusCodes.Status400BadRequest, "The form has no file (or an empty one): upload a JPEG, PNG or WebP photo as multipart/form-data, or send the image itself as the body."));
                }

                using var copy = new MemoryStream((int)file.Length);
                await file.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                return (copy.ToArray(), Path.GetFileName(file.FileName) is { Length: > 0 } n ? n : "upload", null);
            }

            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (buffer.Length == 0)
            {
                return ([], "upload", Problem(StatusCodes.Status400BadRequest, "The request body is empty: send a JPEG, PNG or WebP image, or a multipart/form-data upload."));
            }

            return (buffer.ToArray(), "upload", null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], "upload", TooLarge(http));
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return ([], "upload", TooLarge(http));
        }
    }

    internal static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    private static IResult TooLarge(HttpContext http)
    {
        long? limit = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        return Problem(StatusCodes.Status413PayloadTooLarge, $"The upload is larger than the service's limit of {limit} bytes (handpose serve --max-request-bytes).");
    }

    internal static bool IsOn(string? flag) => flag is "1" or "true" or "True" or "yes" or "on";

    private static Handedness Flip(Handedness h) => h switch
    {
        Handedness.Left => Handedness.Right,
        Handedness.Right => Handedness.Left,
        _ => h,
    };

    /// <summary>What <c>/health</c> answers.</summary>
    internal sealed record HealthReport(string Status, IReadOnlyList<string> Models);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Estimated {Hands} hand(s) in a {Width}x{Height} image with {Model}: decode {DecodeMs:F1} ms, estimate {EstimateMs:F1} ms")]
        public static partial void Estimated(ILogger logger, int hands, int width, int height, string model, double decodeMs, double estimateMs);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rejected upload {Name}: {Reason}")]
        public static partial void BadImage(ILogger logger, string name, string reason);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Rejected upload {Name} with status {Status}")]
        public static partial void Rejected(ILogger logger, int status, string name);
    }
}
