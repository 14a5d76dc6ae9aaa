"""Write notebooks/*.ipynb, one per part of the course, without outputs.

    python scripts/make_notebooks.py

The test suite executes every notebook (tests/test_notebooks.py), so they never rot.
"""
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

def md(text):
    """A markdown cell (everything else is code)."""
    return ("markdown", text)


SETUP = """import numpy as np
import matplotlib.pyplot as plt
import sinir
from sinir import nn, optim, lessons
sinir.manual_seed(0)"""

NOTEBOOKS = {
    "01_regression_and_losses": [
        md("# Regresyon ve kayıp fonksiyonları / Regression and losses\n"
        "The house-price line of the course deck, fitted by the normal equation, then every loss table."),
        SETUP,
        """from sinir.linear_model import LinearRegression
area = np.array([[50], [60], [70], [80], [100]]); price = np.array([400, 450, 500, 550, 650])
model = LinearRegression().fit(area, price)
print("y = %.1f x + %.1f; 120 m2 ->" % (model.coef_[0], model.intercept_), model.predict([[120]])[0])
grid = np.linspace(40, 130, 50)[:, None]
plt.scatter(area, price); plt.plot(grid, model.predict(grid)); plt.xlabel("m2"); plt.ylabel("bin TL"); plt.show()""",
        md("Every number of the loss tables, checked (`sinir lesson run loss-tables`):"),
        """print(lessons.run("loss-tables", "tr").to_text())""",
        md("How each loss grows with the error: squared for MSE, linear for MAE, both for Huber and Smooth L1."),
        """errors = sinir.tensor(np.linspace(-8, 8, 161), dtype=np.float64)
zero = sinir.zeros(161, dtype=np.float64)
for name, loss in [("MSE", nn.MSELoss(reduction="none")), ("MAE", nn.L1Loss(reduction="none")),
                   ("Huber (delta 4)", nn.HuberLoss(reduction="none", delta=4)),
                   ("Smooth L1 (beta 5)", nn.SmoothL1Loss(reduction="none", beta=5))]:
    plt.plot(errors.data, loss(errors, zero).data, label=name)
plt.ylim(0, 40); plt.legend(); plt.xlabel("y' - y"); plt.show()""",
    ],
    "02_gradient_descent": [
        md("# Gradient descent ve öğrenme oranı / Gradient descent and the learning rate"),
        SETUP,
        """print(lessons.run("descent-tables", "tr").to_text())
print(lessons.run("descent-matrix", "tr").to_text())""",
        md("The same problem with four learning rates: too small crawls, too large diverges (sinir stops and says so)."),
        """from sinir.linear_model import LinearRegression
from sinir.training import TrainingDivergedError
X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]); y = np.array([14.0, 32.0])
for lr in (0.001, 0.01, 0.03, 0.1):
    model = LinearRegression(solver="gd", lr=lr, max_iter=30, fit_intercept=False)
    try:
        model.fit(X, y, coef_init=[2, 2, 2])
    except TrainingDivergedError as error:
        print(error)
    plt.semilogy(model.loss_history_, label=f"lr {lr}")
plt.legend(); plt.xlabel("pass"); plt.ylabel("MSE"); plt.show()""",
        """print(lessons.run("normal-equation", "en").to_text())""",
    ],
    "03_logistic_regression_and_batching": [
        md("# Lojistik regresyon ve batching / Logistic regression and batching"),
        SETUP,
        """print(lessons.run("logistic-regression", "tr").to_text())""",
        md("A decision boundary learned on two clouds, and how the threshold moves it."),
        """from sinir.linear_model import LogisticRegression
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
plt.legend(); plt.show()""",
        """print(lessons.run("batching", "en").to_text())""",
    ],
    "04_mnist_network": [
        md("# MNIST: sıfırdan bir sinir ağı / A network from scratch on MNIST\n"
        "The forum tutorial's network, then a better one, trained with sinir's autograd."),
        SETUP,
        """print(lessons.run("forum-network", "tr").to_text())""",
        """from sinir.data import DataLoader, Subset
from sinir.datasets import MNIST, Compose, ToTensor, Normalize
from sinir.training import fit, evaluate
transform = Compose([ToTensor(), Normalize(0.1307, 0.3081)])
train = Subset(MNIST(train=True, transform=transform), np.arange(10000))
test = MNIST(train=False, transform=transform)
model = sinir.models.mlp()
history = fit(model, DataLoader(train, batch_size=64, shuffle=True, seed=0), nn.CrossEntropyLoss(),
              optim.Adam(model.parameters(), lr=1e-3), epochs=3, val_loader=DataLoader(test, batch_size=1000),
              progress=None)
plt.plot([h["epoch"] for h in history], [h["val_accuracy"] for h in history], "o-"); plt.ylabel("test accuracy"); plt.show()""",
    ],
    "05_backpropagation_by_hand": [
        md("# Elle geri yayılım / Backpropagation by hand\n"
        "The lecture's 3-3-3-3 network: each number of the slides beside sinir's, the lecture's way and exactly."),
        SETUP,
        """print(lessons.run("backprop-3333", "tr").to_text())""",
        md("The same gradients straight from autograd, to compare with your own hand calculation:"),
        """from sinir.lessons.backprop import network, INPUT, TARGET
from sinir.nn import functional as F
model = network()
output = model(sinir.tensor(INPUT, dtype=np.float64))
F.binary_cross_entropy(output, sinir.tensor(TARGET, dtype=np.float64), reduction="sum").backward()
for name, parameter in model.named_parameters():
    print(name, np.round(parameter.grad, 5).tolist())""",
    ],
    "06_cnns_and_architectures": [
        md("# CNN'ler ve mimariler / CNNs and the architectures"),
        SETUP,
        """for name in ("conv-backward", "pooling-backward"):
    print(lessons.run(name, "tr").to_text(), end="\\n\\n")""",
        """print(sinir.models.summary(sinir.models.lenet5(), (1, 28, 28)))""",
        md("LeNet-5 for one epoch on 5,000 MNIST images, then what its layers see (the lecture's feature visualisation)."),
        """from sinir.data import DataLoader, Subset
from sinir.datasets import MNIST, Compose, ToTensor, Normalize
from sinir.training import fit, evaluate
transform = Compose([ToTensor(), Normalize(0.1307, 0.3081)])
train = Subset(MNIST(train=True, transform=transform), np.arange(5000))
test = MNIST(train=False, transform=transform)
model = sinir.models.lenet5()
fit(model, DataLoader(train, batch_size=32, shuffle=True, seed=0), nn.CrossEntropyLoss(),
    optim.Adam(model.parameters(), lr=2e-3), epochs=1, progress=None)
print(evaluate(model, DataLoader(test, batch_size=1000)))
maps = []
handle = model.features[0].register_forward_hook(lambda m, i, out: maps.append(out.data[0]))
with sinir.no_grad():
    model(sinir.tensor(test.get_batch(np.arange(1))[0]))
handle.remove()
fig, axes = plt.subplots(1, 6, figsize=(12, 2))
for axis, feature in zip(axes, maps[0]):
    axis.imshow(feature); axis.axis("off")
plt.show()""",
        """print(lessons.run("architectures", "en").to_text())""",
    ],
}


def main():
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    folder.mkdir(exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        notebook = new_notebook(cells=[new_markdown_cell(c[1]) if isinstance(c, tuple) else new_code_cell(c)
                                       for c in cells])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / f"{name}.ipynb")
        print(folder / f"{name}.ipynb")


if __name__ == "__main__":
    main()
