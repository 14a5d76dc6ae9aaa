"""Write the course notebooks, one Turkish and one English set, and run them to store their outputs
(so that a student sees the results on GitHub without running anything):

    python scripts/make_notebooks.py            # notebooks/tr/*.ipynb and notebooks/en/*.ipynb, executed
    python scripts/make_notebooks.py --no-run   # without outputs

tests/test_notebooks.py runs every notebook again and compares its outputs with the stored ones.
A code cell whose output depends on the machine or the data found (training on MNIST, timings)
carries the tag "volatile": its output is stored but not compared. Every notebook runs with the
full MNIST and with the bundled 6,000-image sample alone.
"""
import argparse
import os
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
VOLATILE = "volatile"


def md(en, tr):
    return ("markdown", {"en": en, "tr": tr}, False)


def code(source, volatile=False):
    """A code cell: one source for both languages (with {lang} filled in), or {"en": ..., "tr": ...}."""
    return ("code", source if isinstance(source, dict) else {"en": source, "tr": source}, volatile)


LOADER = code({lang: """import contextlib, io
from sinir.datasets import MNIST


def load_mnist(transform):
    \"\"\"MNIST from $SINIR_DATA (or the cache), else sinir's bundled sample; says which.\"\"\"
    with contextlib.redirect_stderr(io.StringIO()):     # sinir's own (English) note; said below in one line
        train = MNIST(train=True, transform=transform, download=False)
        test = MNIST(train=False, transform=transform, download=False)
    print(%r if train.is_sample else %r)
    return train, test""" % messages for lang, messages in {
    "en": ("MNIST: the full set was not found ($SINIR_DATA), so the bundled sample is used (6,000 training and "
           "1,000 test images)", "MNIST: the full set"),
    "tr": ("MNIST: tam veri kümesi bulunamadı ($SINIR_DATA), pakete gömülü örnek kullanılıyor (6.000 eğitim ve "
           "1.000 test görüntüsü)", "MNIST: tam veri kümesi")}.items()})

SETUP = code("""import numpy as np
import matplotlib.pyplot as plt
import sinir
from sinir import nn, optim, lessons
sinir.manual_seed(0)
LANG = "{lang}"        # the language of the worked examples: "tr" or "en"
""")

NOTEBOOKS = {
    "01_regression_and_losses": [
        md("# Regression and loss functions\n"
           "The house-price line of the course deck, fitted by the normal equation, then every number of the loss "
           "tables checked by sinir (`sinir lesson run loss-tables`).",
           "# Regresyon ve kayıp fonksiyonları\n"
           "Sunumdaki ev fiyatı doğrusu normal denklemle uydurulur, ardından kayıp tablolarındaki her sayı sinir ile "
           "denetlenir (`sinir lesson run loss-tables`)."),
        SETUP,
        code("""from sinir.linear_model import LinearRegression
area = np.array([[50], [60], [70], [80], [100]]); price = np.array([400, 450, 500, 550, 650])
model = LinearRegression().fit(area, price)
print("y = %.1f x + %.1f; 120 m2 ->" % (model.coef_[0], model.intercept_), model.predict([[120]])[0])
grid = np.linspace(40, 130, 50)[:, None]
plt.scatter(area, price); plt.plot(grid, model.predict(grid)); plt.xlabel("m2"); plt.ylabel("bin TL"); plt.show()"""),
        md("Every number of the loss tables, with its verdict:", "Kayıp tablolarının her sayısı ve kararı:"),
        code("""print(lessons.run("matrix-notation", LANG).to_text(), end="\\n\\n")
print(lessons.run("loss-tables", LANG).to_text())"""),
        md("How each loss grows with the error: squared for MSE, linear for MAE, both for Huber and Smooth L1.",
           "Her kayıp hatayla nasıl büyür: MSE karesel, MAE doğrusal, Huber ve Smooth L1 ikisi birden."),
        code("""errors = sinir.tensor(np.linspace(-8, 8, 161), dtype=np.float64)
zero = sinir.zeros(161, dtype=np.float64)
for name, loss in [("MSE", nn.MSELoss(reduction="none")), ("MAE", nn.L1Loss(reduction="none")),
                   ("Huber (delta 4)", nn.HuberLoss(reduction="none", delta=4)),
                   ("Smooth L1 (beta 5)", nn.SmoothL1Loss(reduction="none", beta=5))]:
    plt.plot(errors.numpy(), loss(errors, zero).numpy(), label=name)
plt.ylim(0, 40); plt.legend(); plt.xlabel("y' - y"); plt.show()"""),
    ],
    "02_gradient_descent": [
        md("# Gradient descent and the learning rate", "# Gradient descent ve öğrenme oranı"),
        SETUP,
        code("""print(lessons.run("descent-tables", LANG).to_text())"""),
        md("The descent path of both tables, and the loss at each step:",
           "İki tablonun iniş yolu ve her adımdaki kayıp:"),
        code("""from sinir.lessons.descent import descent_path
grid = np.linspace(0.5, 5.5, 200)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
left.plot(grid, 0.5 * (2 - grid) ** 2, color="0.6")
for start in (5.0, 1.0):
    path = descent_path(start, 40)
    left.plot(path[:, 0], 0.5 * path[:, 1] ** 2, "o-", markersize=3, label=f"w0 = {start:g}")
    right.semilogy(0.5 * path[:, 1] ** 2, label=f"w0 = {start:g}")
left.set_xlabel("w"); right.set_xlabel("step"); left.legend(); right.legend(); plt.show()"""),
        code("""print(lessons.run("descent-matrix", LANG).to_text())"""),
        md("The same problem with four learning rates: too small crawls, too large diverges (sinir stops and says so).",
           "Aynı problem dört öğrenme oranıyla: çok küçüğü sürünür, çok büyüğü ıraksar (sinir durur ve söyler)."),
        code("""from sinir.linear_model import LinearRegression
from sinir.training import TrainingDivergedError
X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]); y = np.array([14.0, 32.0])
for lr in (0.001, 0.01, 0.03, 0.1):
    model = LinearRegression(solver="gd", lr=lr, max_iter=30, fit_intercept=False)
    try:
        model.fit(X, y, coef_init=[2, 2, 2])
    except TrainingDivergedError:
        print(f"lr {lr}: diverged")
    plt.semilogy(model.loss_history_, label=f"lr {lr}")
plt.legend(); plt.xlabel("pass"); plt.ylabel("MSE"); plt.show()"""),
        code("""print(lessons.run("normal-equation", LANG).to_text())"""),
    ],
    "03_logistic_regression_and_batching": [
        md("# Logistic regression and batching", "# Lojistik regresyon ve batching"),
        SETUP,
        code("""print(lessons.run("logistic-regression", LANG).to_text())"""),
        md("A decision boundary learned on two clouds, and how the threshold moves it.",
           "İki nokta bulutunda öğrenilen bir karar sınırı ve eşiğin onu nasıl kaydırdığı."),
        code("""from sinir.linear_model import LogisticRegression
rng = np.random.default_rng(0)
X = np.vstack([rng.normal([-1, -1], 1, (100, 2)), rng.normal([1.5, 1.5], 1, (100, 2))])
y = np.repeat([0, 1], 100)
model = LogisticRegression(lr=0.5, max_iter=500).fit(X, y)
print("accuracy", model.score(X, y))
plt.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=10)
xs = np.linspace(-4, 4, 2)
for threshold in (0.3, 0.5, 0.7):
    z = np.log(threshold / (1 - threshold))        # p = threshold where w . x + b = z
    plt.plot(xs, (z - model.intercept_ - model.coef_[0] * xs) / model.coef_[1], label=f"threshold {threshold}")
plt.legend(); plt.show()"""),
        code("""print(lessons.run("batching", LANG).to_text())"""),
    ],
    "04_mnist_network": [
        md("# A network from scratch on MNIST\n"
           "The forum tutorial's network, then a better one, trained with sinir's autograd. Without the full MNIST "
           "(`SINIR_DATA`), sinir uses its bundled sample of 6,000 training images, and so does this notebook.",
           "# MNIST üzerinde sıfırdan bir sinir ağı\n"
           "Forum yazısındaki ağ, ardından daha iyisi, sinir'in autograd'ı ile eğitilir. MNIST'in tamamı yoksa "
           "(`SINIR_DATA`), sinir pakete gömülü 6.000 eğitim görüntülük örneği kullanır; bu not defteri de öyle."),
        SETUP,
        LOADER,
        code("""print(lessons.run("forum-graph", LANG).to_text(), end="\\n\\n")
print(lessons.run("forum-network", LANG).to_text())""", volatile=True),
        code("""from sinir.data import DataLoader, Subset
from sinir.datasets import MNIST, Compose, ToTensor, Normalize
from sinir.training import fit
transform = Compose([ToTensor(), Normalize(0.1307, 0.3081)])
full_train, test = load_mnist(transform)
train = Subset(full_train, np.arange(min(3000, len(full_train))))     # small, so that it runs in seconds
test = Subset(test, np.arange(min(1000, len(test))))
model = sinir.models.mlp()
history = fit(model, DataLoader(train, batch_size=64, shuffle=True, seed=0), nn.CrossEntropyLoss(),
              optim.Adam(model.parameters(), lr=1e-3), epochs=2, val_loader=DataLoader(test, batch_size=500),
              progress=None)
plt.plot([h["epoch"] for h in history], [h["val_accuracy"] for h in history], "o-"); plt.ylabel("accuracy")
plt.show()""", volatile=True),
    ],
    "05_backpropagation_by_hand": [
        md("# Backpropagation by hand\n"
           "The lecture's 3-3-3-3 network: each number of the slides beside sinir's, the lecture's way and exactly, "
           "with a verdict for every number.",
           "# Elle geri yayılım\n"
           "Dersteki 3-3-3-3 ağı: slaytlardaki her sayı sinir'inkinin yanında, dersin yoluyla ve tam olarak, her "
           "sayı için bir kararla."),
        SETUP,
        code("""print(lessons.run("backprop-3333", LANG).to_text())"""),
        md("The network with its numbers (activations on the units, weights on the edges):",
           "Sayılarıyla ağ (birimlerde aktivasyonlar, kenarlarda ağırlıklar):"),
        code("""from sinir import viz
from sinir.lessons import backprop
values = backprop.exact_pass()["values"]
viz.network([("i", backprop.INPUT), ("h1", values["h1"]), ("h2", values["h2"]), ("o", values["o_out"])],
            [backprop.W_IJ, backprop.W_JK, backprop.W_KL])"""),
        md("The forum's graph (x + w1) · w2 as autograd sees it, with values and gradients:",
           "Forumdaki (x + w1) · w2 grafiği autograd'ın gördüğü gibi, değerler ve gradyanlarla:"),
        code("""x, w1, w2 = sinir.tensor(10.0), sinir.tensor(-2.0, requires_grad=True), sinir.tensor(3.0, requires_grad=True)
y = (x + w1) * w2
y.backward(retain_graph=True)
viz.graph(y, names={"x": x, "w1": w1, "w2": w2, "y": y})"""),
        md("The same gradients straight from autograd, to compare with your own hand calculation:",
           "Aynı gradyanlar doğrudan autograd'dan; kendi elle hesabınızla karşılaştırın:"),
        code("""from sinir.nn import functional as F
model = backprop.network()
output = model(sinir.tensor(backprop.INPUT, dtype=np.float64))
F.binary_cross_entropy(output, sinir.tensor(backprop.TARGET, dtype=np.float64), reduction="sum").backward()
for name, parameter in model.named_parameters():
    print(name, np.round(np.asarray(parameter.grad), 5).tolist())"""),
    ],
    "06_cnns_and_architectures": [
        md("# CNNs and the architectures", "# CNN'ler ve mimariler"),
        SETUP,
        LOADER,
        code("""for name in ("fc-backward", "conv-backward", "pooling-backward"):
    print(lessons.run(name, LANG).to_text(), end="\\n\\n")"""),
        code("""print(sinir.models.summary(sinir.models.lenet5(), (1, 28, 28)))"""),
        md("LeNet-5 for one epoch on 2,000 MNIST images, then what its first layer sees (the lecture's feature "
           "visualisation).",
           "LeNet-5, 2.000 MNIST görüntüsünde bir epoch, ardından ilk katmanının gördükleri (dersteki öznitelik "
           "görselleştirmesi)."),
        code("""from sinir.data import DataLoader, Subset
from sinir.datasets import MNIST, Compose, ToTensor, Normalize
from sinir.training import fit
transform = Compose([ToTensor(), Normalize(0.1307, 0.3081)])
full_train, test = load_mnist(transform)
train = Subset(full_train, np.arange(min(2000, len(full_train))))
model = sinir.models.lenet5()
history = fit(model, DataLoader(train, batch_size=32, shuffle=True, seed=0), nn.CrossEntropyLoss(),
              optim.Adam(model.parameters(), lr=2e-3), epochs=1,
              val_loader=DataLoader(Subset(test, np.arange(min(1000, len(test)))), batch_size=500), progress=None)
print("accuracy", round(history[-1]["val_accuracy"], 3))
maps = []
handle = model.features[0].register_forward_hook(lambda m, i, out: maps.append(np.asarray(out.numpy())[0]))
with sinir.no_grad():
    model(sinir.tensor(test.get_batch(np.arange(1))[0]))
handle.remove()
fig, axes = plt.subplots(1, 6, figsize=(12, 2))
for axis, feature in zip(axes, maps[0]):
    axis.imshow(feature); axis.axis("off")
plt.show()""", volatile=True),
        code("""print(lessons.run("architectures", LANG).to_text())"""),
    ],
}


# The code is the same in both sets; in the Turkish one its comments and labels are Turkish.
TURKISH = {
    "# sinir's own (English) note; said below in one line": "# sinir'in kendi (İngilizce) notu; aşağıda tek satırda",
    '"""MNIST from $SINIR_DATA (or the cache), else sinir\'s bundled sample; says which."""':
        '"""MNIST, $SINIR_DATA\'dan (ya da önbellekten), yoksa sinir\'in gömülü örneğinden; hangisi olduğunu söyler."""',
    "# the language of the worked examples: \"tr\" or \"en\"": "# çözümlü örneklerin dili: \"tr\" ya da \"en\"",
    '"y = %.1f x + %.1f; 120 m2 ->"': '"y = %.1f x + %.1f; 120 m2 ->"',
    "# p = threshold where w . x + b = z": "# w . x + b = z olduğunda p = eşik",
    'label=f"threshold {threshold}"': 'label=f"eşik {threshold}"',
    'print("accuracy",': 'print("doğruluk",',
    'plt.ylabel("accuracy")': 'plt.ylabel("doğruluk")',
    "# small, so that it runs in seconds": "# küçük tutuldu: saniyeler içinde çalışsın",
    'f"lr {lr}: diverged"': 'f"lr {lr}: ıraksadı"',
    'plt.xlabel("pass")': 'plt.xlabel("geçiş")',
    'right.set_xlabel("step")': 'right.set_xlabel("adım")',
}


def notebook(name, lang):
    cells = []
    for kind, sources, volatile in NOTEBOOKS[name]:
        source = sources[lang].replace("{lang}", lang) if kind == "code" else sources[lang]
        if kind == "code" and lang == "tr":
            for english, turkish in TURKISH.items():
                source = source.replace(english, turkish)
        cell = new_markdown_cell(source) if kind == "markdown" else new_code_cell(source)
        if volatile:
            cell.metadata["tags"] = [VOLATILE]
        cells.append(cell)
    book = new_notebook(cells=cells)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    book.metadata["language_info"] = {"name": "python"}
    return book


def execute(book, folder):
    import nbclient
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"      # pictures as outputs
    nbclient.NotebookClient(book, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}).execute()
    return book


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true", help="write the notebooks without outputs")
    parser.add_argument("--only", help="one notebook (its name without .ipynb)")
    args = parser.parse_args(argv)
    for lang in ("tr", "en"):
        folder = FOLDER / lang
        folder.mkdir(parents=True, exist_ok=True)
        for name in NOTEBOOKS:
            if args.only and name != args.only:
                continue
            book = notebook(name, lang)
            if not args.no_run:
                execute(book, folder)
            nbformat.write(book, folder / f"{name}.ipynb")
            print(folder / f"{name}.ipynb")


if __name__ == "__main__":
    main()
