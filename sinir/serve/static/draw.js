// The Draw page: a canvas to draw on; after each stroke the picture goes to POST /api/predict.
"use strict";

const STRINGS = {
  en: {
    "nav-draw": "Draw", "nav-backprop": "Backprop", "nav-train": "Train",
    title: "Draw a digit",
    lead: "Draw one digit with the mouse or a finger. After each stroke the model guesses; the picture " +
          "goes through the same preparation as the sinir predict command.",
    clear: "Clear", prediction: "Prediction", sees: "What the model sees (28×28)",
    probabilities: "Probabilities", maps: "Feature maps of every convolution",
    "maps-empty": "Draw a digit to see them.", "no-conv": "This model has no convolution.",
    model: "model", channels: "channels", shown: "shown",
  },
  tr: {
    "nav-draw": "Çiz", "nav-backprop": "Geri yayılım", "nav-train": "Eğit",
    title: "Bir rakam çizin",
    lead: "Fareyle ya da parmağınızla tek bir rakam çizin. Her çizgiden sonra model tahmin eder; resim " +
          "sinir predict komutundakiyle aynı hazırlıktan geçer.",
    clear: "Temizle", prediction: "Tahmin", sees: "Modelin gördüğü (28×28)",
    probabilities: "Olasılıklar", maps: "Her konvolüsyonun öznitelik haritaları",
    "maps-empty": "Görmek için bir rakam çizin.", "no-conv": "Bu modelde konvolüsyon yok.",
    model: "model", channels: "kanal", shown: "gösterilen",
  },
};

const pad = document.getElementById("pad");
const pen = pad.getContext("2d");
let drawing = false;
let lastPoint = null;
let requestNumber = 0;
let lastAnswer = null;
let modelInfo = null;

function clearPad() {
  // A white background: transparent pixels would have to be guessed as paper by the decoder.
  pen.fillStyle = "white";
  pen.fillRect(0, 0, pad.width, pad.height);
  document.getElementById("digit").textContent = "?";
  document.getElementById("error").textContent = "";
  lastAnswer = null;
  showAnswer();
}

function pointOf(event) {
  const box = pad.getBoundingClientRect();
  return {x: (event.clientX - box.left) * pad.width / box.width, y: (event.clientY - box.top) * pad.height / box.height};
}

function line(from, to) {
  pen.strokeStyle = "black";
  pen.lineWidth = pad.width / 14;      // about the thickness of an MNIST stroke once scaled to 28x28
  pen.lineCap = "round";
  pen.lineJoin = "round";
  pen.beginPath();
  pen.moveTo(from.x, from.y);
  pen.lineTo(to.x, to.y);
  pen.stroke();
}

// Pointer events cover the mouse, a pen and a finger alike.
pad.addEventListener("pointerdown", (event) => {
  drawing = true;
  pad.setPointerCapture(event.pointerId);
  lastPoint = pointOf(event);
  line(lastPoint, lastPoint);
});
pad.addEventListener("pointermove", (event) => {
  if (!drawing) return;
  const point = pointOf(event);
  line(lastPoint, point);
  lastPoint = point;
});
function endStroke() {
  if (!drawing) return;
  drawing = false;
  predict();
}
pad.addEventListener("pointerup", endStroke);
pad.addEventListener("pointercancel", endStroke);

// The page numbers its requests (data-requested) and says which one it shows (data-shown): an
// answer that arrives after a later stroke's request was sent is dropped.
async function predict() {
  const number = ++requestNumber;
  const digit = document.getElementById("digit");
  digit.dataset.requested = String(number);
  try {
    const answer = await Sinir.api("/api/predict", {image: pad.toDataURL("image/png")});
    if (number !== requestNumber) return;     // a later stroke's answer is on its way
    lastAnswer = answer;
    document.getElementById("error").textContent = "";
    showAnswer();
    digit.dataset.shown = String(number);
  } catch (problem) {
    if (number === requestNumber) document.getElementById("error").textContent = problem.message;
  }
}

function showAnswer() {
  const answer = lastAnswer;
  document.getElementById("digit").textContent = answer ? String(answer.digit) : "?";
  showPixels(document.getElementById("input"), answer ? answer.input : null);
  showBars(answer ? answer.probabilities : null, answer ? answer.digit : -1);
  showMaps(answer ? answer.feature_maps : null);
}

// Grey levels in [lowest, highest] onto a canvas of the image's own size (CSS scales it up).
function showPixels(canvas, rows) {
  const context = canvas.getContext("2d");
  if (!rows) {
    context.clearRect(0, 0, canvas.width, canvas.height);
    return;
  }
  const values = rows.flat();
  const lowest = Math.min(...values);
  const range = Math.max(...values) - lowest || 1;
  canvas.height = rows.length;
  canvas.width = rows[0].length;
  const image = context.createImageData(canvas.width, canvas.height);
  values.forEach((value, index) => {
    const grey = Math.round(255 * (value - lowest) / range);
    image.data.set([grey, grey, grey, 255], 4 * index);
  });
  context.putImageData(image, 0, 0);
}

function showBars(probabilities, best) {
  const bars = document.getElementById("bars");
  bars.replaceChildren();
  for (let digit = 0; digit < 10; digit++) {
    const p = probabilities ? probabilities[digit] : 0;
    const row = document.createElement("div");
    row.style.display = "contents";
    if (digit === best) row.className = "best";
    row.innerHTML = `<span>${digit}</span><div class="bar"><span style="width: ${(100 * p).toFixed(1)}%"></span></div>` +
                    `<span class="value" data-digit="${digit}">${probabilities ? p.toFixed(3) : ""}</span>`;
    bars.appendChild(row);
  }
}

function showMaps(layers) {
  const box = document.getElementById("feature-maps");
  box.replaceChildren();
  if (!layers) {
    box.innerHTML = `<span class="muted">${Sinir.t("maps-empty")}</span>`;
    return;
  }
  if (layers.length === 0) {
    box.innerHTML = `<span class="muted">${Sinir.t("no-conv")}</span>`;
    return;
  }
  for (const layer of layers) {
    const title = document.createElement("div");
    title.className = "layer-name";
    title.textContent = `${layer.layer} · ${layer.channels} ${Sinir.t("channels")}` +
      (layer.maps.length < layer.channels ? ` (${layer.maps.length} ${Sinir.t("shown")})` : "") +
      ` · ${layer.maps[0].length}×${layer.maps[0][0].length}`;
    const maps = document.createElement("div");
    maps.className = "maps";
    for (const map of layer.maps) {
      const canvas = document.createElement("canvas");
      canvas.className = "pixels";
      showPixels(canvas, map);
      maps.appendChild(canvas);
    }
    box.append(title, maps);
  }
}

document.getElementById("clear").addEventListener("click", clearPad);

Sinir.setupLanguage(STRINGS, () => {
  showAnswer();
  if (modelInfo) {
    document.getElementById("model-name").textContent =
      `${Sinir.t("model")}: ${modelInfo.model} (${modelInfo.checkpoint})`;
  }
});
clearPad();
Sinir.api("/api/model").then((info) => {
  modelInfo = info;
  document.getElementById("model-name").textContent = `${Sinir.t("model")}: ${info.model} (${info.checkpoint})`;
}).catch(() => {});
