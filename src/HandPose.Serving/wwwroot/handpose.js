// Shared by the pages: model list, and drawing hands (the JSON of handpose estimate) on a canvas.
"use strict";
const HandPose = (() => {
  const fingers = [[0, 1, 2, 3, 4], [0, 5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [0, 17, 18, 19, 20], [5, 9, 13, 17]];
  const colours = ["#ff5050", "#ffb000", "#50e050", "#40c0ff", "#c070ff", "#dddddd"];
  const trackColours = ["#ff5050", "#50a0ff", "#50e050", "#ffb000", "#c070ff", "#40e0d0"];

  async function loadModels(select) {
    const response = await fetch("/api/models");
    const names = await response.json();
    select.replaceChildren(...names.map(n => new Option(n, n)));
    return names;
  }

  // Draws every hand: bones per finger, joints, and a label with id (live), handedness and scores.
  function drawHands(ctx, hands, scale) {
    const s = Math.max(1, scale || 1);
    for (const hand of hands) {
      const k = hand.keypoints;
      const accent = hand.id ? trackColours[(hand.id - 1) % trackColours.length] : "#ffff00";
      ctx.lineWidth = 2.5 * s;
      fingers.forEach((chain, f) => {
        ctx.strokeStyle = colours[f];
        ctx.beginPath();
        chain.forEach((j, i) => (i ? ctx.lineTo(k[j][0], k[j][1]) : ctx.moveTo(k[j][0], k[j][1])));
        ctx.stroke();
      });
      ctx.fillStyle = accent;
      for (const p of k) { ctx.beginPath(); ctx.arc(p[0], p[1], 3.5 * s, 0, 2 * Math.PI); ctx.fill(); }
      const label = (hand.id ? `#${hand.id} ` : "") + `${hand.handedness} ${hand.handednessScore.toFixed(2)} · score ${hand.score.toFixed(2)}`;
      const xs = k.map(p => p[0]), ys = k.map(p => p[1]);
      const x = Math.min(...xs), y = Math.max(0, Math.min(...ys) - 8 * s);
      ctx.font = `${Math.round(14 * s)}px system-ui, sans-serif`;
      const w = ctx.measureText(label).width;
      ctx.fillStyle = "rgba(0,0,0,.65)";
      ctx.fillRect(x - 2, y - 15 * s, w + 6, 19 * s);
      ctx.fillStyle = accent;
      ctx.fillText(label, x + 1, y);
    }
  }

  function status(text, isError) {
    const el = document.getElementById("status");
    el.textContent = text;
    el.className = isError ? "error" : "";
  }

  return { loadModels, drawHands, status };
})();
