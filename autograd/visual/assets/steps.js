"use strict";
// The step-through page: one SVG drawing, frames applied to it from the JSON state.
// A frame shows values (forward) or gradients (backward) of the nodes done so far,
// highlights its node and neighbours, and pans/zooms so they are on screen and readable.
// What is not known yet shows the drawing's one grey state, "—". The frame shown is
// in document.body.dataset.frame once it is drawn.
(function () {
  const state = JSON.parse(document.getElementById("state").textContent);
  const view = document.getElementById("view");
  const svg = view.querySelector("svg");
  const frames = state.frames;
  const MIN_TEXT_SCALE = 1.15; // screen px per SVG unit: 12-unit node text stays above 11 px
  const WHOLE_SCALE = 10 / 12; // a drawing alone opens whole where its 12-unit text is 10 px or more
  const INK = { "#b71c1c": "grad", "#1565c0": "local", "#6a1b9a": "claim" };

  // -- the drawing: nodes by id (a shared leaf can be drawn once per use: id_0, id_1, ...)
  const nodes = new Map();
  svg.querySelectorAll("g.node").forEach((g) => {
    if (!/^n\d+(_\d+)?$/.test(g.id)) return; // the legend and notes are not graph nodes
    const base = g.id.replace(/_\d+$/, "");
    if (!nodes.has(base)) nodes.set(base, []);
    nodes.get(base).push(g);
  });
  const texts = new Map(); // id -> {data: [...], grad: [...], local: [...], claim: {data: [...], grad: [...]}}
  nodes.forEach((gs, id) => {
    const kinds = { data: [], grad: [], local: [], claim: { data: [], grad: [] } };
    const marks = (state.marks || {})[id] || [];
    const pending = (state.pending || {})[id] || [];
    gs.forEach((g) => g.querySelectorAll("text").forEach((t) => {
      const ink = INK[(t.getAttribute("fill") || "").toLowerCase()];
      t.dataset.full = t.textContent;
      if (ink === "claim") {
        const mark = marks.find((m) => m.text === t.textContent);
        kinds.claim[mark ? mark.of : "data"].push(t);
      } else if (ink === "local") {
        t.dataset.pending = pending[kinds.local.length % Math.max(pending.length, 1)] || "";
        kinds.local.push(t);
      } else if (ink) kinds[ink].push(t);
      else if (t.textContent.startsWith("data ")) kinds.data.push(t);
    }));
    texts.set(id, kinds);
  });
  const GREY = "\u2014";
  const unknownText = { // the same text with its number replaced by the grey dash
    data: () => `data ${GREY}`,
    grad: () => `grad ${GREY}`,
    local: (t) => t.dataset.pending, // written by the drawing's code: "∂/∂a = —"
  };
  function known(list, yes, kind) { // (a text is written only when it changes: a step changes a few)
    list.forEach((t) => {
      const text = yes ? t.dataset.full : unknownText[kind](t);
      if (t.textContent !== text) t.textContent = text;
      t.classList.toggle("unknown", !yes);
    });
  }
  function shown(list, yes) { list.forEach((t) => t.classList.toggle("hidden", !yes)); }

  // -- the view box: zoom and pan
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  const whole = svg.viewBox.baseVal ? { x: svg.viewBox.baseVal.x, y: svg.viewBox.baseVal.y,
    w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height } : null;
  let box = Object.assign({}, whole);
  const count = document.getElementById("count");
  function setBox(b) {
    box = b;
    svg.setAttribute("viewBox", `${b.x} ${b.y} ${b.w} ${b.h}`);
    // a drawing alone says when only part of it is in view (a step-through's counter says the step)
    if (!frames.length && whole) count.textContent = b.w < whole.w * 0.99 || b.h < whole.h * 0.99
      ? "part of the graph: drag to pan, 0 for the whole" : "";
  }
  function scale() { // screen px per SVG unit (preserveAspectRatio "meet")
    return Math.min(view.clientWidth / box.w, view.clientHeight / box.h);
  }
  function zoomAt(factor, cx, cy) { // cx, cy in SVG units stay where they are
    const w = box.w / factor, h = box.h / factor;
    setBox({ x: cx - (cx - box.x) / factor, y: cy - (cy - box.y) / factor, w, h });
  }
  function toSvg(clientX, clientY) {
    const p = svg.createSVGPoint();
    p.x = clientX; p.y = clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  function fitWhole() {
    if (whole) setBox(Object.assign({}, whole));
  }
  view.addEventListener("wheel", (e) => {
    e.preventDefault();
    const p = toSvg(e.clientX, e.clientY);
    zoomAt(Math.exp(-e.deltaY * (e.ctrlKey ? 0.01 : 0.0015)), p.x, p.y);
  }, { passive: false });
  const pointers = new Map();
  let pinch = 0;
  let travel = 0; // how far the pointer moved since it went down: a tap moves (almost) not at all
  view.addEventListener("pointerdown", (e) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    view.setPointerCapture(e.pointerId);
    view.classList.add("dragging");
    travel = pointers.size === 1 ? 0 : Infinity;
  });
  view.addEventListener("pointermove", (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
    travel += Math.hypot(e.clientX - last.x, e.clientY - last.y);
    if (pointers.size === 1) {
      const s = scale();
      setBox({ x: box.x - (e.clientX - last.x) / s, y: box.y - (e.clientY - last.y) / s, w: box.w, h: box.h });
    }
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a.x - b.x, a.y - b.y);
      if (pinch > 0) {
        const c = toSvg((a.x + b.x) / 2, (a.y + b.y) / 2);
        zoomAt(d / pinch, c.x, c.y);
      }
      pinch = d;
    }
  });
  function release(e) {
    const tap = pointers.size === 1 && travel < 6 && e.type === "pointerup";
    pointers.delete(e.pointerId);
    pinch = 0;
    if (pointers.size === 0) view.classList.remove("dragging");
    if (tap) { // a click or tap on a box zooms to it, readable
      const hit = document.elementFromPoint(e.clientX, e.clientY);
      const g = hit && hit.closest("g.node");
      if (g && /^n\d+(_\d+)?$/.test(g.id)) zoomTo(boxOf(g));
    }
  }
  view.addEventListener("pointerup", release);
  view.addEventListener("pointercancel", release);

  // -- bring nodes into view, readable
  function boxOf(g) { // a node's box in SVG units
    const inv = svg.getScreenCTM().inverse();
    const b = g.getBBox();
    const m = inv.multiply(g.getScreenCTM());
    const corners = [[b.x, b.y], [b.x + b.width, b.y + b.height]].map(([x, y]) => {
      const p = svg.createSVGPoint();
      p.x = x; p.y = y;
      return p.matrixTransform(m);
    });
    return { x: corners[0].x, y: corners[0].y, w: corners[1].x - corners[0].x, h: corners[1].y - corners[0].y };
  }
  function union(boxes) {
    const x0 = Math.min(...boxes.map((b) => b.x)), y0 = Math.min(...boxes.map((b) => b.y));
    const x1 = Math.max(...boxes.map((b) => b.x + b.w)), y1 = Math.max(...boxes.map((b) => b.y + b.h));
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  function nearest(id, to) { // of a node drawn once per use, the copy nearest to box `to`
    const gs = nodes.get(id) || [];
    const d = (b) => Math.hypot(b.x + b.w / 2 - to.x - to.w / 2, b.y + b.h / 2 - to.y - to.h / 2);
    return gs.map(boxOf).sort((p, q) => d(p) - d(q))[0];
  }
  const PAD = 40; // px around what is brought into view
  function fits(b, pad) { // the scale at which box b (SVG units) fills the view with pad px around it
    return Math.min(view.clientWidth / (b.w + 2 * pad), view.clientHeight / (b.h + 2 * pad));
  }
  function centre(b, s) { // b in the middle at scale s, moved in so no side shows blank beyond the graph
    const w = view.clientWidth / s, h = view.clientHeight / s;
    const clamp = (v, lo, room) => (room >= 0 ? Math.min(Math.max(v, lo), lo + room) : lo + room / 2);
    const x = b.x + b.w / 2 - w / 2, y = b.y + b.h / 2 - h / 2;
    setBox(whole ? { x: clamp(x, whole.x, whole.w - w), y: clamp(y, whole.y, whole.h - h), w, h } : { x, y, w, h });
  }
  function zoomTo(b) { // one box, readable, and whole even where that makes its text smaller
    if (!view.clientWidth || !view.clientHeight) return;
    centre(b, Math.min(Math.max(MIN_TEXT_SCALE, scale()), fits(b, 8)));
  }
  function focus(active, near) { // false while the view has no size yet (the resize observer retries)
    const gs = nodes.get(active);
    if (!gs) return true; // not drawn (beyond max_nodes)
    if (!view.clientWidth || !view.clientHeight) return false;
    const a = boxOf(gs[0]);
    const all = union([a, ...near.map((id) => nearest(id, a)).filter(Boolean)]);
    const fit = fits(all, PAD);
    // keep the zoom when the neighbourhood fits, zoom out to fit it down to readable text,
    // and never so far in or out that the active node itself is cut off
    const s = Math.min(Math.max(MIN_TEXT_SCALE, Math.min(scale(), fit)), fits(a, 8));
    const target = fit >= s ? all : a; // the active node at least
    centre(target, s);
    return true;
  }

  // -- frames
  const forwardStep = new Map(); // node -> index in forward order (leaves: -1)
  (state.leaves || []).forEach((id) => forwardStep.set(id, -1));
  (state.order || []).forEach((id, k) => forwardStep.set(id, k));
  const nForward = frames.filter((f) => f.phase === "forward").length;
  const backwardStep = new Map();
  frames.forEach((f, k) => { if (f.phase === "backward") backwardStep.set(f.node, k - nForward); });
  let current = 0;
  let marked = [];
  function show(k) {
    if (!frames.length) return;
    current = Math.max(0, Math.min(frames.length - 1, k));
    const f = frames[current];
    const fwd = f.phase === "forward" ? current : Infinity;
    const bwd = f.phase === "backward" ? current - nForward : -1;
    texts.forEach((t, id) => {
      const computed = (forwardStep.has(id) ? forwardStep.get(id) : -1) <= fwd;
      const reached = backwardStep.has(id) && backwardStep.get(id) <= bwd;
      known(t.data, computed, "data");
      known(t.local, computed, "local");
      known(t.grad, reached, "grad");
      shown(t.claim.data, computed);
      shown(t.claim.grad, reached);
    });
    // the header first (its height is kept: see reserve)
    write.caption(f);
    write.claims(f);
    document.getElementById("count").textContent =
      `step ${current + 1} of ${frames.length} (${f.phase})`;
    marked.forEach(([el, cls]) => el.classList.remove(cls));
    marked = [];
    const mark = (el, cls) => { el.classList.add(cls); marked.push([el, cls]); };
    (nodes.get(f.node) || []).forEach((g) => mark(g, "active"));
    f.near.forEach((id) => (nodes.get(id) || []).forEach((g) => mark(g, "near")));
    f.edges.forEach((id) => {
      const el = document.getElementById(id);
      if (el) mark(el, "flow");
    });
    const rows = f.rows.map((id) => document.getElementById(id)).filter(Boolean);
    rows.forEach((row) => mark(row, "current"));
    // all of the node's rows in the panel where they fit, its first row always
    [rows[rows.length - 1], rows[0]].forEach((row) => row && reveal(row));
    if (focus(f.node, f.near)) document.body.dataset.frame = String(current);
    else delete document.body.dataset.frame; // drawn once the view has its size
  }
  // the caption and the claims line: each as tall as its tallest text at this width (up to its CSS
  // max-height), so stepping never moves the drawing and the trace below them
  const write = {
    caption: (f) => { document.getElementById("caption").textContent = f.caption; },
    claims: (f) => document.getElementById("claims").replaceChildren(...(f.claims || []).map((c, j) => {
      const span = document.createElement("span");
      span.className = c.ok ? "ok" : "wrong";
      span.textContent = (j ? " " : "") + c.text;
      return span;
    })),
  };
  const length = { caption: (f) => f.caption.length,
    claims: (f) => (f.claims || []).reduce((n, c) => n + c.text.length + 1, 0) };
  let reservedFor = -1; // the header's width the heights were measured at
  function reserve() {
    const width = document.querySelector("header").clientWidth;
    if (!frames.length || width === reservedFor) return;
    reservedFor = width;
    Object.keys(write).forEach((id) => {
      const el = document.getElementById(id);
      el.style.minHeight = "";
      // monospace text: the longest texts wrap to the most lines (a few, not every frame, are measured)
      const longest = frames.slice().sort((p, q) => length[id](q) - length[id](p)).slice(0, 24);
      // (its height: the text's, up to the max-height)
      el.style.minHeight = `${Math.max(...longest.map((f) => {
        write[id](f);
        return el.getBoundingClientRect().height;
      }))}px`;
    });
    if (frames[current]) { write.caption(frames[current]); write.claims(frames[current]); }
  }
  const side = document.getElementById("side");
  function reveal(row) { // scroll the trace panel, and nothing else (not a notebook around it), to row
    const r = row.getBoundingClientRect(), top = side.getBoundingClientRect().top + side.clientTop;
    if (r.top < top) side.scrollTop += r.top - top;
    else if (r.bottom > top + side.clientHeight) side.scrollTop += r.bottom - top - side.clientHeight;
  }
  function pan(dx, dy) { // by a fraction of the view
    setBox({ x: box.x + dx * view.clientWidth / scale(), y: box.y + dy * view.clientHeight / scale(),
      w: box.w, h: box.h });
  }
  function opening() { // a drawing too big to read whole opens at its output, readable
    if (!view.clientWidth || !view.clientHeight) return false;
    const last = [...nodes.keys()].sort((p, q) => q.slice(1) - p.slice(1))[0]; // the output: drawn last
    fitWhole();
    if (last && scale() < WHOLE_SCALE) zoomTo(boxOf(nodes.get(last)[0]));
    return true;
  }
  function zoomCentre(factor) {
    const r = view.getBoundingClientRect();
    const p = toSvg(r.left + view.clientWidth / 2, r.top + view.clientHeight / 2);
    zoomAt(factor, p.x, p.y);
  }
  const buttons = { first: () => show(0), prev: () => show(current - 1), next: () => show(current + 1),
    last: () => show(frames.length - 1), fit: fitWhole, zoomin: () => zoomCentre(1.25),
    zoomout: () => zoomCentre(0.8) };
  Object.entries(buttons).forEach(([id, fn]) => { document.getElementById(id).onclick = fn; });
  // the arrows step through the frames; a drawing alone has none, so there they pan
  const steps = { ArrowLeft: buttons.prev, ArrowRight: buttons.next, Home: buttons.first, End: buttons.last };
  const pans = { ArrowLeft: () => pan(-0.25, 0), ArrowRight: () => pan(0.25, 0),
    ArrowUp: () => pan(0, -0.25), ArrowDown: () => pan(0, 0.25) };
  const keys = Object.assign(frames.length ? steps : pans,
    { "0": fitWhole, "+": buttons.zoomin, "=": buttons.zoomin, "-": buttons.zoomout });
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return; // the browser's own zoom (Ctrl +) stays the reader's
    const t = e.target;
    if (t.isContentEditable || (t.closest && t.closest("input, textarea, select"))) return; // typing
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  // what a frame shows: the step-through's frame, or a drawing's opening view
  const draw = frames.length ? () => show(current) : () => {
    if (opening()) document.body.dataset.frame = "none";
  };
  if (!frames.length) {
    document.body.classList.add("static");
    document.querySelector(".hint").textContent += " \u00b7 keys: arrows pan, + \u2212 zoom, 0 whole graph";
  }
  // a page with claims keeps a line for them, so the panels do not jump from frame to frame
  if (frames.some((f) => (f.claims || []).length)) document.body.classList.add("claimed");
  reserve();
  draw();
  // inside a notebook's iframe the page may get its size only after this script ran; a new size
  // (a turned phone, a resized window) brings the frame's nodes into view again
  let size = [view.clientWidth, view.clientHeight].join();
  new ResizeObserver(() => {
    reserve(); // a new width wraps the header's texts anew
    const now = [view.clientWidth, view.clientHeight].join();
    if ((frames.length && now !== size) || document.body.dataset.frame === undefined) draw();
    size = now;
  }).observe(view);
})();
