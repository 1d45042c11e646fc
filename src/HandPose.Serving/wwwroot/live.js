// Live page: camera frames (getUserMedia) go as JPEG over the /api/live WebSocket, one in flight at a time, so the
// page runs at the rate the server sustains; the tracked hands (ids, video mode, smoothing) are drawn on the frame.
"use strict";
(() => {
  const canvas = document.getElementById("canvas"), ctx = canvas.getContext("2d");
  const video = document.getElementById("video"), model = document.getElementById("model");
  const mirrored = document.getElementById("mirrored");
  const start = document.getElementById("start"), stop = document.getElementById("stop");
  const grab = document.createElement("canvas"), grabCtx = grab.getContext("2d");
  let socket = null, stream = null, sentAt = 0, times = [], latencies = [];

  function show(id, value) { document.getElementById(id).textContent = value; }

  function sendFrame() {
    if (!socket || socket.readyState !== WebSocket.OPEN || video.videoWidth === 0) return;
    grab.width = video.videoWidth;
    grab.height = video.videoHeight;
    grabCtx.drawImage(video, 0, 0);
    grab.toBlob(blob => {
      if (!blob || !socket || socket.readyState !== WebSocket.OPEN) return;
      sentAt = performance.now();
      socket.send(blob);
    }, "image/jpeg", 0.8);
  }

  function onResult(message) {
    const now = performance.now();
    const result = JSON.parse(message.data);
    latencies.push(now - sentAt);
    times.push(now);
    while (times.length && now - times[0] > 2000) times.shift();
    if (latencies.length > 30) latencies.shift();
    // Draw the frame that was sent (still in grab) with its hands.
    canvas.width = grab.width;
    canvas.height = grab.height;
    ctx.save();
    if (mirrored.checked) { ctx.translate(canvas.width, 0); ctx.scale(-1, 1); }
    ctx.drawImage(grab, 0, 0);
    ctx.restore();
    if (result.error) {
      HandPose.status(result.error, true);
    } else {
      const hands = mirrored.checked
        ? result.hands.map(h => ({ ...h, keypoints: h.keypoints.map(p => [canvas.width - p[0], p[1], p[2]]) }))
        : result.hands;
      HandPose.drawHands(ctx, hands, Math.max(canvas.width, canvas.height) / 640);
      show("count", result.hands.length);
      show("server", result.serverMs.toFixed(1));
      document.body.dataset.hands = String(result.hands.length);
      document.body.dataset.ids = result.hands.map(h => h.id).join(",");
    }
    if (times.length > 1) show("fps", ((times.length - 1) * 1000 / (times[times.length - 1] - times[0])).toFixed(1));
    show("latency", (latencies.reduce((a, b) => a + b, 0) / latencies.length).toFixed(0));
    document.body.dataset.frames = String(result.seq);
    sendFrame();
  }

  async function begin() {
    start.disabled = true;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
      video.srcObject = stream;
      await video.play();
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      // Camera frames are sent as the camera sees them (not mirrored); the checkbox only mirrors the display.
      const query = new URLSearchParams({ model: model.value });
      socket = new WebSocket(`${scheme}://${location.host}/api/live?${query}`);
      socket.onopen = () => { HandPose.status(`Tracking with ${model.value}`); sendFrame(); };
      socket.onmessage = onResult;
      socket.onclose = e => { HandPose.status(`Disconnected${e.reason ? ": " + e.reason : ""}`, e.code !== 1000); end(); };
      stop.disabled = false;
    } catch (e) {
      HandPose.status(`Camera: ${e}`, true);
      end();
    }
  }

  function end() {
    if (socket && socket.readyState === WebSocket.OPEN) socket.close(1000, "stopped");
    socket = null;
    if (stream) stream.getTracks().forEach(t => t.stop());
    stream = null;
    start.disabled = false;
    stop.disabled = true;
  }

  start.addEventListener("click", begin);
  stop.addEventListener("click", end);
  HandPose.loadModels(model).then(() => {
    if (new URLSearchParams(location.search).get("autostart") === "1") begin();
  }).catch(e => HandPose.status(String(e), true));
})();
