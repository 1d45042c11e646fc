using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HandPose.Imaging;
using HandPose.Onnx.MediaPipe;

namespace HandPose.Serving.Tests;

/// <summary>The HTTP API of <see cref="HandPoseServer"/> on a real loopback port.</summary>
public sealed class EstimateApiTests
{
    private static async Task<(HttpClient Client, HandPoseServer Server)> ClientAsync()
    {
        HandPoseServer server = await TestServer.GetAsync();
        return (new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) }, server);
    }

    private static ByteArrayContent Jpeg(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        return content;
    }

    [Test]
    public async Task Health_reports_ok_and_the_models()
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            using JsonDocument doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)));
            Assert.That(doc.RootElement.GetProperty("status").GetString(), Is.EqualTo("ok"));
            Assert.That(doc.RootElement.GetProperty("models").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "full", "lite" }));
        }
    }

    [Test]
    public async Task Estimate_of_a_jpeg_body_is_the_estimators_own_result_as_estimate_json()
    {
        (HttpClient client, _) = await ClientAsync();
        byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
        using HttpResponseMessage response = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), Jpeg(photo));
        client.Dispose();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        // The independent reference: the estimator called directly on the decoded photo, written by the same JSON writer.
        HandPoseResult expected;
        using (var estimator = new MediaPipeHandEstimator())
        {
            expected = estimator.Estimate(ImageDecoder.Decode(photo, new ImageDecoderOptions { ApplyExifOrientation = true }).AsView());
        }

        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(Encoding.UTF8.GetString(HandPoseOutput.ToJson("upload", expected))));
        using JsonDocument doc = JsonDocument.Parse(body);
        JsonElement[] hands = [.. doc.RootElement.GetProperty("hands").EnumerateArray()];
        Assert.That(hands, Has.Length.EqualTo(2));
        // MediaPipe's own wrists for this photo (HandPose.Onnx.Tests reference, full model).
        double[] wrists = [.. hands.Select(h => h.GetProperty("keypoints")[0][0].GetDouble()).Order()];
        Assert.That(wrists[0], Is.EqualTo(135.699).Within(0.01));
        Assert.That(wrists[1], Is.EqualTo(582.788).Within(0.01));
    }

    [Test]
    public async Task Multipart_upload_gives_the_same_hands_and_names_the_file()
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
            using var form = new MultipartFormDataContent { { Jpeg(photo), "file", "two_hands.jpg" } };
            using HttpResponseMessage multipart = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), form);
            using HttpResponseMessage raw = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), Jpeg(photo));
            Assert.That(multipart.StatusCode, Is.EqualTo(HttpStatusCode.OK), await multipart.Content.ReadAsStringAsync());
            string a = await multipart.Content.ReadAsStringAsync(), b = await raw.Content.ReadAsStringAsync();
            Assert.That(a, Does.Contain("\"image\": \"two_hands.jpg\""));
            Assert.That(a.Replace("two_hands.jpg", "upload", StringComparison.Ordinal), Is.EqualTo(b));
        }
    }

    [Test]
    public async Task Annotate_returns_the_png_that_handpose_output_draws()
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
            using HttpResponseMessage response = await client.PostAsync(new Uri("/api/estimate?annotate=1&model=lite", UriKind.Relative), Jpeg(photo));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
            ImageBuffer annotated = ImageDecoder.Decode(await response.Content.ReadAsByteArrayAsync());
            ImageBuffer original = ImageDecoder.Decode(photo);
            using var lite = new MediaPipeHandEstimator(new MediaPipeHandEstimatorOptions { Model = MediaPipeHandModel.Lite });
            ImageBuffer expected = HandPoseOutput.Annotate(original.AsView(), lite.Estimate(original.AsView()));
            Assert.That((annotated.Width, annotated.Height), Is.EqualTo((720, 382)));
            Assert.That(annotated.Memory.ToArray(), Is.EqualTo(expected.Memory.ToArray()), "the lite model's skeletons, drawn as handpose estimate --annotate draws them");
            Assert.That(annotated.Memory.ToArray(), Is.Not.EqualTo(ImageBuffer.CopyOf(original.AsView()).Memory.ToArray()));
        }
    }

    [TestCase(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A }, "Not a readable")]
    [TestCase(new byte[] { 1, 2, 3, 4, 5 }, "Not a readable")]
    [TestCase(new byte[0], "body is empty")]
    public async Task Bad_images_are_400_with_the_reason(byte[] body, string reason)
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using HttpResponseMessage response = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), content);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain(reason));
        }
    }

    [Test]
    public async Task Unknown_model_is_400_listing_the_models()
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            using HttpResponseMessage response = await client.PostAsync(new Uri("/api/estimate?model=heavy", UriKind.Relative), Jpeg(await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("'heavy'").And.Contain("full, lite"));
        }
    }

    [Test]
    public async Task Bodies_over_the_limit_are_413_with_or_without_a_length_and_as_multipart()
    {
        TestServer.RequireModels();
        await using HandPoseServer server = await HandPoseServer.StartAsync(new HandPoseServerOptions { Port = 0, Models = ["lite"], MaxRequestBytes = 20_000 });
        using var client = new HttpClient { BaseAddress = server.Address };
        byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
        Assert.That(photo, Has.Length.GreaterThan(20_000));
        using HttpResponseMessage sized = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), Jpeg(photo));
        var chunked = new StreamContent(new MemoryStream(photo));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/estimate") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage streamed = await client.SendAsync(request);
        using var form = new MultipartFormDataContent { { Jpeg(photo), "file", "big.jpg" } };
        using HttpResponseMessage multipart = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), form);
        foreach (HttpResponseMessage r in new[] { sized, streamed, multipart })
        {
            Assert.That(r.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(await r.Content.ReadAsStringAsync(), Does.Contain("20000 bytes"));
        }

        // Under the limit it answers.
        ImageBuffer small = ImageTransforms.ResizeBilinear(ImageDecoder.Decode(photo).AsView(), 180, 96);
        using HttpResponseMessage ok = await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), Jpeg(ImageEncoder.Encode(small.AsView(), ImageFileFormat.Jpeg)));
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Requests_beyond_the_concurrency_limit_and_queue_are_503_and_the_rest_answer()
    {
        TestServer.RequireModels();
        await using HandPoseServer server = await HandPoseServer.StartAsync(new HandPoseServerOptions
        {
            Port = 0, Models = ["full"], MaxConcurrentRequests = 1, MaxQueuedRequests = 1,
        });
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(120) };
        byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
        using var gate = new SemaphoreSlim(0);
        Task<HttpResponseMessage>[] calls = [.. Enumerable.Range(0, 12).Select(async _ =>
        {
            await gate.WaitAsync();
            return await client.PostAsync(new Uri("/api/estimate", UriKind.Relative), Jpeg(photo));
        })];
        gate.Release(calls.Length);
        HttpResponseMessage[] responses = await Task.WhenAll(calls);
        HttpStatusCode[] codes = [.. responses.Select(r => r.StatusCode)];
        Assert.That(codes, Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable));
        Assert.That(codes.Count(c => c == HttpStatusCode.OK), Is.GreaterThanOrEqualTo(2), "one running and one queued at least");
        HttpResponseMessage busy = responses.First(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
        Assert.That(busy.Headers.RetryAfter, Is.Not.Null);
        Assert.That(await busy.Content.ReadAsStringAsync(), Does.Contain("busy"));
        foreach (HttpResponseMessage r in responses)
        {
            r.Dispose();
        }
    }

    [Test]
    public async Task OpenApi_describes_estimate_with_image_and_multipart_bodies_and_its_errors()
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            using JsonDocument doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
            JsonElement post = doc.RootElement.GetProperty("paths").GetProperty("/api/estimate").GetProperty("post");
            JsonElement content = post.GetProperty("requestBody").GetProperty("content");
            Assert.That(content.EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "image/jpeg", "image/png", "image/webp", "multipart/form-data" }));
            Assert.That(post.GetProperty("responses").EnumerateObject().Select(p => p.Name), Is.SupersetOf(new[] { "200", "400", "413", "503" }));
            Assert.That(post.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.SupersetOf(new[] { "model", "annotate" }));
            Assert.That(doc.RootElement.GetProperty("paths").TryGetProperty("/health", out _), Is.True);
        }
    }

    [Test]
    public async Task Pages_and_their_scripts_are_served_from_the_assembly()
    {
        (HttpClient client, _) = await ClientAsync();
        using (client)
        {
            string index = await client.GetStringAsync(new Uri("/", UriKind.Relative));
            Assert.That(index, Does.Contain("upload.js").And.Contain("Drop a JPEG"));
            Assert.That(await client.GetStringAsync(new Uri("/live.html", UriKind.Relative)), Does.Contain("live.js").And.Contain("fps"));
            using HttpResponseMessage js = await client.GetAsync(new Uri("/handpose.js", UriKind.Relative));
            Assert.That(js.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        }
    }

    [Test]
    public async Task Live_socket_answers_each_frame_with_tracked_hands_and_stable_ids()
    {
        HandPoseServer server = await TestServer.GetAsync();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Address.Authority}/api/live?model=full"), CancellationToken.None);
        byte[] photo = await File.ReadAllBytesAsync(TestServer.TwoHandsPhoto);
        var buffer = new byte[1 << 20];
        var idsPerFrame = new List<int[]>();
        for (int i = 1; i <= 4; i++)
        {
            await socket.SendAsync(i == 3 ? Encoding.ASCII.GetBytes("not an image") : photo, WebSocketMessageType.Binary, true, CancellationToken.None);
            WebSocketReceiveResult received = await socket.ReceiveAsync(buffer, CancellationToken.None);
            Assert.That(received.EndOfMessage, Is.True);
            using JsonDocument doc = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
            JsonElement root = doc.RootElement;
            Assert.That(root.GetProperty("seq").GetInt32(), Is.EqualTo(i));
            if (i == 3)
            {
                Assert.That(root.GetProperty("error").GetString(), Does.Contain("image"));
                continue;
            }

            Assert.That(root.GetProperty("serverMs").GetDouble(), Is.GreaterThan(0));
            JsonElement[] hands = [.. root.GetProperty("hands").EnumerateArray()];
            Assert.That(hands, Has.Length.EqualTo(2));
            idsPerFrame.Add([.. hands.OrderBy(h => h.GetProperty("keypoints")[0][0].GetDouble()).Select(h => h.GetProperty("id").GetInt32())]);
        }

        Assert.That(idsPerFrame[0], Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(idsPerFrame, Has.All.EqualTo(idsPerFrame[0]), "the same hand keeps its id from frame to frame (and across a bad frame)");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Test]
    public async Task Invalid_options_are_argument_exceptions_naming_the_option()
    {
        Assert.That((await Assert.ThrowsAsync<ArgumentException>(() => HandPoseServer.StartAsync(new HandPoseServerOptions { Port = 0, Models = ["heavy"] })))!.Message, Does.Contain("'heavy'"));
        Assert.That((await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => HandPoseServer.StartAsync(new HandPoseServerOptions { Port = 0, MaxConcurrentRequests = 0 })))!.Message, Does.Contain("MaxConcurrentRequests"));
        Assert.That((await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => HandPoseServer.StartAsync(new HandPoseServerOptions { Port = 70000 })))!.Message, Does.Contain("Port"));
    }
}
