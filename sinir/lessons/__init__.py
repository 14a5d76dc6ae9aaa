"""The course's worked examples (in Turkish "çözümlü örnekler"), replayed with sinir and checked
number by number, each number with a verdict from a small fixed set (see base.py and docs/lessons.md).

>>> from sinir import lessons
>>> lessons.names()
>>> print(lessons.run("backprop-3333", lang="tr").to_text())

Or from the command line: ``sinir lesson list [--lang tr|en]`` and
``sinir lesson run NAME [--lang tr|en] [--json] [--quiz] [--plot DIR]``.
"""
from . import backprop, classification, cnn, descent, forum, regression
from .base import VERDICTS, Lesson, Result, Step, Text, compare, compare_each, language

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
    "fc-backward": cnn.fully_connected,
    "conv-backward": cnn.convolution,
    "pooling-backward": cnn.pooling,
    "architectures": cnn.architectures,
}

TITLES = {
    "forum-graph": Text("The computational graph (x + w1) · w2", "Hesaplama grafiği (x + w1) · w2"),
    "forum-network": Text("The 784 -> 10 -> 10 ReLU network on MNIST", "MNIST için 784 -> 10 -> 10 ReLU ağı"),
    "matrix-notation": Text("Matrix notation and the matrix-vector product", "Matris gösterimi ve matris-vektör çarpımı"),
    "house-price": Text("The house-price line and a multivariable prediction", "Ev fiyatı doğrusu ve çok değişkenli tahmin"),
    "loss-tables": Text("The loss tables", "Kayıp tabloları"),
    "descent-tables": Text("Gradient descent towards y = 2x, by hand", "y = 2x'e doğru gradient descent, elle"),
    "descent-matrix": Text("Gradient descent per weight and in matrix form", "Ağırlık başına ve matris biçiminde gradient descent"),
    "normal-equation": Text("The normal equation", "Normal denklem"),
    "logistic-regression": Text("Logistic regression", "Lojistik regresyon"),
    "batching": Text("Online, full-batch and mini-batch", "Online, tam batch ve mini-batch"),
    "backprop-3333": Text("Backpropagation by hand on the 3-3-3-3 network", "3-3-3-3 ağında elle geri yayılım"),
    "fc-backward": Text("The fully connected layer backward", "Tam bağlı katmanın geri geçişi"),
    "conv-backward": Text("Convolution forward and backward", "Konvolüsyon ileri ve geri geçiş"),
    "pooling-backward": Text("Max and average pooling backward", "Max ve average pooling geri geçişi"),
    "architectures": Text("LeNet-5, AlexNet, VGG-16, ResNet and GoogLeNet facts",
                          "LeNet-5, AlexNet, VGG-16, ResNet ve GoogLeNet bilgileri"),
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
