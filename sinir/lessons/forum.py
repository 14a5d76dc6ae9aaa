"""The forum tutorial (000): the graph (x + w1) . w2 and the 784 -> 10 -> 10 ReLU network."""
import numpy as np

from .. import nn, optim
from ..data import DataLoader, Subset
from ..datasets import MNIST, Compose, Flatten, Normalize, ToTensor
from ..random import manual_seed
from ..tensor import Tensor
from ..training import evaluate, fit
from .base import Lesson, Text

SOURCE = Text("Forum tutorial 'Yapay Sinir Ağları Giriş Seviye' (shared/seeds/000)",
              "Forum yazısı 'Yapay Sinir Ağları Giriş Seviye' (shared/seeds/000)")


def computational_graph():
    lesson = Lesson("forum-graph", Text("The computational graph (x + w1) . w2", "Hesaplama grafiği (x + w1) . w2"), SOURCE)
    x = Tensor(10.0)
    w1 = Tensor(-2.0, requires_grad=True)
    w2 = Tensor(3.0, requires_grad=True)
    middle = (x + w1).retain_grad()
    y = middle * w2
    lesson.check("sum", Text("forward: x + w1 = 10 + (-2)", "ileri geçiş: x + w1 = 10 + (-2)"), "8", middle.item())
    lesson.check("product", Text("forward: y = (x + w1) . w2 = 8 . 3", "ileri geçiş: y = (x + w1) . w2 = 8 . 3"),
                 "24", y.item())
    y.backward()
    lesson.show("dy/dw2", Text("backward: dy/dw2 = x + w1", "geri geçiş: dy/dw2 = x + w1"), w2.grad,
                Text("The tutorial shows this rule in a picture; autograd gives x + w1 = 8.",
                     "Yazı bu kuralı bir resimde gösteriyor; autograd x + w1 = 8 veriyor."))
    lesson.show("dy/dw1", Text("backward: dy/dw1 = dy/d(x + w1) . d(x + w1)/dw1 = w2 . 1",
                               "geri geçiş: dy/dw1 = dy/d(x + w1) . d(x + w1)/dw1 = w2 . 1"), w1.grad,
                Text("The chain rule: the gradient reaching the sum node is w2 = 3, and the sum passes it on "
                     "unchanged to w1.",
                     "Zincir kuralı: toplama düğümüne gelen gradyan w2 = 3'tür ve toplama onu w1'e aynen iletir."))
    lesson.show("descent", Text("one step w <- w - 0.1 . dy/dw (to make y smaller)",
                                "bir adım w <- w - 0.1 . dy/dw (y'yi küçültmek için)"),
                [w1.item() - 0.1 * w1.grad.item(), w2.item() - 0.1 * w2.grad.item()],
                Text("Moving against the derivative lowers y, as the tutorial explains with the slope of the loss.",
                     "Türevin tersi yönde gitmek y'yi düşürür; yazı bunu kaybın eğimiyle anlatıyor."))
    return lesson


def mnist_network(max_images=10_000):
    lesson = Lesson("forum-network", Text("The 784 -> 10 -> 10 ReLU network on MNIST",
                                          "MNIST için 784 -> 10 -> 10 ReLU ağı"), SOURCE)
    manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 10, bias=False), nn.ReLU(), nn.Linear(10, 10, bias=False), nn.ReLU())
    lesson.check("w1-shape", Text("W1 holds 784 x 10 numbers", "W1 784 x 10 sayı tutar"), "7840",
                 model[0].weight.size,
                 Text("sinir (like PyTorch) stores it as (10, 784), one row per hidden unit; the tutorial names "
                      "both (10, 784) and (784, 10): the same numbers, transposed.",
                      "sinir (PyTorch gibi) onu (10, 784) olarak, her gizli birim için bir satır tutar; yazı hem "
                      "(10, 784) hem (784, 10) diyor: aynı sayılar, devriği."))
    lesson.check("w2-size", Text("W2 holds 10 x 10 numbers", "W2 10 x 10 sayı tutar"), "100", model[2].weight.size)
    lesson.check("parameters", Text("learnable parameters 7840 + 100", "öğrenilebilir parametreler 7840 + 100"),
                 "7940", model.num_parameters(),
                 Text("without biases, as in the tutorial; with a bias per unit it would be 7960",
                      "yazıdaki gibi bias olmadan; her birime bir bias eklenirse 7960 olur"))
    transform = Compose([ToTensor(), Normalize(0.1307, 0.3081), Flatten()])
    train = MNIST(train=True, transform=transform)
    test = MNIST(train=False, transform=transform)
    subset = Subset(train, np.arange(min(max_images, len(train))))
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    fit(model, DataLoader(subset, batch_size=32, shuffle=True, seed=0), nn.CrossEntropyLoss(), optimizer,
        epochs=1, progress=None)
    accuracy = evaluate(model, DataLoader(test, batch_size=1000))["accuracy"]
    lesson.show("training", Text(f"one epoch of SGD on {len(subset):,} MNIST images: test accuracy",
                                 f"{len(subset):,} MNIST görüntüsünde bir epoch SGD: test doğruluğu"), accuracy,
                Text("A real run with sinir's autograd (forward pass, cross-entropy loss, backward pass, update). "
                     "The tutorial prints no accuracy. Its ReLU after the last layer clips negative scores, which "
                     "slows learning; a plain linear output is the usual choice."
                     + (" (the bundled MNIST sample was used)" if train.is_sample else ""),
                     "sinir'in autograd'ı ile gerçek bir eğitim (ileri geçiş, cross-entropy kaybı, geri geçiş, "
                     "güncelleme). Yazı doğruluk vermiyor. Son katmandan sonraki ReLU negatif skorları kesiyor ve "
                     "öğrenmeyi yavaşlatıyor; çıkışta doğrusal katman olağan seçimdir."
                     + (" (pakete gömülü MNIST örneği kullanıldı)" if train.is_sample else "")))
    return lesson
