"""The lecture (002): the convolution and pooling backward passes, and the architectures' facts
checked against sinir's real models."""
import numpy as np

from .. import models
from ..nn import functional as F
from ..tensor import Tensor
from .base import Lesson, Text

SLIDES_25_28 = Text("Lecture 'Derin Öğrenme' (shared/seeds/002), slides 25-28", "'Derin Öğrenme' dersi (shared/seeds/002), slayt 25-28")
SLIDES_33_45 = Text("Lecture 'Derin Öğrenme' (shared/seeds/002), slides 33-45", "'Derin Öğrenme' dersi (shared/seeds/002), slayt 33-45")

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])
FILTER = np.array([[1.0, 0.0], [-1.0, 2.0]])
DE_DO = np.array([[0.1, -0.2], [0.3, 0.4]])


def _by_the_slides_formulas():
    """O and dE/dF written out exactly as the slides' equations (plain arithmetic, no library)."""
    O = [[sum(FILTER[a, b] * X[r + a, c + b] for a in range(2) for b in range(2)) for c in range(2)] for r in range(2)]
    dF = [[sum(DE_DO[r, c] * X[r + a, c + b] for r in range(2) for c in range(2)) for b in range(2)] for a in range(2)]
    return np.array(O), np.array(dF)


def convolution():
    lesson = Lesson("conv-backward", Text("Convolution forward and backward: a 3x3 input, a 2x2 filter",
                                          "Konvolüsyon ileri ve geri: 3x3 girdi, 2x2 filtre"), SLIDES_25_28)
    O_hand, dF_hand = _by_the_slides_formulas()
    x = Tensor(X.reshape(1, 1, 3, 3), dtype=np.float64, requires_grad=True)
    f = Tensor(FILTER.reshape(1, 1, 2, 2), dtype=np.float64, requires_grad=True)
    out = F.conv2d(x, f)
    lesson.check("forward", Text("O_11 = F_11 X_11 + F_12 X_12 + F_21 X_21 + F_22 X_22, and the other three "
                                 "(X = 1..9, F = [[1, 0], [-1, 2]]), by sinir's Conv2d",
                                 "O_11 = F_11 X_11 + F_12 X_12 + F_21 X_21 + F_22 X_22 ve diğer üçü "
                                 "(X = 1..9, F = [[1, 0], [-1, 2]]), sinir'in Conv2d'siyle"),
                 [str(v) for v in O_hand.ravel()], out.data.ravel(),
                 Text("the slide gives the equations; the printed value here is those equations worked by hand",
                      "slayt denklemleri veriyor; buradaki 'belge' değeri o denklemlerin elle hesabı"))
    out.backward(DE_DO.reshape(1, 1, 2, 2))
    lesson.check("filter-gradient", Text("dE/dF_ab = sum over outputs of dE/dO_rc . X_(r+a)(c+b), by autograd",
                                         "dE/dF_ab = çıkışlar üzerinden dE/dO_rc . X_(r+a)(c+b) toplamı, autograd ile"),
                 [f"{v:.10g}" for v in dF_hand.ravel()], f.grad.ravel(),
                 Text("dE/dO = [[0.1, -0.2], [0.3, 0.4]] chosen for the example; the slide's rule and sinir's "
                      "im2col backward give the same filter gradient",
                      "örnek için dE/dO = [[0.1, -0.2], [0.3, 0.4]] seçildi; slaydın kuralı ve sinir'in im2col geri "
                      "geçişi aynı filtre gradyanını veriyor"))
    lesson.show("input-gradient", Text("dE/dX (the slides stop at the filter; the previous layer needs this)",
                                       "dE/dX (slaytlar filtrede duruyor; önceki katmanın buna ihtiyacı var)"),
                x.grad.reshape(3, 3),
                Text("Each input pixel collects dE/dO times the filter weight that touched it: a 'full' convolution "
                     "of dE/dO with the filter turned by 180 degrees.",
                     "Her girdi pikseli, ona dokunan filtre ağırlığı çarpı dE/dO'yu toplar: dE/dO'nun 180 derece "
                     "döndürülmüş filtreyle 'tam' konvolüsyonu."))
    return lesson


def pooling():
    lesson = Lesson("pooling-backward", Text("Max and average pooling backward", "Max ve average pooling geri geçişi"),
                    SLIDES_25_28)
    image = np.array([[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 3.0, 2.0], [2.0, 6.0, 1.0, 1.0]])
    upstream = np.array([[1.0, 2.0], [3.0, 4.0]])
    routed = np.zeros((4, 4))
    for r in range(2):
        for c in range(2):
            window = image[2 * r:2 * r + 2, 2 * c:2 * c + 2]
            a, b = np.unravel_index(window.argmax(), (2, 2))
            routed[2 * r + a, 2 * c + b] = upstream[r, c]
    x = Tensor(image.reshape(1, 1, 4, 4), dtype=np.float64, requires_grad=True)
    F.max_pool2d(x, 2).backward(upstream.reshape(1, 1, 2, 2))
    lesson.check("max", Text("max pooling 2x2: dL/dy_(l-1) is dL/dy_l at each window's maximum, 0 elsewhere",
                             "2x2 max pooling: dL/dy_(l-1), her pencerenin maksimumunda dL/dy_l, başka yerde 0"),
                 [f"{v:g}" for v in routed.ravel()], x.grad.ravel(),
                 Text("the slide's rule worked by hand on a 4x4 example, against sinir's MaxPool2d backward",
                      "slaydın kuralı 4x4 bir örnekte elle, sinir'in MaxPool2d geri geçişine karşı"))
    x = Tensor(image.reshape(1, 1, 4, 4), dtype=np.float64, requires_grad=True)
    F.avg_pool2d(x, 2).backward(upstream.reshape(1, 1, 2, 2))
    shared = np.kron(upstream / 4, np.ones((2, 2)))
    lesson.check("average", Text("average pooling 2x2: dL/dy_l / (p q) to every element of the window",
                                 "2x2 average pooling: pencerenin her elemanına dL/dy_l / (p q)"),
                 [f"{v:g}" for v in shared.ravel()], x.grad.ravel())
    return lesson


def architectures():
    lesson = Lesson("architectures", Text("LeNet-5, AlexNet and VGG-16: the slides' numbers against sinir's models",
                                          "LeNet-5, AlexNet ve VGG-16: slaytlardaki sayılar sinir'in modellerine karşı"),
                    SLIDES_33_45)
    classic = models.lenet5(classic=True)
    modern = models.lenet5()
    lesson.check("lenet-fc-input", Text("LeNet-5: features entering the FC layers, 16 x 5 x 5",
                                        "LeNet-5: FC katmanına giren öznitelik, 16 x 5 x 5"), "400",
                 modern.classifier[1].in_features)
    lesson.check("lenet-parameters", Text("LeNet-5 (1998): 60 thousand parameters (in thousands)",
                                          "LeNet-5 (1998): 60 bin parametre (bin olarak)"),
                 "60", classic.num_parameters() / 1e3,
                 Text("exactly 60,000 in sinir's classic form (the paper's count: C1 156, S2 12, C3 1,516, S4 32, C5 "
                      "48,120, F6 10,164); the modern ReLU/max-pool form has 61,706",
                      "sinir'in klasik biçiminde tam 60.000 (makaledeki sayı: C1 156, S2 12, C3 1.516, S4 32, C5 "
                      "48.120, F6 10.164); modern ReLU/max-pool biçimi 61.706"))
    alexnet = models.alexnet()
    lesson.check("alexnet-parameters", Text("AlexNet: about 60 million parameters (in millions)",
                                            "AlexNet: yaklaşık 60 milyon parametre (milyon olarak)"),
                 "60", alexnet.num_parameters() / 1e6,
                 Text("61,100,840 in the torchvision form (the original two-GPU network had about 60.97 million): "
                      "'about 60 million' is a loose rounding of 61",
                      "torchvision biçiminde 61.100.840 (iki GPU'lu özgün ağda yaklaşık 60,97 milyon): "
                      "'yaklaşık 60 milyon' 61'in kaba bir yuvarlaması"))
    del alexnet
    vgg = models.vgg16()
    rows, _ = models.summarize(vgg, (3, 224, 224))
    flatten_in = vgg.classifier[0].in_features
    lesson.check("vgg-fc-input", Text("VGG-16: the FC layer's input, 7 x 7 x 512", "VGG-16: FC katmanının girdisi, 7 x 7 x 512"),
                 "4096", flatten_in,
                 Text("7 x 7 x 512 = 25,088 features enter the first FC layer; 4096 is that layer's output width",
                      "7 x 7 x 512 = 25.088 öznitelik ilk FC katmanına girer; 4096 o katmanın çıkış genişliği"))
    lesson.check("vgg-parameters", Text("VGG-16: about 138 million parameters (in millions)",
                                        "VGG-16: yaklaşık 138 milyon parametre (milyon olarak)"),
                 "138", vgg.num_parameters() / 1e6,
                 Text("138,357,544 exactly", "tam olarak 138.357.544"))
    maps = [shape for name, kind, shape, _ in rows if kind == "MaxPool2d"]
    lesson.show("vgg-shrink", Text("VGG-16 feature maps after each pooling (height, width, channels)",
                                   "VGG-16'da her pooling'den sonra öznitelik haritaları (yükseklik, genişlik, kanal)"),
                [[shape[2], shape[3], shape[1]] for shape in maps],
                Text("From input to output the height and width halve while the depth (channels) grows, as slide 38 says.",
                     "Girişten çıkışa yükseklik ve genişlik yarıya inerken derinlik (kanal sayısı) artıyor, slayt 38'deki gibi."))
    lesson.show("vgg-blocks", Text("VGG-16 convolutions per block", "VGG-16'da blok başına konvolüsyon"),
                _blocks(rows), Text("Convolutions come in twos and threes, as the slide says.",
                                    "Konvolüsyonlar ikişer ve üçer gelir, slaytta dendiği gibi."))
    return lesson


def _blocks(rows):
    counts, current = [], 0
    for _, kind, _, _ in rows:
        if kind == "Conv2d":
            current += 1
        elif kind == "MaxPool2d":
            counts.append(current)
            current = 0
    return counts

