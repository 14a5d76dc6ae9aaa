"""The lecture (002): the 3-3-3-3 network (ReLU, sigmoid, softmax) trained one step by hand.

Each quantity is computed twice: the lecture's way (its formulas, fed with the rounded numbers it
printed, as a student following the slides would) and exactly, by sinir's autograd on the real
network. Where the two differ, the steps say which convention or slip makes the difference.
"""
import numpy as np

from .. import nn, optim
from ..nn import functional as F
from ..tensor import Tensor
from .base import Lesson, Text

SOURCE = Text("Lecture 'Derin Öğrenme', CNN training and backpropagation (shared/seeds/002), slides 3-24",
              "'Derin Öğrenme' dersi, CNN eğitimi ve geri yayılım (shared/seeds/002), slayt 3-24")

INPUT = np.array([0.1, 0.2, 0.7])
W_IJ = np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.7], [0.4, 0.3, 0.9]])
W_JK = np.array([[0.2, 0.3, 0.5], [0.3, 0.5, 0.7], [0.6, 0.4, 0.8]])
W_KL = np.array([[0.1, 0.4, 0.8], [0.3, 0.7, 0.2], [0.5, 0.2, 0.9]])
BIAS = 1.0
TARGET = np.array([1.0, 0.0, 0.0])
LR = 0.01

# what the slides print, carried forward by the lecture
H2_OUT = np.array([0.938, 0.94, 0.98])
O_IN = np.array([1.8658, 2.2292, 2.8204])
O_OUT = np.array([0.2698, 0.3223, 0.4078])
DE_DOOUT = np.array([-3.70644, -1.4755, -1.6886])
DOOUT_DOIN = np.array([0.15911, 0.2040, 0.3685])
H2_IN = np.array([2.73, 2.76, 4.001])
DH2_DIN = np.array([0.058156, 0.0564, 0.0196])
DE_DH2 = np.array([-0.8903, -0.74218, -1.0810])
DE_DH1 = np.array([-0.01035, -0.0209, -0.0169])
H1 = np.array([1.35, 1.27, 1.8])
DW_KL = [["-0.5531", "-0.0576", "-0.5836"], ["-0.554347", "-0.0577", "-0.5849"], ["-0.577937", "-0.06017", "-0.6098"]]
DW_JK = [["-0.06989", "-0.0565", "-0.0286"], ["-0.06575", "-0.05316", "-0.0269"], ["-0.0932", "-0.0753", "-0.03813"]]
DW_IJ = [["-0.001035", "-0.00209", "-0.00169"], ["-0.00207", "-0.00418", "-0.00338"], ["-0.007245", "-0.01463", "-0.01183"]]
NEW_KL = [["0.105531", "0.400576", "0.805836"], ["0.30055", "0.700577", "0.2005849"], ["0.5005779", "0.2006017", "0.9006098"]]
NEW_JK = [["0.2006989", "0.300565", "0.500286"], ["0.3006575", "0.5005316", "0.700269"], ["0.600932", "0.400753", "0.803813"]]
NEW_IJ = [["0.10001035", "0.2000209", "0.3000169"], ["0.3000207", "0.2000418", "0.7000338"],
          ["0.40007245", "0.3001463", "0.9001183"]]


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def network():
    """The lecture's network in sinir: x W + b is Linear with weight W^T (PyTorch's layout)."""
    layers = [nn.Linear(3, 3, dtype=np.float64) for _ in range(3)]
    for layer, weights in zip(layers, (W_IJ, W_JK, W_KL)):
        layer.load_state_dict({"weight": weights.T, "bias": np.full(3, BIAS)})
    return nn.Sequential(layers[0], nn.ReLU(), layers[1], nn.Sigmoid(), layers[2], nn.Softmax(dim=-1))


def lectures_error(o_out, log=np.log):
    """The lecture's 'crossentropy': a binary cross-entropy summed over the three outputs."""
    return -np.sum(TARGET * log(o_out) + (1 - TARGET) * log(1 - o_out))


def forward_steps(lesson):
    h1 = np.maximum(0, INPUT @ W_IJ + BIAS)
    lesson.check("h1", Text("h1 = relu(i . W_ij + b)", "h1 = relu(i . W_ij + b)"), ["1.35", "1.27", "1.8"], h1)
    h2_in = h1 @ W_JK + BIAS
    lesson.check("h2-in", Text("h2_in = h1 . W_jk + b", "h2_in = h1 . W_jk + b"), ["2.73", "2.76", "4.001"], h2_in,
                 Text("1.35 . 0.5 + 1.27 . 0.7 + 1.8 . 0.8 + 1 = 4.004, not 4.001 (an arithmetic slip)",
                      "1.35 . 0.5 + 1.27 . 0.7 + 1.8 . 0.8 + 1 = 4.004'tür, 4.001 değil (hesap hatası)"))
    lesson.check("h2-out", Text("h2_out = sigmoid(h2_in)", "h2_out = sigmoid(h2_in)"), ["0.938", "0.94", "0.98"],
                 _sigmoid(h2_in))
    lesson.check("o-in", Text("O_in = h2_out . W_kl + b, the lecture's way (from the rounded h2_out)",
                              "O_in = h2_out . W_kl + b, dersin yolu (yuvarlanmış h2_out'tan)"),
                 ["1.8658", "2.2292", "2.8204"], H2_OUT @ W_KL + BIAS)
    model = network()
    with_hidden = model[:4](Tensor(INPUT, dtype=np.float64))
    exact_o_in = model[4](with_hidden)
    lesson.check("o-in-exact", Text("O_in exactly, by sinir's forward pass", "O_in tam olarak, sinir'in ileri geçişiyle"),
                 ["1.8658", "2.2292", "2.8204"], exact_o_in.data,
                 Text("the slide feeds the rounded h2_out (0.938, 0.94, 0.98) forward; from the exact "
                      "0.93884, 0.94047, 0.98206 the scores are 1.8667, 2.2305, 2.8245",
                      "slayt yuvarlanmış h2_out'u (0.938, 0.94, 0.98) ileri taşıyor; tam değerler 0.93884, 0.94047, "
                      "0.98206 ile skorlar 1.8667, 2.2305, 2.8245 olur"))
    lesson.check("o-out", Text("O_out, the lecture's way: its numbers are O_in / sum(O_in)",
                               "O_out, dersin yoluyla: sayıları O_in / toplam(O_in)"),
                 ["0.2698", "0.3223", "0.4078"], O_IN / O_IN.sum(),
                 Text("1.8658 / (1.8658 + 2.2292 + 2.8204) = 0.2698: the slide divides by the sum without "
                      "exponentiating first",
                      "1.8658 / (1.8658 + 2.2292 + 2.8204) = 0.2698: slayt üstel almadan toplama bölüyor"))
    lesson.check("softmax", Text("O_out = softmax(O_in) = e^O_in / sum(e^O_in), by sinir's Softmax",
                                 "O_out = softmax(O_in) = e^O_in / toplam(e^O_in), sinir'in Softmax'ıyla"),
                 ["0.2698", "0.3223", "0.4078"], Tensor(O_IN, dtype=np.float64).softmax(axis=0).data,
                 Text("the softmax the slide's formula defines gives 0.1986, 0.2856, 0.5158: the printed "
                      "probabilities skipped the exponential, and every later step inherits them",
                      "slayttaki formülün tanımladığı softmax 0.1986, 0.2856, 0.5158 verir: yazılan olasılıklar "
                      "üstel almayı atlamış ve sonraki her adım bunları devralıyor"))
    lesson.check("error", Text("the lecture's error -sum[y log O + (1 - y) log(1 - O)], its way",
                               "dersin hatası -toplam[y log O + (1 - y) log(1 - O)], kendi yoluyla"),
                 "0.97", lectures_error(O_OUT, np.log10),
                 Text("the slide's terms 0.569858, 0.16886, 0.22753 are base-10 logarithms",
                      "slayttaki 0.569858, 0.16886, 0.22753 terimleri 10 tabanında logaritma"))
    output = model(Tensor(INPUT, dtype=np.float64))
    lesson.check("error-natural-log", Text("the same error with the natural logarithm (sinir's BCELoss, summed)",
                                           "aynı hata doğal logaritmayla (sinir'in BCELoss'u, toplam)"),
                 "0.97", F.binary_cross_entropy(output, Tensor(TARGET, dtype=np.float64), reduction="sum").item(),
                 Text("losses use the natural logarithm, and so do the lecture's own derivatives (d log O / dO = 1/O). "
                      "With the slide's O_out the natural-log error is 2.2229 (its 0.966 times ln 10); with the real "
                      "softmax outputs it is 2.6793. The slide mixes the two conventions",
                      "kayıplar doğal logaritma kullanır, dersin kendi türevleri de öyle (d log O / dO = 1/O). "
                      "Slayttaki O_out ile doğal logaritmalı hata 2.2229'dur (0.966'nın ln 10 katı); gerçek softmax "
                      "çıkışlarıyla 2.6793'tür. Slayt iki geleneği karıştırıyor"))
    lesson.show("categorical", Text("the usual loss for a softmax output: categorical cross-entropy -ln O_out1",
                                    "softmax çıkışı için olağan kayıp: kategorik cross-entropy -ln O_out1"),
                nn.CrossEntropyLoss()(exact_o_in.unsqueeze(0), np.array([0])).item(),
                Text("With one-hot targets only the true class's term remains. The lecture's error adds binary "
                     "terms for the wrong classes too: a different loss (multi-label style).",
                     "One-hot hedeflerde yalnızca doğru sınıfın terimi kalır. Dersin hatası yanlış sınıflar için de "
                     "ikili terimler ekliyor: farklı bir kayıp (çok etiketli tarzı)."))
    return model


def output_layer_steps(lesson, exact):
    lesson.check("de-doout", Text("dE/dO_out with the lecture's formula -(y/O + (1 - y)/(1 - O))",
                                  "dersin formülüyle dE/dO_out: -(y/O + (1 - y)/(1 - O))"),
                 ["-3.70644", "-1.4755", "-1.6886"], -(TARGET / O_OUT + (1 - TARGET) / (1 - O_OUT)))
    lesson.check("de-doout-exact", Text("dE/dO_out exactly, by autograd", "dE/dO_out tam olarak, autograd ile"),
                 ["-3.70644", "-1.4755", "-1.6886"], exact["de_doout"],
                 Text("the derivative of -(1 - y) log(1 - O) is +(1 - y)/(1 - O): the slide's formula has a sign "
                      "error, so the two wrong classes get -1.4756 and -1.6886 instead of +1.4756 and +1.6886 (at "
                      "the slide's O_out). At the real softmax outputs the exact values are -5.0391, +1.3993, +2.0670",
                      "-(1 - y) log(1 - O)'nun türevi +(1 - y)/(1 - O)'dur: slayttaki formülde işaret hatası var; "
                      "iki yanlış sınıf (slayttaki O_out'ta) +1.4756 ve +1.6886 yerine -1.4756 ve -1.6886 alıyor. "
                      "Gerçek softmax çıkışlarında tam değerler -5.0391, +1.3993, +2.0670"))
    diagonal = O_OUT * (1 - O_OUT)        # e^a (e^b + e^c) / (e^a + e^b + e^c)^2 = s (1 - s)
    lesson.check("doout-doin", Text("dO_out/dO_in with the lecture's formula e^a (e^b + e^c) / (sum e)^2",
                                    "dersin formülüyle dO_out/dO_in: e^a (e^b + e^c) / (toplam e)^2"),
                 ["0.15911", "0.2040", "0.3685"], diagonal,
                 Text("the formula equals s (1 - s) = 0.1970, 0.2184, 0.2415; the slide's numbers do not follow from "
                      "it (slips). It is also only the diagonal: O_out1 depends on O_in2 and O_in3 too, with "
                      "dO_out_a/dO_in_b = -s_a s_b, and the lecture drops those terms",
                      "formül s (1 - s) = 0.1970, 0.2184, 0.2415'e eşittir; slayttaki sayılar bundan çıkmıyor (hesap "
                      "hatası). Ayrıca yalnızca köşegen: O_out1, O_in2 ve O_in3'e de bağlı, dO_out_a/dO_in_b = "
                      "-s_a s_b; ders bu terimleri atıyor"))
    lecture_dw_kl = np.outer(H2_OUT, DE_DOOUT * DOOUT_DOIN)
    lesson.check("dw-kl", Text("dE/dW_kl the lecture's way: dE/dO_out . dO_out/dO_in . h2_out, from its printed factors",
                               "dersin yoluyla dE/dW_kl: dE/dO_out . dO_out/dO_in . h2_out, yazılan çarpanlardan"),
                 DW_KL, lecture_dw_kl,
                 Text("columns 1 and 3 follow from the printed factors; column 2 does not: "
                      "-1.4755 . 0.2040 . 0.938 = -0.2823, not -0.0576",
                      "1. ve 3. sütunlar yazılan çarpanlardan çıkıyor; 2. sütun çıkmıyor: "
                      "-1.4755 . 0.2040 . 0.938 = -0.2823'tür, -0.0576 değil"))
    lesson.check("new-w-kl", Text("new W_kl = W_kl - lr . dW_kl, from the slide's dW_kl",
                                  "yeni W_kl = W_kl - lr . dW_kl, slayttaki dW_kl'den"),
                 NEW_KL, W_KL - LR * np.array(DW_KL, dtype=float),
                 Text("six entries follow; three lose a digit: 0.3 + 0.00554347 = 0.30554347 (slide 0.30055), "
                      "0.2 + 0.005849 = 0.205849 (slide 0.2005849), 0.5 + 0.00577937 = 0.50577937 (slide 0.5005779), "
                      "0.9 + 0.006098 = 0.906098 (slide 0.9006098)",
                      "altı değer tutuyor; bazılarında basamak kaymış: 0.3 + 0.00554347 = 0.30554347 (slayt 0.30055), "
                      "0.2 + 0.005849 = 0.205849 (slayt 0.2005849), 0.5 + 0.00577937 = 0.50577937 (slayt 0.5005779), "
                      "0.9 + 0.006098 = 0.906098 (slayt 0.9006098)"))


def hidden_layer_steps(lesson):
    lesson.check("dh2-dh2in", Text("dh2_out/dh2_in = sigmoid(h2_in) (1 - sigmoid(h2_in)) at the slide's h2_in",
                                   "slayttaki h2_in'de dh2_out/dh2_in = sigmoid(h2_in) (1 - sigmoid(h2_in))"),
                 ["0.058156", "0.0564", "0.0196"], _sigmoid(H2_IN) * (1 - _sigmoid(H2_IN)),
                 Text("sigmoid(2.73) = 0.93877, so the derivative is 0.05748; likewise 0.05598 and 0.01765: the "
                      "slide's values are slips",
                      "sigmoid(2.73) = 0.93877, türev 0.05748'dir; benzer şekilde 0.05598 ve 0.01765: slayttaki "
                      "değerler hesap hatası"))
    lecture_de_dh2 = (DE_DOOUT * DOOUT_DOIN) @ W_KL.T
    lesson.check("de-dh2", Text("dE/dh2_out = sum over outputs of dE/dO_out . dO_out/dO_in . W_kl, from the printed factors",
                                "dE/dh2_out = çıkışlar üzerinden dE/dO_out . dO_out/dO_in . W_kl toplamı, yazılan çarpanlardan"),
                 ["-0.8903", "-0.74218", "-1.0810"], lecture_de_dh2,
                 Text("the slide's partial products are off, e.g. -1.4755 . 0.2040 . 0.4 = -0.1204 (slide -0.2383) "
                      "and -1.6886 . 0.3685 . 0.8 = -0.4978 (slide -0.5931); the sums are -0.6772, -0.5121, -0.9151",
                      "slayttaki ara çarpımlar yanlış, örneğin -1.4755 . 0.2040 . 0.4 = -0.1204 (slayt -0.2383) ve "
                      "-1.6886 . 0.3685 . 0.8 = -0.4978 (slayt -0.5931); toplamlar -0.6772, -0.5121, -0.9151"))
    lesson.check("dw-jk", Text("dE/dW_jk = dE/dh2_out . dh2_out/dh2_in . h1_out, from the printed factors",
                               "dE/dW_jk = dE/dh2_out . dh2_out/dh2_in . h1_out, yazılan çarpanlardan"),
                 DW_JK, np.outer(H1, DE_DH2 * DH2_DIN))
    lesson.check("new-w-jk", Text("new W_jk from the slide's dW_jk", "slayttaki dW_jk'den yeni W_jk"), NEW_JK,
                 W_JK - LR * np.array(DW_JK, dtype=float),
                 Text("0.8 + 0.01 . 0.03813 = 0.8003813; the slide's 0.803813 misplaces a digit",
                      "0.8 + 0.01 . 0.03813 = 0.8003813; slayttaki 0.803813'te basamak kaymış"))
    lecture_de_dh1 = DE_DH2 * DH2_DIN * np.diag(W_JK)
    lesson.check("de-dh1", Text("dE/dh1_out the lecture's way: one path per unit, through W_j1k1, W_j2k2, W_j3k3",
                                "dersin yoluyla dE/dh1_out: birim başına tek yol, W_j1k1, W_j2k2, W_j3k3 üzerinden"),
                 ["-0.01035", "-0.0209", "-0.0169"], lecture_de_dh1,
                 Text("but h1_out_j reaches the error through all three units of h2, so the chain rule sums three "
                      "paths: dE/dh1_j = sum_k dE/dh2_k . dh2_k/dh2in_k . W_jk; the slide keeps only k = j",
                      "ama h1_out_j hataya h2'nin üç biriminden de ulaşır; zincir kuralı üç yolu toplar: "
                      "dE/dh1_j = toplam_k dE/dh2_k . dh2_k/dh2in_k . W_jk; slayt yalnızca k = j'yi alıyor"))
    lesson.check("relu-derivative", Text("dh1_out/dh1_in = relu'(h1_in): 1 where h1_in > 0", "dh1_out/dh1_in = relu'(h1_in): h1_in > 0 ise 1"),
                 ["1.0", "1.0", "1.0"], (INPUT @ W_IJ + BIAS > 0).astype(float))
    lesson.check("dw-ij", Text("dE/dW_ij = dE/dh1_out . 1 . i, from the printed factors",
                               "dE/dW_ij = dE/dh1_out . 1 . i, yazılan çarpanlardan"), DW_IJ, np.outer(INPUT, DE_DH1))
    lesson.check("new-w-ij", Text("new W_ij from the slide's dW_ij", "slayttaki dW_ij'den yeni W_ij"), NEW_IJ,
                 W_IJ - LR * np.array(DW_IJ, dtype=float))


def exact_steps(lesson, model, exact):
    for layer_index, name, printed in ((4, "w-kl", NEW_KL), (2, "w-jk", NEW_JK), (0, "w-ij", NEW_IJ)):
        lesson.check(f"exact-{name}", Text(f"new {name.upper().replace('-', '_')} exactly: autograd and one SGD step (lr 0.01)",
                                           f"tam olarak yeni {name.upper().replace('-', '_')}: autograd ve bir SGD adımı (lr 0.01)"),
                     printed, model[layer_index].weight.data.T,
                     Text("the exact gradient differs from the lecture's: correct signs for the wrong classes, the "
                          "full softmax Jacobian, every path through the hidden units, and no rounding on the way",
                          "tam gradyan dersinkinden farklı: yanlış sınıflar için doğru işaretler, tam softmax "
                          "Jacobian'ı, gizli birimlerden geçen tüm yollar ve ara yuvarlama yok"))
    lesson.show("bias-gradients", Text("dE/db of the output layer (autograd)", "çıkış katmanının dE/db'si (autograd)"),
                exact["bias_grad"],
                Text("The biases are parameters too; the lecture leaves them at 1.0, sinir's SGD updates them.",
                     "Bias'lar da parametredir; ders onları 1.0'da bırakıyor, sinir'in SGD'si güncelliyor."))
    lesson.show("update-sign", Text("the update rule on slide 3: w(k+1) = w(k) + eta dE/dw",
                                    "slayt 3'teki güncelleme kuralı: w(k+1) = w(k) + eta dE/dw"), -LR,
                Text("Descent subtracts: w(k+1) = w(k) - eta dE/dw (the sign sinir's SGD applies, shown here as "
                     "the factor -eta). The later slides do subtract.",
                     "İniş çıkarır: w(k+1) = w(k) - eta dE/dw (sinir'in SGD'sinin uyguladığı işaret, burada -eta "
                     "çarpanı olarak). Sonraki slaytlar gerçekten çıkarıyor."))


def three_layer_network():
    lesson = Lesson("backprop-3333", Text("Backpropagation by hand on the 3-3-3-3 network",
                                          "3-3-3-3 ağında elle geri yayılım"), SOURCE)
    model = forward_steps(lesson)
    output = model[:5](Tensor(INPUT, dtype=np.float64))
    probabilities = output.softmax(axis=0).retain_grad()
    error = F.binary_cross_entropy(probabilities, Tensor(TARGET, dtype=np.float64), reduction="sum")
    model.zero_grad()
    error.backward()
    exact = {"de_doout": probabilities.grad.copy(), "bias_grad": model[4].bias.grad.copy()}
    output_layer_steps(lesson, exact)
    hidden_layer_steps(lesson)
    optim.SGD(model.parameters(), lr=LR).step()
    exact_steps(lesson, model, exact)
    return lesson
