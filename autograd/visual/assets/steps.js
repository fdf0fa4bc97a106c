"use strict";
// The step-through page: one SVG drawing, frames applied to it from the JSON state.
// A frame shows values (forward) or gradients (backward) of the nodes done so far,
// highlights its node and neighbours, and pans/zooms so they are on screen and readable.
(function () {
  const state = JSON.parse(document.getElementById("state").textContent);
  const view = document.getElementById("view");
  const svg = view.querySelector("svg");
  const frames = state.frames;
  const MIN_TEXT_SCALE = 1.15; // screen px per SVG unit: 12-unit node text stays above 11 px
  const GRAD_INK = "#b71c1c";
  const LOCAL_INK = "#1565c0";

  // -- the drawing: nodes by id (a shared leaf can be drawn once per use: id_0, id_1, ...)
  const nodes = new Map();
  svg.querySelectorAll("g.node").forEach((g) => {
    if (!/^n\d+(_\d+)?$/.test(g.id)) return; // the legend and notes are not graph nodes
    const base = g.id.replace(/_\d+$/, "");
    if (!nodes.has(base)) nodes.set(base, []);
    nodes.get(base).push(g);
  });
  const texts = new Map(); // id -> {data: [...], grad: [...], local: [...]} text elements
  nodes.forEach((gs, id) => {
    const kinds = { data: [], grad: [], local: [] };
    gs.forEach((g) => g.querySelectorAll("text").forEach((t) => {
      const fill = (t.getAttribute("fill") || "").toLowerCase();
      if (fill === GRAD_INK) kinds.grad.push(t);
      else if (fill === LOCAL_INK) kinds.local.push(t);
      else if (t.textContent.startsWith("data ")) kinds.data.push(t);
      t.dataset.full = t.textContent;
    }));
    texts.set(id, kinds);
  });
  function known(list, yes, unknownText) {
    list.forEach((t) => {
      t.textContent = yes ? t.dataset.full : unknownText(t);
      t.classList.toggle("unknown", !yes);
    });
  }

  // -- the view box: zoom and pan
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  const whole = svg.viewBox.baseVal ? { x: svg.viewBox.baseVal.x, y: svg.viewBox.baseVal.y,
    w: svg.viewBox.baseVal.width, h: svg.viewBox.baseVal.height } : null;
  let box = Object.assign({}, whole);
  function setBox(b) {
    box = b;
    svg.setAttribute("viewBox", `${b.x} ${b.y} ${b.w} ${b.h}`);
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
  view.addEventListener("pointerdown", (e) => {
    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
    view.setPointerCapture(e.pointerId);
    view.classList.add("dragging");
  });
  view.addEventListener("pointermove", (e) => {
    const last = pointers.get(e.pointerId);
    if (!last) return;
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
    pointers.delete(e.pointerId);
    pinch = 0;
    if (pointers.size === 0) view.classList.remove("dragging");
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
  function focus(active, near) {
    const gs = nodes.get(active);
    if (!gs) return; // not drawn (beyond max_nodes)
    const a = boxOf(gs[0]);
    const all = union([a, ...near.map((id) => nearest(id, a)).filter(Boolean)]);
    const W = view.clientWidth, H = view.clientHeight, pad = 40;
    if (!W || !H) return; // not laid out yet (a hidden or unsized frame): the load/resize handler retries
    const fit = Math.min(W / (all.w + 2 * pad), H / (all.h + 2 * pad));
    const s = Math.max(MIN_TEXT_SCALE, Math.min(scale(), fit));
    const target = fit >= MIN_TEXT_SCALE ? all : a; // the active node at least
    const cx = target.x + target.w / 2, cy = target.y + target.h / 2;
    setBox({ x: cx - W / s / 2, y: cy - H / s / 2, w: W / s, h: H / s });
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
      known(t.data, computed, () => "data ?");
      known(t.local, computed, () => "…");
      known(t.grad, backwardStep.has(id) && backwardStep.get(id) <= bwd, () => "grad ?");
    });
    marked.forEach(([el, cls]) => el.classList.remove(cls));
    marked = [];
    const mark = (el, cls) => { el.classList.add(cls); marked.push([el, cls]); };
    (nodes.get(f.node) || []).forEach((g) => mark(g, "active"));
    f.near.forEach((id) => (nodes.get(id) || []).forEach((g) => mark(g, "near")));
    f.edges.forEach((id) => {
      const el = document.getElementById(id);
      if (el) mark(el, "flow");
    });
    f.rows.forEach((id, j) => {
      const row = document.getElementById(id);
      if (!row) return;
      mark(row, "current");
      if (j === 0) row.scrollIntoView({ block: "nearest" });
    });
    document.getElementById("caption").textContent = f.caption;
    document.getElementById("count").textContent =
      `step ${current + 1} of ${frames.length} (${f.phase})`;
    focus(f.node, f.near);
  }
  const buttons = { first: () => show(0), prev: () => show(current - 1), next: () => show(current + 1),
    last: () => show(frames.length - 1), fit: fitWhole };
  Object.entries(buttons).forEach(([id, fn]) => { document.getElementById(id).onclick = fn; });
  document.addEventListener("keydown", (e) => {
    const keys = { ArrowLeft: buttons.prev, ArrowRight: buttons.next, Home: buttons.first, End: buttons.last,
      "0": fitWhole };
    const c = () => toSvg(view.getBoundingClientRect().left + view.clientWidth / 2,
      view.getBoundingClientRect().top + view.clientHeight / 2);
    if (e.key === "+" || e.key === "=") { const p = c(); zoomAt(1.25, p.x, p.y); return; }
    if (e.key === "-") { const p = c(); zoomAt(0.8, p.x, p.y); return; }
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  if (!frames.length) {
    document.body.classList.add("static");
    return;
  }
  show(0);
  // inside a notebook's iframe the page may get its size only after this script ran
  window.addEventListener("load", () => show(current));
  window.addEventListener("resize", () => show(current));
})();
