"""The forum tutorial (000): the graph (x + w1) · w2 and the 784 -> 10 -> 10 ReLU network."""
import contextlib
import io

import numpy as np

from .. import nn, optim
from ..data import DataLoader, Subset
from ..datasets import MNIST, Compose, Flatten, Normalize, ToTensor
from ..random import manual_seed
from ..tensor import Tensor
from .base import Lesson, Text, format_number

SOURCE = Text("Forum tutorial 'Yapay Sinir Ağları Giriş Seviye' (shared/seeds/000)",
              "Forum yazısı 'Yapay Sinir Ağları Giriş Seviye' (shared/seeds/000)")


def computational_graph():
    lesson = Lesson("forum-graph", Text("The computational graph (x + w1) · w2", "Hesaplama grafiği (x + w1) · w2"), SOURCE)
    x = Tensor(10.0)
    w1 = Tensor(-2.0, requires_grad=True)
    w2 = Tensor(3.0, requires_grad=True)
    middle = x + w1
    middle.retain_grad()
    y = middle * w2
    lesson.check("sum", Text("forward: x + w1 = 10 + (-2)", "ileri geçiş: x + w1 = 10 + (-2)"), "8", middle.item())
    lesson.check("product", Text("forward: y = (x + w1) · w2 = 8 · 3", "ileri geçiş: y = (x + w1) · w2 = 8 · 3"),
                 "24", y.item())
    y.backward(retain_graph=True)                # keep the graph, to draw it with its gradients
    names = {"x": x, "w1": w1, "w2": w2, "x + w1": middle, "y": y}

    def draw(folder, lang):
        from .. import viz
        dot = viz.graph(y, names=names)
        return [viz.render(dot, folder, "forum-graph", format) for format in ("svg", "png")]

    lesson.figure("graph", draw)
    lesson.show("dy/dw2", Text("backward: dy/dw2 = x + w1", "geri geçiş: dy/dw2 = x + w1"), np.asarray(w2.grad),
                Text("The tutorial shows this rule in a picture; autograd gives x + w1 = 8.",
                     "Yazı bu kuralı bir resimde gösteriyor; autograd x + w1 = 8 veriyor."))
    lesson.show("dy/dw1", Text("backward: dy/dw1 = dy/d(x + w1) · d(x + w1)/dw1 = w2 · 1",
                               "geri geçiş: dy/dw1 = dy/d(x + w1) · d(x + w1)/dw1 = w2 · 1"), np.asarray(w1.grad),
                Text("The chain rule: the gradient reaching the sum node is w2 = 3, and the sum passes it on "
                     "unchanged to w1.",
                     "Zincir kuralı: toplama düğümüne gelen gradyan w2 = 3'tür ve toplama onu w1'e aynen iletir."))
    lesson.show("descent", Text("one step w <- w - 0.1 · dy/dw (to make y smaller)",
                                "bir adım w <- w - 0,1 · dy/dw (y'yi küçültmek için)"),
                [w1.item() - 0.1 * float(np.asarray(w1.grad)), w2.item() - 0.1 * float(np.asarray(w2.grad))],
                Text("Moving against the derivative lowers y, as the tutorial explains with the slope of the loss.",
                     "Türevin tersi yönde gitmek y'yi düşürür; yazı bunu kaybın eğimiyle anlatıyor."))
    return lesson


def mnist_network(max_images=10_000):
    lesson = Lesson("forum-network", Text("The 784 -> 10 -> 10 ReLU network on MNIST",
                                          "MNIST için 784 -> 10 -> 10 ReLU ağı"), SOURCE)
    manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 10, bias=False), nn.ReLU(), nn.Linear(10, 10, bias=False), nn.ReLU())
    lesson.check("input", Text("inputs: a 28 x 28 image is 784 numbers", "girdiler: 28 x 28'lik bir görüntü 784 sayıdır"),
                 "784", 28 * 28)
    lesson.check("w1-shape", Text("W1 holds 784 x 10 numbers", "W1 784 x 10 sayı tutar"), "7840",
                 model[0].weight.numel(),
                 Text("sinir (like PyTorch) stores it as (10, 784), one row per hidden unit; the tutorial names "
                      "both (10, 784) and (784, 10): the same numbers, transposed.",
                      "sinir (PyTorch gibi) onu (10, 784) olarak, her gizli birim için bir satır tutar; yazı hem "
                      "(10, 784) hem (784, 10) diyor: aynı sayılar, devriği."))
    lesson.check("w2-size", Text("W2 holds 10 x 10 numbers", "W2 10 x 10 sayı tutar"), "100", model[2].weight.numel())
    lesson.check("output-size", Text("the output y is (10, 1): 10 values, one per digit",
                                     "çıktı y (10, 1): her rakam için bir tane, 10 değer"), "10",
                 model[2].out_features)
    lesson.check("parameters", Text("learnable parameters 7840 + 100", "öğrenilebilir parametreler 7840 + 100"),
                 "7940", model.num_parameters(),
                 Text("without biases, as in the tutorial; with a bias per unit it would be 7960",
                      "yazıdaki gibi bias olmadan; her birime bir bias eklenirse 7960 olur"))
    from ..training import evaluate, fit          # imported here: the training loop is only needed for this step
    transform = Compose([ToTensor(), Normalize(0.1307, 0.3081), Flatten()])
    notes = io.StringIO()
    with contextlib.redirect_stderr(notes):       # the loader's English notes; the lesson says it in both languages
        train = MNIST(train=True, transform=transform)
        test = MNIST(train=False, transform=transform)
    subset = Subset(train, np.arange(min(max_images, len(train))))
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    fit(model, DataLoader(subset, batch_size=32, shuffle=True, seed=0), nn.CrossEntropyLoss(), optimizer,
        epochs=1, progress=None)
    accuracy = evaluate(model, DataLoader(test, batch_size=1000))["accuracy"]
    count = len(subset)
    lesson.show("training", Text(f"one epoch of SGD on {format_number(count, 'en')} MNIST images: test accuracy",
                                 f"{format_number(count, 'tr')} MNIST görüntüsünde bir epoch SGD: test doğruluğu"),
                accuracy,
                Text("A real run with sinir's autograd (forward pass, cross-entropy loss, backward pass, update). "
                     "The tutorial prints no accuracy. Its ReLU after the last layer clips negative scores, which "
                     "slows learning; a plain linear output is the usual choice."
                     + (" (the full MNIST was not found, so the bundled sample of 6,000 training and 1,000 test "
                        "images was used)" if train.is_sample else ""),
                     "sinir'in autograd'ı ile gerçek bir eğitim (ileri geçiş, cross-entropy kaybı, geri geçiş, "
                     "güncelleme). Yazı doğruluk vermiyor. Son katmandan sonraki ReLU negatif skorları kesiyor ve "
                     "öğrenmeyi yavaşlatıyor; çıkışta doğrusal katman olağan seçimdir."
                     + (" (MNIST'in tamamı bulunamadı; pakete gömülü 6.000 eğitim ve 1.000 test görüntüsü "
                        "kullanıldı)" if train.is_sample else "")))
    return lesson
