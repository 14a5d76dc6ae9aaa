// The Backprop page: the lecture's 3-3-3-3 network as SVG, stepped through POST /api/backprop/step.
"use strict";

const STRINGS = {
  en: {
    "nav-draw": "Draw", "nav-backprop": "Backprop", "nav-train": "Train",
    title: "Backpropagation on the lecture's 3-3-3-3 network",
    lead: "One training step, a phase at a time: the forward pass, the error, the backward pass and the " +
          "update. Every number is computed exactly by sinir's autograd; the switch puts the slide's printed " +
          "numbers beside them.",
    forward: "1 Forward", error: "2 Error", backward: "3 Backward", update: "4 Update",
    reset: "Start again from the lecture", inputs: "inputs", lr: "learning rate",
    "slide-switch": "the slide's way beside it", values: "Values",
    legend: "Near the start of an edge: its weight; in red near its end: dE/dW after the backward pass. " +
            "Biases start at 1.",
    quantity: "quantity", exact: "exact (sinir)", slide: "the slide",
    iteration: "step", "layer-i": "i (inputs)", "layer-h1": "h1 (ReLU)", "layer-h2": "h2 (sigmoid)",
    "layer-o": "O (softmax)", "not-lecture": "The slide's numbers are for the lecture's own " +
      "inputs, weights and learning rate; change nothing (or start again) to see them.",
    "title-forward": "Forward pass", "title-error": "Error", "title-backward": "Backward pass",
    "title-update": "Update: w ← w − lr · dE/dw", "title-none": "Press 1 Forward to begin.",
    "note-forward": "The slide's O_out are O_in / sum(O_in): it divides without taking the exponential. " +
      "The softmax is e^O_in / sum(e^O_in).",
    "note-error": "E = −Σ [y ln O + (1 − y) ln(1 − O)], the lecture's error, with natural logarithms. " +
      "The slide's dE/dO_out has a sign error for the two wrong classes.",
    "note-backward": "The slide keeps only the diagonal of the softmax's Jacobian and one path through each " +
      "hidden unit; autograd sums every path.",
    "note-update": "The new weights become the network's: press 1 Forward for the next step.",
  },
  tr: {
    "nav-draw": "Çiz", "nav-backprop": "Geri yayılım", "nav-train": "Eğit",
    title: "Dersin 3-3-3-3 ağında geri yayılım",
    lead: "Bir eğitim adımı, aşama aşama: ileri geçiş, hata, geri geçiş ve güncelleme. Her sayı sinir'in " +
          "autograd'ı ile tam olarak hesaplanır; anahtar, slaytta yazan sayıları yanına koyar.",
    forward: "1 İleri", error: "2 Hata", backward: "3 Geri", update: "4 Güncelle",
    reset: "Dersin başına dön", inputs: "girdiler", lr: "öğrenme oranı",
    "slide-switch": "slaytın yolu yanında", values: "Değerler",
    legend: "Kenarın başında: ağırlığı; kırmızıyla sonunda: geri geçişten sonra dE/dW. Bias'lar 1'den başlar.",
    quantity: "büyüklük", exact: "tam (sinir)", slide: "slayt",
    iteration: "adım", "layer-i": "i (girdiler)", "layer-h1": "h1 (ReLU)", "layer-h2": "h2 (sigmoid)",
    "layer-o": "O (softmax)", "not-lecture": "Slayttaki sayılar dersin kendi girdileri, " +
      "ağırlıkları ve öğrenme oranı içindir; görmek için hiçbir şeyi değiştirmeyin (ya da başa dönün).",
    "title-forward": "İleri geçiş", "title-error": "Hata", "title-backward": "Geri geçiş",
    "title-update": "Güncelleme: w ← w − lr · dE/dw", "title-none": "Başlamak için 1 İleri'ye basın.",
    "note-forward": "Slayttaki O_out değerleri O_in / toplam(O_in): üstel almadan bölüyor. " +
      "Softmax e^O_in / toplam(e^O_in)'dir.",
    "note-error": "E = −Σ [y ln O + (1 − y) ln(1 − O)], dersin hatası, doğal logaritmayla. " +
      "Slayttaki dE/dO_out iki yanlış sınıf için işaret hatası içeriyor.",
    "note-backward": "Slayt softmax Jacobian'ının yalnızca köşegenini ve her gizli birimden tek yolu alıyor; " +
      "autograd bütün yolları toplar.",
    "note-update": "Yeni ağırlıklar ağın olur: sonraki adım için 1 İleri'ye basın.",
  },
};

const PHASES = ["forward", "error", "backward", "update"];
const LAYERS = [
  {key: "i", title: "i (inputs)", unit: "i"},      // titles: also in STRINGS, by language
  {key: "h1", title: "h1 (ReLU)", unit: "j"},
  {key: "h2", title: "h2 (sigmoid)", unit: "k"},
  {key: "o", title: "O (softmax)", unit: "l"},
];
const WEIGHTS = ["W_ij", "W_jk", "W_kl"];              // W[a][b]: from unit a of a layer to unit b of the next
const BIASES = ["b_j", "b_k", "b_l"];
const X = [80, 370, 660, 950];
const Y = [110, 240, 370];
const SVG = "http://www.w3.org/2000/svg";

let lecture = null;        // the lecture's starting point, from the server
let state = null;          // {inputs, lr, weights, phase: -1..3, result, step}

function number(value, digits = 6) {
  return String(Number(Number(value).toPrecision(digits)));
}

function svgElement(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

// The network: 27 edges with their weight labels (at 30% of the way) and gradient labels (at 70%),
// 12 nodes with room for their values underneath. Labels at those fractions never overlap: from
// the three source heights, 30% and 70% of the way give nine distinct heights.
function drawNetwork() {
  const svg = document.getElementById("network");
  svg.replaceChildren();
  const at = (a, b, t) => [X[a] + t * (X[a + 1] - X[a]), Y[b.from] + t * (Y[b.to] - Y[b.from])];
  WEIGHTS.forEach((name, layer) => {
    const short = name.slice(2);                       // "ij", "jk", "kl"
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        svg.appendChild(svgElement("line", {x1: X[layer], y1: Y[from], x2: X[layer + 1], y2: Y[to],
                                            id: `edge_${short}_${from}_${to}`}));
      }
    }
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        const [wx, wy] = at(layer, {from, to}, 0.3);
        svg.appendChild(svgElement("text", {x: wx, y: wy + 4, "text-anchor": "middle", class: "edge",
                                            id: `w_${short}_${from}_${to}`}));
        const [gx, gy] = at(layer, {from, to}, 0.7);
        svg.appendChild(svgElement("text", {x: gx, y: gy + 4, "text-anchor": "middle", class: "edge grad",
                                            id: `g_${short}_${from}_${to}`}));
      }
    }
  });
  LAYERS.forEach((layer, index) => {
    svg.appendChild(svgElement("text", {x: X[index], y: 40, "text-anchor": "middle", class: "layer-title",
                                        "data-i18n": `layer-${layer.key}`}, layer.title));
    for (let unit = 0; unit < 3; unit++) {
      svg.appendChild(svgElement("circle", {cx: X[index], cy: Y[unit], r: 22, id: `node_${layer.key}_${unit}`}));
      svg.appendChild(svgElement("text", {x: X[index], y: Y[unit] + 4, "text-anchor": "middle",
                                          class: "node-name"}, `${layer.unit}${unit + 1}`));
      svg.appendChild(svgElement("text", {x: X[index], y: Y[unit] + 38, "text-anchor": "middle",
                                          id: `value_${layer.key}_${unit}`}));
      svg.appendChild(svgElement("text", {x: X[index], y: Y[unit] + 52, "text-anchor": "middle", class: "grad",
                                          id: `delta_${layer.key}_${unit}`}));
    }
  });
  svg.appendChild(svgElement("text", {x: 1040 - 10, y: 455, "text-anchor": "end", id: "error-value",
                                      class: "layer-title"}));
}

function setText(id, text, attributes = {}) {
  const element = document.getElementById(id);
  element.textContent = text;
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
}

// Put the current state's numbers on the graph: what the phases done so far have computed.
function showNetwork() {
  const result = state.result;
  const done = state.phase;
  const updated = done >= 3;
  WEIGHTS.forEach((name) => {
    const short = name.slice(2);
    const shown = updated ? result.update[name] : state.weights[name];
    for (let from = 0; from < 3; from++) {
      for (let to = 0; to < 3; to++) {
        const id = `w_${short}_${from}_${to}`;
        setText(id, number(shown[from][to]), {"data-value": String(shown[from][to])});
        document.getElementById(id).classList.toggle("changed", updated);
        const gradient = done >= 2 ? result.backward[`dE_d${name}`][from][to] : null;
        setText(`g_${short}_${from}_${to}`, gradient === null ? "" : number(gradient, 4),
                {"data-value": gradient === null ? "" : String(gradient)});
        document.getElementById(`edge_${short}_${from}_${to}`).setAttribute(
          "class", done >= 2 ? "gradient" : done >= 0 ? "active" : "");
      }
    }
  });
  const forward = done >= 0 ? result.forward : null;
  const backward = done >= 2 ? result.backward : null;
  for (let unit = 0; unit < 3; unit++) {
    setText(`value_i_${unit}`, number(state.inputs[unit]));
    const values = {
      h1: forward && `${number(forward.h1_in[unit], 4)} → ${number(forward.h1_out[unit], 4)}`,
      h2: forward && `${number(forward.h2_in[unit], 4)} → ${number(forward.h2_out[unit], 4)}`,
      o: forward && `${number(forward.o_in[unit], 4)} → ${number(forward.o_out[unit], 4)}`,
    };
    const deltas = {
      h1: backward && `δ ${number(backward.dE_dh1_out[unit], 4)}`,
      h2: backward && `δ ${number(backward.dE_dh2_out[unit], 4)}`,
      o: done >= 1 && `y ${result.target[unit]} · dE/dO ${number(result.error.dE_do_out[unit], 4)}`,
    };
    for (const key of ["h1", "h2", "o"]) {
      setText(`value_${key}_${unit}`, values[key] || "");
      setText(`delta_${key}_${unit}`, deltas[key] || "");
      document.getElementById(`node_${key}_${unit}`).classList.toggle("on", Boolean(forward));
    }
  }
  setText("error-value", done >= 1 ? `E = ${number(result.error.E)}` : "");
  setText("iteration", `${Sinir.t("iteration")} ${state.step}`);
}

// The table beside the graph: the current phase's quantities, exact and (switch on) the slide's.
const ROWS = {
  forward: [["forward", "h1_in"], ["forward", "h1_out"], ["forward", "h2_in"], ["forward", "h2_out"],
            ["forward", "o_in"], ["forward", "o_out"]],
  error: [["error", "E"], ["error", "dE_do_out"]],
  backward: [["backward", "dE_do_in"], ["backward", "do_out_do_in"], ["backward", "dE_dh2_out"],
             ["backward", "dh2_out_dh2_in"], ["backward", "dE_dh2_in"], ["backward", "dE_dh1_out"],
             ["backward", "dE_dh1_in"], ["backward", "dE_dW_kl"], ["backward", "dE_dW_jk"], ["backward", "dE_dW_ij"],
             ["backward", "dE_db_l"], ["backward", "dE_db_k"], ["backward", "dE_db_j"]],
  update: [["update", "W_kl"], ["update", "W_jk"], ["update", "W_ij"], ["update", "b_l"], ["update", "b_k"],
           ["update", "b_j"]],
};

function cell(value, className) {
  const td = document.createElement("td");
  td.className = `num ${className}`;
  if (value === undefined || value === null) {
    td.textContent = "—";
  } else if (Array.isArray(value) && Array.isArray(value[0])) {
    td.textContent = value.map((row) => row.map((v) => number(v, 5).padStart(9)).join(" ")).join("\n");
  } else if (Array.isArray(value)) {
    td.textContent = value.map((v) => number(v, 5).padStart(9)).join(" ");
  } else {
    td.textContent = number(value, 5);
  }
  return td;
}

function showTable() {
  const table = document.getElementById("values");
  table.replaceChildren();
  const phase = state.phase >= 0 ? PHASES[state.phase] : "none";
  setText("table-title", Sinir.t(`title-${phase}`));
  const withSlide = document.getElementById("slide-switch").checked;
  const note = document.getElementById("note");
  note.textContent = phase === "none" ? "" : Sinir.t(`note-${phase}`);
  if (phase === "none") return;
  const head = document.createElement("tr");
  head.innerHTML = `<th>${Sinir.t("quantity")}</th><th>${Sinir.t("exact")}</th>` +
                   (withSlide ? `<th>${Sinir.t("slide")}</th>` : "");
  table.appendChild(head);
  const slide = state.result.slide;
  for (const [group, key] of ROWS[phase]) {
    const exact = (state.result[group] || {})[key];
    const printed = slide && slide[group] ? slide[group][key] : undefined;
    if (exact === undefined && (!withSlide || printed === undefined)) continue;
    const row = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = key;
    row.append(name, cell(exact, "exact"));
    if (withSlide) row.appendChild(cell(printed, "slide"));
    table.appendChild(row);
  }
  if (withSlide && !slide) note.textContent = Sinir.t("not-lecture");
}

function showButtons() {
  document.querySelectorAll("[data-phase]").forEach((button) => {
    const phase = Number(button.dataset.phase);
    button.classList.toggle("done", phase <= state.phase);
    // the next phase, or any phase already done; after an update, Forward starts the next step
    button.disabled = !(phase <= state.phase + 1 || (state.phase === 3 && phase === 0));
  });
}

function show() {
  showNetwork();
  showTable();
  showButtons();
}

let waiting = false;       // one request at a time: a click while one is on its way is ignored

async function runPhase(phase) {
  if (waiting) return;
  // after an update, Forward starts the next step from the updated weights
  const nextStep = state.phase === 3 && phase === 0;
  const weights = nextStep ? updatedWeights() : state.weights;
  waiting = true;
  try {
    const result = await Sinir.api("/api/backprop/step", {
      phase: PHASES[phase], lr: state.lr, inputs: state.inputs, weights});
    if (nextStep) {
      state.weights = weights;
      state.step += 1;
    }
    state.result = result;
    state.phase = phase;
    document.getElementById("error").textContent = "";
    show();
    document.getElementById("network").dataset.phase = PHASES[phase];
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  } finally {
    waiting = false;
  }
}

function updatedWeights() {
  const update = state.result.update;
  return Object.fromEntries([...WEIGHTS, ...BIASES].map((name) => [name, update[name]]));
}

function reset() {
  state = {inputs: [...lecture.inputs], lr: lecture.lr, weights: structuredClone(lecture.weights), phase: -1,
           result: null, step: 1};
  for (let unit = 0; unit < 3; unit++) document.getElementById(`input-${unit}`).value = state.inputs[unit];
  document.getElementById("lr").value = state.lr;
  document.getElementById("network").dataset.phase = "none";
  show();
}

// Editing an input or the learning rate starts the step again from the forward pass (same weights).
function edited() {
  const inputs = [0, 1, 2].map((unit) => Number(document.getElementById(`input-${unit}`).value));
  const lr = Number(document.getElementById("lr").value);
  if (inputs.some((value) => !Number.isFinite(value)) || !(lr > 0)) return;
  if (state.phase === 3) {
    state.weights = updatedWeights();
    state.step += 1;
  }
  Object.assign(state, {inputs, lr, phase: -1, result: null});
  show();
}

drawNetwork();
document.querySelectorAll("[data-phase]").forEach((button) => {
  button.addEventListener("click", () => runPhase(Number(button.dataset.phase)));
});
document.getElementById("reset").addEventListener("click", reset);
document.getElementById("slide-switch").addEventListener("change", showTable);
["input-0", "input-1", "input-2", "lr"].forEach((id) => document.getElementById(id).addEventListener("change", edited));
Sinir.setupLanguage(STRINGS, () => { if (state) show(); });
Sinir.api("/api/backprop/lecture").then((start) => {
  lecture = start;
  reset();
}).catch((problem) => { document.getElementById("error").textContent = problem.message; });
