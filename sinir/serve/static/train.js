// The Train page: POST /api/train starts a run; its events arrive by server-sent events and are drawn.
"use strict";

const STRINGS = {
  en: {
    "nav-draw": "Draw", "nav-backprop": "Backprop", "nav-train": "Train",
    title: "Train a network",
    lead: "A short training run on MNIST, watched live. The run is saved under runs/ like one started " +
          "with sinir train.",
    model: "model", optimizer: "optimizer", epochs: "epochs", lr: "learning rate (peak)", images: "training images",
    start: "Start training", use: "Use this model on the Draw page", loss: "Loss", accuracy: "Accuracy",
    batch: "batch loss", validation: "validation", "train-acc": "batch accuracy", epoch: "epoch",
    step: "step", starting: "starting…", done: "done", "test-accuracy": "test accuracy", saved: "saved in",
    using: "The Draw page now uses", stopped: "stopped",
  },
  tr: {
    "nav-draw": "Çiz", "nav-backprop": "Geri yayılım", "nav-train": "Eğit",
    title: "Bir ağ eğitin",
    lead: "MNIST üzerinde kısa bir eğitim, canlı izlenir. Eğitim, sinir train ile başlatılmış gibi runs/ " +
          "altına kaydedilir.",
    model: "model", optimizer: "optimizer", epochs: "epoch", lr: "öğrenme oranı (tepe)", images: "eğitim resmi",
    start: "Eğitimi başlat", use: "Bu modeli Çiz sayfasında kullan", loss: "Kayıp", accuracy: "Doğruluk",
    batch: "batch kaybı", validation: "doğrulama", "train-acc": "batch doğruluğu", epoch: "epoch",
    step: "adım", starting: "başlıyor…", done: "bitti", "test-accuracy": "test doğruluğu", saved: "kayıt yeri",
    using: "Çiz sayfası artık şunu kullanıyor", stopped: "durdu",
  },
};

// One chart: a line of per-batch values and dots for per-epoch validation values, x in steps.
class Chart {
  constructor(canvas, {lowest = null, highest = null, legendAt = "top"} = {}) {
    this.canvas = canvas;
    this.fixed = {lowest, highest};
    this.legendAt = legendAt;         // "top" or "bottom" right corner: where the curve is not
    this.reset(1);
  }

  reset(totalSteps) {
    this.totalSteps = Math.max(1, totalSteps);
    this.line = [];
    this.dots = [];
    this.draw();
  }

  add(step, value) {
    this.line.push([step, value]);
    this.canvas.dataset.points = String(this.line.length);
    this.draw();
  }

  addDot(step, value) {
    this.dots.push([step, value]);
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth || 560;
    const height = canvas.clientHeight || 280;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const margin = {left: 48, right: 12, top: 12, bottom: 28};
    const values = [...this.line, ...this.dots].map(([, value]) => value);
    let lowest = this.fixed.lowest ?? (values.length ? Math.min(...values) : 0);
    let highest = this.fixed.highest ?? (values.length ? Math.max(...values) : 1);
    if (highest - lowest < 1e-9) highest = lowest + 1;
    const x = (step) => margin.left + (width - margin.left - margin.right) * step / this.totalSteps;
    const y = (value) => height - margin.bottom - (height - margin.top - margin.bottom) * (value - lowest) / (highest - lowest);
    // grid and labels
    context.strokeStyle = "#e3e7ee";
    context.fillStyle = "#5b6575";
    context.font = "11px system-ui, sans-serif";
    context.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const value = lowest + (highest - lowest) * i / 4;
      context.beginPath();
      context.moveTo(margin.left, y(value));
      context.lineTo(width - margin.right, y(value));
      context.stroke();
      context.fillText(value.toFixed(value < 10 ? 2 : 0), 6, y(value) + 4);
    }
    context.fillText(`${Sinir.t("step")} ${this.totalSteps}`, width - margin.right - 60, height - 8);
    context.fillText("0", margin.left, height - 8);
    // the batches
    context.strokeStyle = "#2364aa";
    context.lineWidth = 1.5;
    context.beginPath();
    this.line.forEach(([step, value], index) => {
      if (index === 0) context.moveTo(x(step), y(value));
      else context.lineTo(x(step), y(value));
    });
    context.stroke();
    // validation after each epoch
    context.fillStyle = "#b26a00";
    for (const [step, value] of this.dots) {
      context.beginPath();
      context.arc(x(step), y(value), 4.5, 0, 2 * Math.PI);
      context.fill();
    }
    // legend, in the corner the curve leaves free
    const left = width - margin.right - 120;
    const top = this.legendAt === "top" ? margin.top + 4 : height - margin.bottom - 34;
    context.fillStyle = "#2364aa";
    context.fillRect(left, top, 14, 3);
    context.fillStyle = "#5b6575";
    context.fillText(this.label || "", left + 18, top + 5);
    context.fillStyle = "#b26a00";
    context.beginPath();
    context.arc(left + 7, top + 18, 4, 0, 2 * Math.PI);
    context.fill();
    context.fillStyle = "#5b6575";
    context.fillText(Sinir.t("validation"), left + 18, top + 22);
  }
}

const lossChart = new Chart(document.getElementById("loss-chart"), {lowest: 0});
const accuracyChart = new Chart(document.getElementById("accuracy-chart"), {lowest: 0, highest: 1, legendAt: "bottom"});
let run = null;         // {id, out, batches, epochs, done}

function say(text, state) {
  const status = document.getElementById("status");
  status.textContent = text;
  if (state) status.dataset.state = state;
}

function log(text) {
  const box = document.getElementById("log");
  box.textContent += text + "\n";
  box.scrollTop = box.scrollHeight;
}

function fillChoices(choices) {
  for (const name of ["model", "optimizer", "epochs", "lr", "images"]) {
    const select = document.getElementById(name);
    select.replaceChildren(...choices[name].map((value) => new Option(String(value), String(value))));
    select.value = String(choices.default[name]);
  }
}

function chosen() {
  const value = (name) => document.getElementById(name).value;
  return {model: value("model"), optimizer: value("optimizer"), epochs: Number(value("epochs")),
          lr: Number(value("lr")), images: Number(value("images"))};
}

async function start() {
  document.getElementById("error").textContent = "";
  document.getElementById("use").hidden = true;
  document.getElementById("log").textContent = "";
  try {
    const started = await Sinir.api("/api/train", chosen());
    run = {id: started.id, out: started.out};
    document.getElementById("start").disabled = true;
    say(Sinir.t("starting"), "running");
    listen(run.id);
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  }
}

function listen(id) {
  const events = new EventSource(`/api/train/${encodeURIComponent(id)}/events`);
  const data = (event) => JSON.parse(event.data);
  events.addEventListener("log", (event) => log(data(event).message));     // sinir train's own lines
  events.addEventListener("start", (event) => {
    const info = data(event);
    Object.assign(run, info);
    lossChart.reset(info.epochs * info.batches);
    accuracyChart.reset(info.epochs * info.batches);
  });
  events.addEventListener("batch", (event) => {
    const batch = data(event);
    lossChart.add(batch.step, batch.loss);
    if (batch.accuracy !== null) accuracyChart.add(batch.step, batch.accuracy);
    say(`${Sinir.t("epoch")} ${batch.epoch}/${run.epochs} · ${Sinir.t("step")} ${batch.step}/${run.epochs * run.batches}` +
        ` · ${Sinir.t("loss").toLowerCase()} ${batch.running_loss.toFixed(4)}` +
        (batch.running_accuracy !== null ? ` · ${Sinir.t("accuracy").toLowerCase()} ${batch.running_accuracy.toFixed(4)}` : ""));
  });
  events.addEventListener("epoch", (event) => {
    const epoch = data(event);
    const step = epoch.epoch * run.batches;
    if (epoch.val_loss !== null) lossChart.addDot(step, epoch.val_loss);
    if (epoch.val_accuracy !== null) accuracyChart.addDot(step, epoch.val_accuracy);
  });
  const finish = (text, state) => {
    events.close();
    document.getElementById("start").disabled = false;
    say(text, state);
  };
  events.addEventListener("done", (event) => {
    const done = data(event);
    run.done = done;
    finish(`${Sinir.t(done.stopped ? "stopped" : "done")}: ${Sinir.t("test-accuracy")} ${done.test_accuracy.toFixed(4)} ` +
           `(${done.seconds.toFixed(1)} s)` + (done.checkpoint ? ` · ${Sinir.t("saved")} ${done.checkpoint}` : ""), "done");
    document.getElementById("use").hidden = !done.checkpoint;
  });
  events.addEventListener("failed", (event) => {          // the run's own error, in one line
    document.getElementById("error").textContent = data(event).error;
    finish("", "failed");
  });
}

async function useModel() {
  try {
    const info = await Sinir.api("/api/model", {run: run.id});
    log(`${Sinir.t("using")} ${info.checkpoint}`);
  } catch (problem) {
    document.getElementById("error").textContent = problem.message;
  }
}

document.getElementById("start").addEventListener("click", start);
document.getElementById("use").addEventListener("click", useModel);
Sinir.setupLanguage(STRINGS, () => {
  lossChart.label = Sinir.t("batch");
  accuracyChart.label = Sinir.t("train-acc");
  lossChart.draw();
  accuracyChart.draw();
});
Sinir.api("/api/train/choices").then(fillChoices).catch((problem) => {
  document.getElementById("error").textContent = problem.message;
});
