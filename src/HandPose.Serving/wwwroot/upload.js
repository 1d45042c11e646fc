// Upload page: a chosen or dropped photo goes to POST /api/estimate; the answer is drawn over the photo.
"use strict";
(() => {
  const canvas = document.getElementById("canvas"), ctx = canvas.getContext("2d");
  const model = document.getElementById("model"), mirrored = document.getElementById("mirrored");
  const list = document.getElementById("hands"), drop = document.getElementById("drop");
  let last = null;

  async function estimate(file) {
    last = file;
    HandPose.status(`Estimating ${file.name} ...`);
    const body = new FormData();
    body.append("file", file, file.name);
    const query = new URLSearchParams({ model: model.value, mirrored: mirrored.checked ? "1" : "0" });
    const started = performance.now();
    const response = await fetch(`/api/estimate?${query}`, { method: "POST", body });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
      HandPose.status(`${response.status}: ${detail}`, true);
      return;
    }
    const result = await response.json();
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    canvas.width = result.width;
    canvas.height = result.height;
    ctx.drawImage(bitmap, 0, 0, result.width, result.height);
    HandPose.drawHands(ctx, result.hands, Math.max(result.width, result.height) / 640);
    list.replaceChildren(...result.hands.map(h => {
      const li = document.createElement("li");
      li.className = "hand";
      li.textContent = `${h.handedness} hand (handedness ${h.handednessScore.toFixed(2)}), score ${h.score.toFixed(2)}, wrist at (${h.keypoints[0][0].toFixed(1)}, ${h.keypoints[0][1].toFixed(1)})`;
      return li;
    }));
    document.body.dataset.hands = String(result.hands.length);
    HandPose.status(`${result.hands.length} hand(s) in ${result.width}×${result.height} with ${model.value}, ${Math.round(performance.now() - started)} ms`);
  }

  const run = file => estimate(file).catch(e => HandPose.status(String(e), true));
  document.getElementById("file").addEventListener("change", e => e.target.files[0] && run(e.target.files[0]));
  for (const el of [model, mirrored]) el.addEventListener("change", () => last && run(last));
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files[0]) run(e.dataTransfer.files[0]);
  });
  HandPose.loadModels(model).catch(e => HandPose.status(String(e), true));
})();
