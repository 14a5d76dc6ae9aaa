"""The course's worked examples, replayed with sinir and checked number by number.

>>> from sinir import lessons
>>> lessons.names()
>>> print(lessons.run("backprop-3333", lang="tr").to_text())

Or from the command line: ``sinir lesson list`` and ``sinir lesson run NAME [--lang tr|en] [--json]``.
"""
from . import backprop, classification, cnn, descent, forum, regression
from .base import Lesson, Result, Step, Text, compare, language

LESSONS = {
    "forum-graph": forum.computational_graph,
    "forum-network": forum.mnist_network,
    "matrix-notation": regression.matrix_notation,
    "house-price": regression.house_price,
    "loss-tables": regression.loss_tables,
    "descent-tables": descent.descent_tables,
    "descent-matrix": descent.descent_matrix,
    "normal-equation": descent.normal_equation,
    "logistic-regression": classification.logistic_regression,
    "batching": classification.batching,
    "backprop-3333": backprop.three_layer_network,
    "conv-backward": cnn.convolution,
    "pooling-backward": cnn.pooling,
    "architectures": cnn.architectures,
}

TITLES = {
    "forum-graph": Text("The computational graph (x + w1) . w2", "Hesaplama grafiği (x + w1) . w2"),
    "forum-network": Text("The 784 -> 10 -> 10 ReLU network on MNIST", "MNIST için 784 -> 10 -> 10 ReLU ağı"),
    "matrix-notation": Text("Matrix notation and the matrix-vector product", "Matrix gösterimi ve matris-vektör çarpımı"),
    "house-price": Text("The house-price line and a multivariable prediction", "Ev fiyatı doğrusu ve çok değişkenli tahmin"),
    "loss-tables": Text("The loss tables", "Kayıp tabloları"),
    "descent-tables": Text("Gradient descent towards y = 2x, by hand", "y = 2x'e gradient descent, elle"),
    "descent-matrix": Text("Gradient descent per weight and in matrix form", "Ağırlık başına ve matris biçiminde gradient descent"),
    "normal-equation": Text("The normal equation", "Normal denklem"),
    "logistic-regression": Text("Logistic regression", "Lojistik regresyon"),
    "batching": Text("Online, full-batch and mini-batch", "Online, tam batch ve mini-batch"),
    "backprop-3333": Text("Backpropagation by hand on the 3-3-3-3 network", "3-3-3-3 ağında elle geri yayılım"),
    "conv-backward": Text("Convolution forward and backward", "Konvolüsyon ileri ve geri"),
    "pooling-backward": Text("Max and average pooling backward", "Max ve average pooling geri geçişi"),
    "architectures": Text("LeNet-5, AlexNet and VGG-16 facts", "LeNet-5, AlexNet ve VGG-16 bilgileri"),
}


def names():
    """The lessons, in the order of the course."""
    return list(LESSONS)


def title(name, lang="en"):
    return TITLES[name](lang)


def build(name):
    """Build a lesson (runs sinir's code for every step)."""
    if name not in LESSONS:
        raise ValueError(f"unknown lesson {name!r}; the lessons are: {', '.join(LESSONS)}")
    return LESSONS[name]()


def run(name, lang=None):
    """The lesson rendered in ``lang`` ('tr' or 'en'; default from the locale, else English)."""
    return Result(build(name), language(lang))
