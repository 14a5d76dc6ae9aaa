"""The lecture (002): the convolution and pooling backward passes, and the architectures' facts
checked against sinir's real models."""
import numpy as np

from .. import models, nn
from ..nn import functional as F
from ..grad_mode import no_grad
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
    lesson.example("forward", Text("O_11 = F_11 X_11 + F_12 X_12 + F_21 X_21 + F_22 X_22, and the other three "
                                   "(X = 1..9, F = [[1, 0], [-1, 2]]), by sinir's Conv2d",
                                   "O_11 = F_11 X_11 + F_12 X_12 + F_21 X_21 + F_22 X_22 ve diğer üçü "
                                   "(X = 1..9, F = [[1, 0], [-1, 2]]), sinir'in Conv2d'siyle"),
                   O_hand.ravel(), out.numpy().ravel(),
                   Text("The slide gives the equations without numbers; X and F are chosen here, and the slide's "
                        "equations worked by hand give the same O as sinir's convolution.",
                        "Slayt denklemleri sayı vermeden yazıyor; X ve F burada seçildi. Slaydın denklemleri elle "
                        "hesaplanınca sinir'in konvolüsyonuyla aynı O çıkıyor."))
    out.backward(Tensor(DE_DO.reshape(1, 1, 2, 2), dtype=np.float64))
    lesson.example("filter-gradient", Text("dE/dF_ab = sum over outputs of dE/dO_rc · X_(r+a)(c+b), by autograd",
                                           "dE/dF_ab = çıkışlar üzerinden dE/dO_rc · X_(r+a)(c+b) toplamı, autograd ile"),
                   dF_hand.ravel(), np.asarray(f.grad).ravel(),
                   Text("dE/dO = [[0.1, -0.2], [0.3, 0.4]] chosen for the example; the slide's rule worked by hand and "
                        "sinir's im2col backward give the same filter gradient.",
                        "Örnek için dE/dO = [[0,1; -0,2]; [0,3; 0,4]] seçildi; slaydın kuralıyla elle yapılan hesap ve "
                        "sinir'in im2col geri geçişi aynı filtre gradyanını veriyor."))
    lesson.show("input-gradient", Text("dE/dX (the slides stop at the filter; the previous layer needs this)",
                                       "dE/dX (slaytlar filtrede duruyor; önceki katmanın buna ihtiyacı var)"),
                np.asarray(x.grad).reshape(3, 3),
                Text("Each input pixel collects dE/dO times the filter weight that touched it: a 'full' convolution "
                     "of dE/dO with the filter turned by 180 degrees.",
                     "Her girdi pikseli, ona dokunan filtre ağırlığı çarpı dE/dO'yu toplar: dE/dO'nun 180 derece "
                     "döndürülmüş filtreyle 'tam' konvolüsyonu."))
    return lesson


def fully_connected():
    lesson = Lesson("fc-backward", Text("The fully connected layer backward: y_l = w_l · y_(l-1)",
                                        "Tam bağlı katmanın geri geçişi: y_l = w_l · y_(l-1)"), SLIDES_25_28)
    w = np.array([[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]])
    previous = np.array([1.0, 2.0, 3.0])
    de_dy = np.array([0.2, -0.4])
    layer = nn.Linear(3, 2, bias=False).double()
    layer.load_state_dict({"weight": w})
    x = Tensor(previous, dtype=np.float64, requires_grad=True)
    y = layer(x)
    lesson.example("forward", Text("y_l = w_l · y_(l-1) with w_l = [[0.5, -1, 2], [1.5, 0, -0.5]], y_(l-1) = [1, 2, 3]",
                                   "y_l = w_l · y_(l-1); w_l = [[0,5; -1; 2]; [1,5; 0; -0,5]], y_(l-1) = [1; 2; 3]"),
                   w @ previous, y.numpy(),
                   Text("The slide gives the rule without numbers; the example is chosen here.",
                        "Slayt kuralı sayı vermeden yazıyor; örnek burada seçildi."))
    y.backward(Tensor(de_dy, dtype=np.float64))
    lesson.example("input-gradient", Text("dE/dy_(l-1) = dE/dy_l · w_l, with dE/dy_l = [0.2, -0.4]",
                                          "dE/dy_(l-1) = dE/dy_l · w_l; dE/dy_l = [0,2; -0,4]"),
                   de_dy @ w, np.asarray(x.grad),
                   Text("Between consecutive layers the gradient goes back through the same weights, transposed.",
                        "Ardışık katmanlar arasında gradyan aynı ağırlıklardan, devrik olarak geri gider."))
    lesson.example("weight-gradient", Text("dE/dw_l = dE/dy_l · y_(l-1) (an outer product)",
                                           "dE/dw_l = dE/dy_l · y_(l-1) (dış çarpım)"),
                   np.outer(de_dy, previous), np.asarray(layer.weight.grad),
                   Text("This is why the forward pass keeps y_(l-1), as the slide says: the weight gradient needs it.",
                        "Slaytta dendiği gibi ileri geçişin y_(l-1)'i saklamasının nedeni bu: ağırlık gradyanı ona "
                        "ihtiyaç duyar."))
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
    F.max_pool2d(x, 2).backward(Tensor(upstream.reshape(1, 1, 2, 2), dtype=np.float64))
    lesson.example("max", Text("max pooling 2x2: dL/dy_(l-1) is dL/dy_l at each window's maximum, 0 elsewhere",
                               "2x2 max pooling: dL/dy_(l-1), her pencerenin maksimumunda dL/dy_l, başka yerde 0"),
                   routed.ravel(), np.asarray(x.grad).ravel(),
                   Text("The slide's rule worked by hand on a 4x4 example chosen here, against sinir's MaxPool2d "
                        "backward.",
                        "Slaydın kuralı burada seçilen 4x4 bir örnekte elle, sinir'in MaxPool2d geri geçişine karşı."))
    x = Tensor(image.reshape(1, 1, 4, 4), dtype=np.float64, requires_grad=True)
    F.avg_pool2d(x, 2).backward(Tensor(upstream.reshape(1, 1, 2, 2), dtype=np.float64))
    shared = np.kron(upstream / 4, np.ones((2, 2)))
    lesson.example("average", Text("average pooling 2x2: dL/dy_l / (p q) to every element of the window",
                                   "2x2 average pooling: pencerenin her elemanına dL/dy_l / (p q)"),
                   shared.ravel(), np.asarray(x.grad).ravel(),
                   Text("The same example: each of the four elements of a window gets a quarter of its gradient.",
                        "Aynı örnek: bir pencerenin dört elemanının her biri o pencerenin gradyanının dörtte birini "
                        "alır."))
    return lesson


# The AlexNet paper's top-5 error rates (Krizhevsky, Sutskever, Hinton 2012, tables 1 and 2), in percent.
ALEXNET_PAPER = {"ilsvrc2010_best_before": 25.7, "ilsvrc2010_cnn": 17.0, "ilsvrc2012_runner_up": 26.2,
                 "ilsvrc2012_five_cnns": 16.4, "ilsvrc2012_seven_cnns": 15.3}


def _kinds(model):
    """How many layers of each type a model has: {"ReLU": 7, "MaxPool2d": 3, ...}."""
    counts = {}
    for _, module in model.named_modules():
        if not module._modules:
            counts[type(module).__name__] = counts.get(type(module).__name__, 0) + 1
    return counts


def _trace(model, input_shape, wanted, training=False):
    """Run one zero input and record (name, module, input shape, output shape) of every submodule of a
    wanted type; returns them and the model's output."""
    records, handles = [], []
    for name, module in model.named_modules():
        if isinstance(module, wanted):
            handles.append(module.register_forward_hook(
                lambda m, inputs, output, name=name: records.append((name, m, inputs[0].shape, output.shape))))
    model.train(training)
    try:
        with no_grad():
            x = Tensor(np.zeros((1,) + tuple(input_shape), dtype=np.float32))
            output = model.forward_with_aux(x) if hasattr(model, "forward_with_aux") else model(x)
    finally:
        for handle in handles:
            handle.remove()
    return records, output


def lenet_and_alexnet(lesson):
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
    kinds = _kinds(classic)
    lesson.show("lenet-layers", Text("LeNet-5 (classic): subsampling (average pooling) layers and tanh activations",
                                     "LeNet-5 (klasik): alt örnekleme (average pooling) katmanları ve tanh aktivasyonları"),
                [kinds.get("Subsampling", 0), kinds.get("ScaledTanh", 0)],
                Text("Two subsampling layers (S2, S4: the average of each 2x2 window times a learned weight, plus a "
                     "bias, then a sigmoid-like squashing) and the scaled tanh 1.7159 tanh(2x/3), as the slide says "
                     "(average pooling; sigmoid and hyperbolic tangent).",
                     "İki alt örnekleme katmanı (S2, S4: her 2x2 pencerenin ortalaması çarpı öğrenilen bir ağırlık, "
                     "artı bias, ardından sigmoid benzeri sıkıştırma) ve ölçekli tanh 1,7159 tanh(2x/3); slayttaki "
                     "gibi (average pooling; sigmoid ve hiperbolik tanjant)."))
    lesson.check("lenet-classes", Text("LeNet-5: 10 outputs, one per digit 0-9", "LeNet-5: 0-9 rakamları için 10 çıkış"),
                 "10", modern.classifier[-1].out_features)
    alexnet = models.alexnet()
    lesson.check("alexnet-parameters", Text("AlexNet: about 60 million parameters (in millions)",
                                            "AlexNet: yaklaşık 60 milyon parametre (milyon olarak)"),
                 "yaklaşık 60", alexnet.num_parameters() / 1e6,
                 Text("61,100,840 in the torchvision form; the paper itself says 60 million. 'About 60 million' is "
                      "stated to the ten million, and 61.1 is within it",
                      "torchvision biçiminde 61.100.840; makalenin kendisi 60 milyon diyor. 'Yaklaşık 60 milyon' "
                      "on milyon duyarlılığında bir ifade ve 61,1 bunun içinde"))
    kinds = _kinds(alexnet)
    lesson.show("alexnet-relu-maxpool", Text("AlexNet in sinir: ReLU activations and max-pooling layers",
                                             "sinir'deki AlexNet: ReLU aktivasyonları ve max-pooling katmanları"),
                [kinds.get("ReLU", 0), kinds.get("MaxPool2d", 0)],
                Text(f"{kinds.get('ReLU', 0)} ReLU (after each of the 5 convolutions and the 2 hidden FC layers) and "
                     f"{kinds.get('MaxPool2d', 0)} max-pooling layers (3x3, stride 2), no other activation or pooling, "
                     "as the slide says.",
                     f"{kinds.get('ReLU', 0)} ReLU (5 konvolüsyonun ve 2 gizli FC katmanının her birinden sonra) ve "
                     f"{kinds.get('MaxPool2d', 0)} max-pooling katmanı (3x3, adım 2); başka aktivasyon ya da pooling "
                     "yok, slayttaki gibi."))
    paper = ALEXNET_PAPER
    lesson.check("alexnet-accuracy", Text("AlexNet raised the ILSVRC top-5 accuracy from 74.3% to 83.6% (100 minus the "
                                          "paper's top-5 error on ILSVRC-2012: the best other entry, AlexNet's five CNNs)",
                                          "AlexNet ILSVRC top-5 doğruluğunu %74,3'ten %83,6'ya çıkardı (makaledeki "
                                          "ILSVRC-2012 top-5 hatasının 100'den farkı: en iyi diğer katılımcı, "
                                          "AlexNet'in beş CNN'i)"),
                 ["74.3", "83.6"], [100 - paper["ilsvrc2012_runner_up"], 100 - paper["ilsvrc2012_five_cnns"]],
                 Text("83.6% is 100 - 16.4, the paper's five-CNN result on ILSVRC-2012 (its winning entry, seven CNNs "
                      "with extra pre-training, reached 100 - 15.3 = 84.7%). 74.3% is 100 - 25.7, the best earlier "
                      "result on the other data set, ILSVRC-2010, in the paper's table 1; the best other entry of the "
                      "2012 competition had 26.2% error, 73.8% accuracy. The slide takes its two numbers from two "
                      "different tables",
                      "%83,6 = 100 - 16,4: makalenin ILSVRC-2012'deki beş CNN sonucu (kazanan katılımı, ek ön "
                      "eğitimli yedi CNN, 100 - 15,3 = %84,7'ye ulaştı). %74,3 = 100 - 25,7: makalenin 1. tablosunda "
                      "öteki veri kümesinde, ILSVRC-2010'da daha önceki en iyi sonuç; 2012 yarışmasının en iyi diğer "
                      "katılımcısının hatası %26,2, doğruluğu %73,8'di. Slayt iki sayısını iki ayrı tablodan alıyor"),
                 kind=["slip", None])


def vgg(lesson):
    vgg16 = models.vgg16()
    rows, _ = models.summarize(vgg16, (3, 224, 224))
    flatten_in = vgg16.classifier[0].in_features
    lesson.check("vgg-fc-input", Text("VGG-16: the FC layer's input, 7 x 7 x 512", "VGG-16: FC katmanının girdisi, 7 x 7 x 512"),
                 "4096", flatten_in,
                 Text("7 x 7 x 512 = 25,088 features enter the first FC layer; 4096 is that layer's output width",
                      "7 x 7 x 512 = 25.088 öznitelik ilk FC katmanına girer; 4096 o katmanın çıkış genişliği"),
                 kind="slip")
    lesson.check("vgg-classes", Text("VGG-16: a 1000-class softmax at the output", "VGG-16: çıkışta 1000 sınıflı softmax"),
                 "1000", vgg16.classifier[-1].out_features)
    lesson.check("vgg-parameters", Text("VGG-16: about 138 million parameters (in millions)",
                                        "VGG-16: yaklaşık 138 milyon parametre (milyon olarak)"),
                 "yaklaşık 138", vgg16.num_parameters() / 1e6,
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


def resnet(lesson):
    from ..models.resnet import BasicBlock
    resnet18 = models.resnet18()
    blocks, _ = _trace(resnet18, (3, 224, 224), BasicBlock)
    convs = [sum(isinstance(m, nn.Conv2d) for n, m in block.named_modules() if "downsample" not in n)
             for _, block, _, _ in blocks]
    lesson.check("resnet-skip", Text("ResNet: a layer's output is added to the input of the layer two further on "
                                     "(convolutions inside each residual block of ResNet-18)",
                                     "ResNet: katman çıkışı iki sonraki katmanın girişine eklenir (ResNet-18'in her "
                                     "artık bloğunun içindeki konvolüsyonlar)"),
                 "2", max(convs),
                 Text(f"all {len(blocks)} blocks of ResNet-18 hold two 3x3 convolutions between the input and the add "
                      "(ResNet-50 and deeper skip three: 1x1, 3x3, 1x1)",
                      f"ResNet-18'in {len(blocks)} bloğunun hepsinde girişle toplama arasında iki 3x3 konvolüsyon var "
                      "(ResNet-50 ve daha derinleri üç katman atlar: 1x1, 3x3, 1x1)"))
    changed = [[*inp[1:], *out[1:]] for _, block, inp, out in blocks if block.downsample is not None]
    for _, block, inp, out in blocks:
        assert (block.downsample is None) == (tuple(inp) == tuple(out)), "a skip-add needs equal shapes"
    lesson.show("resnet-shapes", Text("ResNet-18 at 224 x 224: the blocks where the skip-add changes shape "
                                      "(input channels, height, width -> output channels, height, width)",
                                      "224 x 224'te ResNet-18: atlama toplamasının biçim değiştirdiği bloklar "
                                      "(giriş kanal, yükseklik, genişlik -> çıkış kanal, yükseklik, genişlik)"),
                changed,
                Text(f"The input can only be added where the shapes agree. In {len(blocks) - len(changed)} of the "
                     f"{len(blocks)} blocks they do and x is added unchanged; in these {len(changed)} the channels "
                     "double and the size halves, so a 1x1 stride-2 convolution (downsample) reshapes x first.",
                     f"Giriş yalnızca biçimler uyuşunca eklenebilir. {len(blocks)} bloğun {len(blocks) - len(changed)} "
                     f"tanesinde uyuşur ve x olduğu gibi eklenir; bu {len(changed)} blokta kanallar iki katına çıkar, "
                     "boyut yarıya iner, bu yüzden önce 1x1, adımı 2 olan bir konvolüsyon (downsample) x'i biçimlendirir."))
    counts = [models.get(name).num_parameters() for name in ("resnet18", "resnet34", "resnet50")]
    lesson.show("resnet-parameters", Text("parameters of ResNet-18, -34 and -50 (1000 classes)",
                                          "ResNet-18, -34 ve -50'nin parametreleri (1000 sınıf)"), counts,
                Text("The slides give no count; these are torchvision's numbers, which sinir's models match.",
                     "Slaytlar sayı vermiyor; bunlar torchvision'ın sayıları, sinir'in modelleri onlarla aynı."))
    lesson.show("vanishing-gradient", Text("the gradient reaching the first of 30 sigmoid layers, plain vs residual "
                                           "(norm of dE/dx)",
                                           "30 sigmoid katmanının ilkine ulaşan gradyan, düz ve artık bağlantılı "
                                           "(dE/dx'in normu)"),
                _vanishing(),
                Text("An example chosen here: without the skips the gradient shrinks by about a factor 4 per layer "
                     "(the sigmoid's slope is at most 1/4) and hardly reaches the first layers, the slide's "
                     "'vanishing gradient'; with x + f(x) each block passes it on at least unchanged.",
                     "Burada seçilen bir örnek: atlamalar olmadan gradyan her katmanda yaklaşık 4 kat küçülür "
                     "(sigmoid'in eğimi en çok 1/4) ve ilk katmanlara neredeyse ulaşmaz, slayttaki 'vanishing "
                     "gradient'; x + f(x) ile her blok onu en az olduğu gibi iletir."))


def _vanishing(depth=30, width=8):
    """|dE/dx| at the input of ``depth`` sigmoid layers, without and with skip connections."""
    from ..random import manual_seed
    manual_seed(0)
    layers = [nn.Linear(width, width).double() for _ in range(depth)]
    norms = []
    for residual in (False, True):
        x = Tensor(np.full(width, 0.5), dtype=np.float64, requires_grad=True)
        h = x
        for layer in layers:
            h = h + layer(h).sigmoid() if residual else layer(h).sigmoid()
        h.sum().backward()
        norms.append(float(np.linalg.norm(np.asarray(x.grad))))
    return norms


def googlenet(lesson):
    from ..models.googlenet import Inception
    model = models.googlenet(aux_logits=True)
    modules, (_, aux1, aux2) = _trace(model, (3, 224, 224), Inception, training=True)
    first_name, first, first_in, first_out = modules[0]
    widths = [first.branch1.conv.out_channels, first.branch2[-1].conv.out_channels,
              first.branch3[-1].conv.out_channels, first.branch4[-1].conv.out_channels]
    lesson.show("googlenet-concat", Text("GoogLeNet's first Inception module (3a) at 224 x 224: the widths of its four "
                                         "branches (1x1 | 1x1-3x3 | 1x1-5x5 | max-pool-1x1) and of their concatenation",
                                         "GoogLeNet'in ilk Inception modülü (3a), 224 x 224'te: dört kolunun "
                                         "(1x1 | 1x1-3x3 | 1x1-5x5 | max-pool-1x1) ve birleştirmelerinin genişliği"),
                widths + [first_out[1]],
                Text(f"On the same {first_in[2]} x {first_in[3]} input with {first_in[1]} channels the convolutions and "
                     f"the max-pooling run side by side, and their outputs are concatenated along the channels: "
                     f"{' + '.join(map(str, widths))} = {first_out[1]}, as the slide says.",
                     f"{first_in[1]} kanallı aynı {first_in[2]} x {first_in[3]} girdi üzerinde konvolüsyonlar ve "
                     f"max-pooling yan yana çalışır, çıkışları kanallar boyunca birleştirilir (concatenation): "
                     f"{' + '.join(map(str, widths))} = {first_out[1]}, slayttaki gibi."))
    for _, module, inp, out in modules:
        assert out[1] == sum(b[-1].conv.out_channels if isinstance(b, nn.Sequential) else b.conv.out_channels
                             for b in (module.branch1, module.branch2, module.branch3, module.branch4))
    lesson.show("googlenet-modules", Text("the output channels of its nine Inception modules",
                                          "dokuz Inception modülünün çıkış kanalları"),
                [out[1] for _, _, _, out in modules],
                Text("Each module's output is the sum of its four branch widths (checked for all nine).",
                     "Her modülün çıkışı dört kolunun genişliklerinin toplamıdır (dokuzu için de denetlendi)."))
    lesson.show("googlenet-aux", Text("the auxiliary classifiers: channels they read, and their outputs in training",
                                      "yardımcı sınıflandırıcılar: okudukları kanallar ve eğitimdeki çıkışları"),
                [model.aux1.conv.conv.in_channels, model.aux2.conv.conv.in_channels, aux1.shape[1], aux2.shape[1]],
                Text("Two FC heads in the middle of the network (after Inception 4a and 4d) each give 1000 class "
                     "scores during training, so the gradient reaches the early layers by a shorter path: the "
                     "slide's 'FC layers in the intermediate layers too'. In evaluation they are switched off.",
                     "Ağın ortasındaki iki FC başlığı (Inception 4a ve 4d'den sonra) eğitim sırasında 1000'er sınıf "
                     "skoru verir; böylece gradyan ilk katmanlara daha kısa bir yoldan ulaşır: slayttaki 'FC katmanı "
                     "ara katmanlarda da yer alır'. Değerlendirmede kapatılırlar."))
    lesson.show("googlenet-parameters", Text("GoogLeNet's parameters without and with the auxiliary classifiers",
                                             "GoogLeNet'in yardımcı sınıflandırıcılar olmadan ve onlarla parametreleri"),
                [models.googlenet().num_parameters(), model.num_parameters()],
                Text("The auxiliary heads nearly double the count, but they are only used in training.",
                     "Yardımcı başlıklar sayıyı neredeyse ikiye katlar, ama yalnızca eğitimde kullanılırlar."))


def architectures():
    lesson = Lesson("architectures", Text("LeNet-5, AlexNet, VGG-16, ResNet, GoogLeNet: the slides against sinir's models",
                                          "LeNet-5, AlexNet, VGG-16, ResNet, GoogLeNet: slaytlar sinir'in modellerine karşı"),
                    SLIDES_33_45)
    lenet_and_alexnet(lesson)
    vgg(lesson)
    resnet(lesson)
    googlenet(lesson)
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
