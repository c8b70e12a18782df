// Locality Map web map: draws the embedded data on a canvas. No network: everything it needs is in this file.
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const canvas = document.getElementById("canvas");
  const ctx = canvas.getContext("2d");
  const tooltip = document.getElementById("tooltip");
  const mapBox = document.getElementById("map");

  // Arcs: delta-decoded to quantised steps.
  const arcs = D.arcs.map((a) => {
    const out = new Float64Array(a.length);
    let x = 0, y = 0;
    for (let i = 0; i < a.length; i += 2) {
      x += a[i]; y += a[i + 1];
      out[i] = x; out[i + 1] = y;
    }
    return out;
  });

  function traceRing(path, ring) {
    let first = true;
    for (const ref of ring) {
      const rev = ref < 0;
      const a = arcs[rev ? ~ref : ref];
      const n = a.length / 2;
      for (let k = 0; k < n; k++) {
        const i = rev ? n - 1 - k : k;
        if (k === 0 && !first) continue;
        if (first) { path.moveTo(a[2 * i], a[2 * i + 1]); first = false; }
        else path.lineTo(a[2 * i], a[2 * i + 1]);
      }
    }
    path.closePath();
  }

  // Per LSOA: its path in step units and its box, for drawing and hit testing.
  const lsoas = D.lsoas.map((l) => {
    const path = new Path2D();
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const polygon of l.g) {
      for (const ring of polygon) {
        traceRing(path, ring);
        for (const ref of ring) {
          const a = arcs[ref < 0 ? ~ref : ref];
          for (let i = 0; i < a.length; i += 2) {
            x0 = Math.min(x0, a[i]); x1 = Math.max(x1, a[i]);
            y0 = Math.min(y0, a[i + 1]); y1 = Math.max(y1, a[i + 1]);
          }
        }
      }
    }
    return Object.assign({ path, box: [x0, y0, x1, y1] }, l);
  });
  const byColour = D.colours.map(() => new Path2D());
  for (const l of lsoas) byColour[l.f].addPath(l.path);
  const wardPath = new Path2D();
  for (const id of D.ward_arcs) {
    const a = arcs[id];
    wardPath.moveTo(a[0], a[1]);
    for (let i = 2; i < a.length; i += 2) wardPath.lineTo(a[i], a[i + 1]);
  }
  const top1Path = new Path2D();
  const movedOutPath = new Path2D();
  for (const l of lsoas) {
    if (l.t === "stayed" || l.t === "moved_in") top1Path.addPath(l.path);
    if (l.t === "moved_out") movedOutPath.addPath(l.path);
  }

  // View: screen = (x * scale + tx, -y * scale + ty); fitted to the data at start.
  const view = { scale: 1, tx: 0, ty: 0 };
  let cssW = 0, cssH = 0, dpr = 1;
  function fit() {
    const pad = 16;
    const s = Math.min((cssW - 2 * pad) / D.size[0], (cssH - 2 * pad) / D.size[1]);
    view.scale = s;
    view.tx = (cssW - D.size[0] * s) / 2;
    view.ty = (cssH + D.size[1] * s) / 2;
  }
  function toScreen(x, y) { return [x * view.scale + view.tx, -y * view.scale + view.ty]; }
  function toWorld(sx, sy) { return [(sx - view.tx) / view.scale, -(sy - view.ty) / view.scale]; }

  let highlighted = null;
  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, cssW, cssH);
    ctx.setTransform(dpr * view.scale, 0, 0, -dpr * view.scale, dpr * view.tx, dpr * view.ty);
    const px = 1 / view.scale; // one CSS pixel in steps
    D.colours.forEach((c, i) => { ctx.fillStyle = c; ctx.fill(byColour[i], "evenodd"); });
    ctx.lineJoin = "round";
    ctx.strokeStyle = D.lsoa_line; ctx.lineWidth = 0.5 * px;
    for (const c of byColour) ctx.stroke(c);
    ctx.strokeStyle = D.ward_line; ctx.lineWidth = 1.3 * px; ctx.stroke(wardPath);
    ctx.strokeStyle = D.orange; ctx.lineWidth = 2.2 * px; ctx.stroke(top1Path);
    ctx.setLineDash([4 * px, 2.6 * px]); ctx.lineWidth = 1.4 * px; ctx.stroke(movedOutPath); ctx.setLineDash([]);
    if (highlighted) { ctx.strokeStyle = "#000000"; ctx.lineWidth = 2.5 * px; ctx.stroke(highlighted.path); }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    for (const l of lsoas) if (l.t !== "outside") marker(l);
    wardLabels();
  }

  // Stayed: orange disc; moved in: orange triangle up; moved out: white triangle down, orange edge (as the PNG).
  function marker(l) {
    const [x, y] = toScreen(l.p[0], l.p[1]);
    if (x < -10 || y < -10 || x > cssW + 10 || y > cssH + 10) return;
    const r = 3.6;
    ctx.beginPath();
    if (l.t === "stayed") ctx.arc(x, y, r, 0, 2 * Math.PI);
    else if (l.t === "moved_in") { ctx.moveTo(x, y - 1.2 * r); ctx.lineTo(x + 1.1 * r, y + 0.8 * r); ctx.lineTo(x - 1.1 * r, y + 0.8 * r); ctx.closePath(); }
    else { ctx.moveTo(x - 1.1 * r, y - 0.8 * r); ctx.lineTo(x + 1.1 * r, y - 0.8 * r); ctx.lineTo(x, y + 1.2 * r); ctx.closePath(); }
    ctx.fillStyle = l.t === "moved_out" ? "#ffffff" : D.orange;
    ctx.strokeStyle = l.t === "moved_out" ? D.orange : "#1e1e1e";
    ctx.lineWidth = l.t === "moved_out" ? 1.2 : 0.9;
    ctx.fill(); ctx.stroke();
  }

  function wardLabels() {
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center"; ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    const placed = [];
    for (const w of D.wards) {
      if (!w.p) continue;
      const [x, y] = toScreen(w.p[0], w.p[1]);
      const width = ctx.measureText(w.n).width;
      const r = [x - width / 2 - 2, y - 8, x + width / 2 + 2, y + 8];
      if (r[0] < 0 || r[1] < 0 || r[2] > cssW || r[3] > cssH) continue;
      if (placed.some((p) => p[0] < r[2] && r[0] < p[2] && p[1] < r[3] && r[1] < p[3])) continue;
      placed.push(r);
      ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.lineWidth = 3; ctx.strokeText(w.n, x, y);
      ctx.fillStyle = "#1e1e1e"; ctx.fillText(w.n, x, y);
    }
  }

  function resize() {
    const r = mapBox.getBoundingClientRect();
    cssW = Math.max(1, r.width); cssH = Math.max(1, r.height);
    dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr);
    canvas.style.width = cssW + "px"; canvas.style.height = cssH + "px";
  }

  function lsoaAt(sx, sy) {
    const [x, y] = toWorld(sx, sy);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (const l of lsoas) {
      const b = l.box;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      if (ctx.isPointInPath(l.path, x, y, "evenodd")) return l;
    }
    return null;
  }

  const fmt = (n) => (n === null || n === undefined ? "not ranked" : n.toLocaleString("en-GB"));
  const signed = (n) => (n === null || n === undefined ? "not known" : (n > 0 ? "+" : n < 0 ? "\u2212" : "") + Math.abs(n).toLocaleString("en-GB"));
  const transitionWords = { stayed: "Stayed in the 1%", moved_in: "Moved into the 1%", moved_out: "Moved out of the 1%", outside: "" };

  function showTooltip(l, sx, sy) {
    if (!l) { tooltip.hidden = true; return; }
    const ward = l.w === null ? "no ward" : D.wards[l.w].n;
    const direction = l.d === null ? "" : l.d < 0 ? " (worsened)" : l.d > 0 ? " (improved)" : " (no change)";
    tooltip.innerHTML = "";
    const lines = [
      [l.c + (l.n ? " " + l.n : ""), "tt-title"],
      ["Ward: " + ward, ""],
      ["Rank " + D.from + ": " + fmt(l.a), ""],
      ["Rank " + D.to + ": " + fmt(l.b), ""],
      ["Change: " + signed(l.d) + direction, ""],
      [transitionWords[l.t], "tt-top1"],
    ];
    for (const [text, cls] of lines) {
      if (!text) continue;
      const div = document.createElement("div");
      div.textContent = text;
      if (cls) div.className = cls;
      tooltip.appendChild(div);
    }
    tooltip.hidden = false;
    tooltip.style.left = Math.min(sx + 14, cssW - 240) + "px";
    tooltip.style.top = Math.min(sy + 14, cssH - 130) + "px";
  }

  canvas.addEventListener("mousemove", (e) => {
    const r = canvas.getBoundingClientRect();
    const sx = e.clientX - r.left, sy = e.clientY - r.top;
    if (drag) {
      view.tx += sx - drag[0]; view.ty += sy - drag[1]; drag = [sx, sy]; draw();
      return;
    }
    showTooltip(lsoaAt(sx, sy), sx, sy);
  });
  canvas.addEventListener("mouseleave", () => { tooltip.hidden = true; });
  let drag = null;
  canvas.addEventListener("mousedown", (e) => { const r = canvas.getBoundingClientRect(); drag = [e.clientX - r.left, e.clientY - r.top]; });
  window.addEventListener("mouseup", () => { drag = null; });
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    const sx = e.clientX - r.left, sy = e.clientY - r.top;
    const k = Math.exp(-e.deltaY * 0.0015);
    view.tx = sx - (sx - view.tx) * k; view.ty = sy - (sy - view.ty) * k; view.scale *= k;
    draw();
  }, { passive: false });

  function zoomTo(box) {
    const pad = 40;
    const w = Math.max(box[2] - box[0], 1), h = Math.max(box[3] - box[1], 1);
    const s = Math.min((cssW - 2 * pad) / w, (cssH - 2 * pad) / h, view.scale * 40);
    view.scale = s;
    view.tx = cssW / 2 - ((box[0] + box[2]) / 2) * s;
    view.ty = cssH / 2 + ((box[1] + box[3]) / 2) * s;
    draw();
  }

  // Search by LSOA code (or its start) or ward name (any part).
  const results = document.getElementById("results");
  document.getElementById("search").addEventListener("submit", (e) => {
    e.preventDefault();
    const q = document.getElementById("query").value.trim().toLowerCase();
    results.innerHTML = "";
    if (!q) return;
    const hits = [];
    for (const l of lsoas) if (l.c.toLowerCase().startsWith(q) || (l.n && l.n.toLowerCase().includes(q))) hits.push({ label: l.c + (l.n ? " " + l.n : ""), items: [l] });
    D.wards.forEach((w, i) => {
      if (w.n.toLowerCase().includes(q) || w.c.toLowerCase() === q) hits.push({ label: "Ward: " + w.n, items: lsoas.filter((l) => l.w === i) });
    });
    if (!hits.length) { results.textContent = "Nothing matches \u201c" + q + "\u201d."; return; }
    for (const hit of hits.slice(0, 12)) {
      const a = document.createElement("button");
      a.type = "button"; a.className = "hit"; a.textContent = hit.label;
      a.addEventListener("click", () => select(hit.items));
      results.appendChild(a);
    }
    select(hits[0].items);
  });
  function select(items) {
    if (!items.length) return;
    const box = items.reduce((b, l) => [Math.min(b[0], l.box[0]), Math.min(b[1], l.box[1]), Math.max(b[2], l.box[2]), Math.max(b[3], l.box[3])], [Infinity, Infinity, -Infinity, -Infinity]);
    highlighted = items.length === 1 ? items[0] : null;
    zoomTo(box);
    if (items.length === 1) { const [x, y] = toScreen(items[0].p[0], items[0].p[1]); showTooltip(items[0], x, y); }
  }

  // Panel: subtitle, legend, 1% key; footer: attribution.
  document.getElementById("subtitle").textContent = D.subtitle;
  const legend = document.getElementById("legend");
  function el(tag, cls, text) { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  legend.appendChild(el("h2", "", D.legend.title));
  legend.appendChild(el("p", "note", D.legend.subtitle));
  for (const entry of D.legend.entries) {
    const row = el("div", "key");
    const sw = el("span", "swatch"); sw.style.background = entry.colour;
    row.append(sw, el("span", "label", entry.label), el("span", "count", String(entry.count)));
    legend.appendChild(row);
  }
  legend.appendChild(el("h2", "", "Most deprived 1% of England"));
  const count = (t) => lsoas.filter((l) => l.t === t).length;
  const keys = [
    ["outline", "Orange outline: in the 1% in " + D.to + " (rank \u2264 " + D.threshold_to + ")", count("stayed") + count("moved_in")],
    ["stayed", "Stayed in the 1%", count("stayed")],
    ["moved_in", "Moved into the 1%", count("moved_in")],
    ["moved_out", "Moved out of the 1% (dashed; was rank \u2264 " + D.threshold_from + " in " + D.from + ")", count("moved_out")],
  ];
  for (const [kind, label, n] of keys) {
    const row = el("div", "key");
    row.append(el("span", "swatch sym-" + kind), el("span", "label", label), el("span", "count", String(n)));
    legend.appendChild(row);
  }
  const wardRow = el("div", "key");
  wardRow.append(el("span", "swatch sym-ward"), el("span", "label", "Ward boundary"), el("span", "count", ""));
  legend.appendChild(wardRow);
  for (const note of D.legend.notes) legend.appendChild(el("p", "note", note));
  const footer = document.getElementById("attribution");
  for (const line of D.attribution.concat([D.sources, D.exported])) footer.appendChild(el("div", "", line));

  // `#view=scale,tx,ty` (CSS pixels per step, offsets) opens at that view: a link to a place, and a fixed view for checks.
  const given = /view=([-\d.e]+),([-\d.e]+),([-\d.e]+)/.exec(location.hash);
  function start() {
    resize();
    if (given) { view.scale = Number(given[1]); view.tx = Number(given[2]); view.ty = Number(given[3]); }
    else fit();
    draw();
  }
  start();
  window.addEventListener("resize", start);

  // For checks and embedding: the view, and `#hover=x,y` (CSS pixels) hovers there once drawn.
  document.body.dataset.view = JSON.stringify({ scale: view.scale, tx: view.tx, ty: view.ty, step: D.step, origin: D.origin, map: mapBox.getBoundingClientRect().toJSON() });
  const m = /hover=([-\d.]+),([-\d.]+)/.exec(location.hash);
  if (m) {
    const r = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new MouseEvent("mousemove", { clientX: r.left + Number(m[1]), clientY: r.top + Number(m[2]), bubbles: true }));
  }
})();
