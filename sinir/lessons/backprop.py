"""The lecture (002): the 3-3-3-3 network (ReLU, sigmoid, softmax) trained one step by hand.

Each quantity is computed twice: the lecture's way (its formulas, fed with the rounded numbers it
printed, as a student following the slides would) and exactly, by sinir's autograd on the real
network. The exact intermediate gradients are shown layer by layer beside the slide's, and a
replay fixes the slide's slips one at a time to show how each moves the final weights.
"""
import numpy as np

from .. import nn, optim
from ..nn import functional as F
from ..tensor import Tensor
from .base import Lesson, Text, says

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
H1 = np.array([1.35, 1.27, 1.8])
H2_IN = np.array([2.73, 2.76, 4.001])
H2_OUT = np.array([0.938, 0.94, 0.98])
O_IN = np.array([1.8658, 2.2292, 2.8204])
O_OUT = np.array([0.2698, 0.3223, 0.4078])
ERROR_TERMS = ["0.569858", "0.16886", "0.22753"]
DE_DOOUT = np.array([-3.70644, -1.4755, -1.6886])
DOOUT_DOIN = np.array([0.15911, 0.2040, 0.3685])
DH2_DIN = np.array([0.058156, 0.0564, 0.0196])
DE_DH2_TERMS = [["-0.0589", "-0.2383", "-0.5931"], ["-0.1769", "-0.417", "-0.14828"], ["-0.2948", "-0.119", "-0.667"]]
DE_DH2 = np.array([-0.8903, -0.74218, -1.0810])
DE_DH1 = np.array([-0.01035, -0.0209, -0.0169])
DW_KL = [["-0.5531", "-0.0576", "-0.5836"], ["-0.554347", "-0.0577", "-0.5849"], ["-0.577937", "-0.06017", "-0.6098"]]
DW_JK = [["-0.06989", "-0.0565", "-0.0286"], ["-0.06575", "-0.05316", "-0.0269"], ["-0.0932", "-0.0753", "-0.03813"]]
DW_IJ = [["-0.001035", "-0.00209", "-0.00169"], ["-0.00207", "-0.00418", "-0.00338"], ["-0.007245", "-0.01463", "-0.01183"]]
NEW_KL = [["0.105531", "0.400576", "0.805836"], ["0.30055", "0.700577", "0.2005849"], ["0.5005779", "0.2006017", "0.9006098"]]
NEW_JK = [["0.2006989", "0.300565", "0.500286"], ["0.3006575", "0.5005316", "0.700269"], ["0.600932", "0.400753", "0.803813"]]
NEW_IJ = [["0.10001035", "0.2000209", "0.3000169"], ["0.3000207", "0.2000418", "0.7000338"],
          ["0.40007245", "0.3001463", "0.9001183"]]


def _f(printed):
    return np.array(printed, dtype=float)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def network():
    """The lecture's network in sinir: x W + b is Linear with weight W^T (PyTorch's layout)."""
    layers = [nn.Linear(3, 3).double() for _ in range(3)]
    for layer, weights in zip(layers, (W_IJ, W_JK, W_KL)):
        layer.load_state_dict({"weight": weights.T, "bias": np.full(3, BIAS)})
    return nn.Sequential(layers[0], nn.ReLU(), layers[1], nn.Sigmoid(), layers[2], nn.Softmax(dim=-1))


def lectures_error(o_out, log=np.log):
    """The lecture's 'crossentropy': a binary cross-entropy summed over the three outputs."""
    return -np.sum(TARGET * log(o_out) + (1 - TARGET) * log(1 - o_out))


def exact_pass():
    """Forward and backward through sinir's network, keeping every intermediate and its gradient
    (the error is the lecture's: binary cross-entropy summed over the softmax outputs)."""
    model = network()
    tensors = {"input": Tensor(INPUT, dtype=np.float64)}
    x = tensors["input"]
    for index, name in enumerate(("h1_in", "h1", "h2_in", "h2", "o_in", "o_out")):
        x = model[index](x)
        x.retain_grad()
        tensors[name] = x
    error = F.binary_cross_entropy(x, Tensor(TARGET, dtype=np.float64), reduction="sum")
    model.zero_grad()
    error.backward()
    values = {name: np.asarray(t.numpy(), dtype=np.float64).copy() for name, t in tensors.items()}
    grads = {name: np.asarray(t.grad, dtype=np.float64).copy() for name, t in tensors.items() if t.grad is not None}
    grads["bias_kl"] = np.asarray(model[4].bias.grad, dtype=np.float64).copy()
    optim.SGD(model.parameters(), lr=LR).step()
    new = {key: np.asarray(model[index].weight.numpy(), dtype=np.float64).T.copy()
           for key, index in (("kl", 4), ("jk", 2), ("ij", 0))}
    return {"model": model, "values": values, "grads": grads, "error": error.item(), "new": new}


# ----- the replay: the slide's numbers, its slips fixed one at a time ---------------------------------

FIXES = [
    ("copying", Text("the copying slips in the new weights (W_kl 4 entries, W_jk 1)",
                     "yeni ağırlıklardaki aktarma hataları (W_kl'de 4, W_jk'de 1 değer)")),
    ("factor-twice", Text("column 2 of dW_kl, where dO_out2/dO_in2 was applied twice",
                          "dW_kl'nin 2. sütunu (dO_out2/dO_in2 iki kez çarpılmış)")),
    ("doout3", Text("dO_out3/dO_in3 = 0.2497 instead of 0.3685", "0,3685 yerine dO_out3/dO_in3 = 0,2497")),
    ("de-dh2", Text("the products of dE/dh2_out's columns 2 and 3", "dE/dh2_out'un 2. ve 3. sütun çarpımları")),
    ("rounding", Text("no carried rounding (and h2_in3 = 4.004)", "ara yuvarlama yok (ve h2_in3 = 4,004)")),
    ("softmax", Text("the real softmax e^O_in / sum(e^O_in) in dE/dO_out", "dE/dO_out'ta gerçek softmax e^O_in / toplam(e^O_in)")),
    ("sign", Text("the sign of dE/dO_out for the wrong classes", "yanlış sınıflar için dE/dO_out'un işareti")),
    ("jacobian", Text("the full softmax Jacobian (not only its diagonal)", "softmax Jacobian'ının tamamı (yalnızca köşegeni değil)")),
    ("paths", Text("every path through h2 in dE/dh1_out", "dE/dh1_out'ta h2'den geçen bütün yollar")),
]


def replay(fixed=()):
    """The lecture's update with the fixes named in ``fixed`` (keys of FIXES) applied; without
    any fix it is the slide as printed, with all of them it is exact backpropagation.
    Returns the new weights {"kl", "jk", "ij"} and the intermediates."""
    fixed = set(fixed)
    h1 = np.maximum(0, INPUT @ W_IJ + BIAS)
    if "rounding" in fixed:
        h2 = _sigmoid(h1 @ W_JK + BIAS)
        o_in = h2 @ W_KL + BIAS
        s = _softmax(o_in)
        o_out = s if "softmax" in fixed else o_in / o_in.sum()
        if "sign" in fixed:
            de_dout = -TARGET / o_out + (1 - TARGET) / (1 - o_out)
        else:
            de_dout = -(TARGET / o_out + (1 - TARGET) / (1 - o_out))
        if "jacobian" in fixed:
            delta = (np.diag(s) - np.outer(s, s)) @ de_dout        # dE/dO_in = J^T dE/dO_out
        else:
            delta = de_dout * s * (1 - s)
        dw_kl = np.outer(h2, delta)
        de_dh2 = W_KL @ delta
        g = de_dh2 * h2 * (1 - h2)
        dw_jk = np.outer(h1, g)
        de_dh1 = W_JK @ g if "paths" in fixed else g * np.diag(W_JK)
        dw_ij = np.outer(INPUT, de_dh1)
    else:
        d = DOOUT_DOIN.copy()
        if "doout3" in fixed:
            s = _softmax(O_IN)
            d[2] = s[2] * (1 - s[2])
        delta = DE_DOOUT * d
        dw_kl = _f(DW_KL)
        if "factor-twice" in fixed:
            dw_kl[:, 1] = H2_OUT * delta[1]
        if "doout3" in fixed:
            dw_kl[:, 2] = H2_OUT * delta[2]
        if "de-dh2" in fixed:
            de_dh2 = W_KL @ delta
            dw_jk = np.outer(H1, de_dh2 * DH2_DIN)
            de_dh1 = de_dh2 * DH2_DIN * np.diag(W_JK)
            dw_ij = np.outer(INPUT, de_dh1)
        else:
            de_dh2, dw_jk, de_dh1, dw_ij = DE_DH2, _f(DW_JK), DE_DH1, _f(DW_IJ)
    if fixed:
        new = {"kl": W_KL - LR * dw_kl, "jk": W_JK - LR * dw_jk, "ij": W_IJ - LR * dw_ij}
    else:
        new = {"kl": _f(NEW_KL), "jk": _f(NEW_JK), "ij": _f(NEW_IJ)}
    return {"new": new, "de_dh2": de_dh2, "de_dh1": de_dh1, "dw_kl": dw_kl, "dw_jk": dw_jk, "dw_ij": dw_ij}


# ----- the steps --------------------------------------------------------------------------------------

def forward_steps(lesson, exact):
    values = exact["values"]
    lesson.check("h1", Text("h1 = relu(i · W_ij + b)", "h1 = relu(i · W_ij + b)"), ["1.35", "1.27", "1.8"], values["h1"])
    lesson.check("h2-in", Text("h2_in = h1 · W_jk + b", "h2_in = h1 · W_jk + b"), ["2.73", "2.76", "4.001"],
                 values["h2_in"],
                 says("1.35·0.5 + 1.27·0.7 + 1.8·0.8 + 1 = {third}, not 4.001 (an arithmetic slip); 2.731 is printed "
                      "as 2.73. Both vanish in the next step: sigmoid(4.001) and sigmoid(4.004) are both 0.982",
                      "1,35·0,5 + 1,27·0,7 + 1,8·0,8 + 1 = {third}'tür, 4,001 değil (hesap hatası); 2,731 de 2,73 "
                      "yazılmış. İkisi de bir sonraki adımda kaybolur: sigmoid(4,001) ile sigmoid(4,004) ikisi de 0,982",
                      third=values["h2_in"][2]),
                 kind=[None, None, "slip"])
    lesson.check("h2-out", Text("h2_out = sigmoid(h2_in)", "h2_out = sigmoid(h2_in)"), ["0.938", "0.94", "0.98"],
                 values["h2"],
                 says("the exact values {exact}: the slide truncates the first and rounds the others",
                      "tam değerler {exact}: slayt ilkini kesiyor, ötekileri yuvarlıyor", digits=5, exact=values["h2"]))
    lesson.check("o-in", Text("O_in = h2_out · W_kl + b, the lecture's way (from the rounded h2_out)",
                              "O_in = h2_out · W_kl + b, dersin yolu (yuvarlanmış h2_out'tan)"),
                 ["1.8658", "2.2292", "2.8204"], H2_OUT @ W_KL + BIAS)
    lesson.check("o-in-exact", Text("O_in exactly, by sinir's forward pass", "O_in tam olarak, sinir'in ileri geçişiyle"),
                 ["1.8658", "2.2292", "2.8204"], values["o_in"],
                 says("carried rounding, not a slip: the slide feeds its rounded h2_out (0.938, 0.94, 0.98) forward, "
                      "and from those its O_in is exact; from the unrounded {h2} the scores are {o_in}",
                      "ara yuvarlama, hesap hatası değil: slayt yuvarlanmış h2_out'u (0,938; 0,94; 0,98) ileri "
                      "taşıyor ve onlardan O_in'i tam doğru; yuvarlanmamış {h2} ile skorlar {o_in} olur",
                      digits=5, h2=values["h2"], o_in=values["o_in"]),
                 carried=H2_OUT @ W_KL + BIAS)
    lesson.check("o-out", Text("O_out, the lecture's way: its numbers are O_in / sum(O_in)",
                               "O_out, dersin yoluyla: sayıları O_in / toplam(O_in)"),
                 ["0.2698", "0.3223", "0.4078"], O_IN / O_IN.sum(),
                 says("1.8658 / (1.8658 + 2.2292 + 2.8204) = {first}: the arithmetic is right, but the slide divides "
                      "by the sum without exponentiating first, so this is not the softmax it defines",
                      "1,8658 / (1,8658 + 2,2292 + 2,8204) = {first}: aritmetik doğru, ama slayt önce üstel almadan "
                      "toplama bölüyor; bu, kendi tanımladığı softmax değil", first=O_IN[0] / O_IN.sum()),
                 kind="method")
    real = _softmax(O_IN)
    lesson.check("softmax", Text("O_out = softmax(O_in) = e^O_in / sum(e^O_in), by sinir's Softmax",
                                 "O_out = softmax(O_in) = e^O_in / toplam(e^O_in), sinir'in Softmax'ıyla"),
                 ["0.2698", "0.3223", "0.4078"], Tensor(O_IN, dtype=np.float64).softmax(dim=0).numpy(),
                 says("the softmax the slide's formula defines gives {real}: the printed probabilities skipped the "
                      "exponential, and dE/dO_out inherits them (but dO_out/dO_in below uses the real softmax)",
                      "slayttaki formülün tanımladığı softmax {real} verir: yazılan olasılıklar üstel almayı atlamış; "
                      "dE/dO_out bunları devralıyor (aşağıdaki dO_out/dO_in ise gerçek softmax'ı kullanıyor)", real=real),
                 kind="method")
    terms = np.array([-np.log10(O_OUT[0]), -np.log10(1 - O_OUT[1]), -np.log10(1 - O_OUT[2])])
    lesson.check("error-terms", Text("the three terms of the error: -log O_out1, -log(1 - O_out2), -log(1 - O_out3)",
                                     "hatanın üç terimi: -log O_out1, -log(1 - O_out2), -log(1 - O_out3)"),
                 ERROR_TERMS, terms,
                 says("the terms are base-10 logarithms: -log10 0.2698 = 0.568958 (the slide swaps two digits: "
                      "0.569858), -log10 0.6777 = {second} (slide 0.16886), -log10 0.5922 = {third}",
                      "terimler 10 tabanında logaritma: -log10 0,2698 = 0,568958 (slayt iki basamağın yerini "
                      "değiştiriyor: 0,569858), -log10 0,6777 = {second} (slayt 0,16886), -log10 0,5922 = {third}",
                      digits=6, second=terms[1], third=terms[2]),
                 kind=["slip", "slip", None])
    lesson.check("error", Text("the lecture's error -sum[y log O + (1 - y) log(1 - O)], its way (base 10)",
                               "dersin hatası -toplam[y log O + (1 - y) log(1 - O)], kendi yoluyla (10 tabanı)"),
                 "0.97", lectures_error(O_OUT, np.log10),
                 says("the sum {exact} rounds to 0.97 (the slide's own terms add up to 0.96625): the arithmetic holds, "
                      "but the error is taken in base 10 while the lecture's derivatives (d log O / dO = 1/O) are "
                      "those of the natural logarithm",
                      "toplam {exact}, 0,97'ye yuvarlanır (slaydın kendi terimlerinin toplamı 0,96625): aritmetik "
                      "tutuyor, ama hata 10 tabanında alınmış, dersin türevleri (d log O / dO = 1/O) ise doğal "
                      "logaritmanınki", digits=5, exact=lectures_error(O_OUT, np.log10)),
                 kind="method")
    natural = lectures_error(O_OUT)
    lesson.check("error-natural-log", Text("the same error with the natural logarithm, at the real softmax (sinir's "
                                           "BCELoss, summed)",
                                           "aynı hata doğal logaritmayla, gerçek softmax'ta (sinir'in BCELoss'u, toplam)"),
                 "0.97", exact["error"],
                 says("losses use the natural logarithm, and so do the lecture's own derivatives. With the slide's "
                      "O_out the natural-log error is {natural} (0.9654 times ln 10); at the real softmax outputs it is "
                      "{exact}. The slide mixes the two logarithm bases",
                      "kayıplar doğal logaritma kullanır, dersin kendi türevleri de öyle. Slayttaki O_out ile doğal "
                      "logaritmalı hata {natural} (0,9654 çarpı ln 10); gerçek softmax çıkışlarıyla {exact}. Slayt "
                      "iki logaritma tabanını karıştırıyor", natural=natural, exact=exact["error"]),
                 kind="method")
    lesson.show("categorical", Text("the usual loss for a softmax output: categorical cross-entropy -ln O_out1",
                                    "softmax çıkışı için olağan kayıp: kategorik cross-entropy -ln O_out1"),
                -np.log(exact["values"]["o_out"][0]),
                Text("With one-hot targets only the true class's term remains. The lecture's error adds binary "
                     "terms for the wrong classes too: a different loss (multi-label style).",
                     "One-hot hedeflerde yalnızca doğru sınıfın terimi kalır. Dersin hatası yanlış sınıflar için de "
                     "ikili terimler ekliyor: farklı bir kayıp (çok etiketli sınıflandırmadaki gibi)."))


def output_layer_steps(lesson, exact):
    grads = exact["grads"]
    lesson.check("de-doout", Text("dE/dO_out with the lecture's formula -(y/O + (1 - y)/(1 - O)), at its O_out",
                                  "dersin formülüyle, kendi O_out'unda dE/dO_out: -(y/O + (1 - y)/(1 - O))"),
                 ["-3.70644", "-1.4755", "-1.6886"], -(TARGET / O_OUT + (1 - TARGET) / (1 - O_OUT)),
                 Text("the arithmetic holds, but the formula has a sign error: the derivative of -(1 - y) log(1 - O) "
                      "is +(1 - y)/(1 - O), so the two wrong classes should get +1.4756 and +1.6886",
                      "aritmetik tutuyor, ama formülde işaret hatası var: -(1 - y) log(1 - O)'nun türevi "
                      "+(1 - y)/(1 - O)'dur; iki yanlış sınıf +1,4756 ve +1,6886 almalı"),
                 kind="method")
    lesson.check("de-doout-exact", Text("dE/dO_out exactly, by autograd (at the real softmax outputs)",
                                        "dE/dO_out tam olarak, autograd ile (gerçek softmax çıkışlarında)"),
                 ["-3.70644", "-1.4755", "-1.6886"], grads["o_out"],
                 says("the right sign and the real O_out = {o_out} give {exact}",
                      "doğru işaret ve gerçek O_out = {o_out} ile {exact} olur",
                      o_out=exact["values"]["o_out"], exact=grads["o_out"]),
                 kind="method")
    s = _softmax(O_IN)
    diagonal = np.exp(O_IN) * (np.exp(O_IN).sum() - np.exp(O_IN)) / np.exp(O_IN).sum() ** 2
    lesson.check("doout-doin", Text("dO_out/dO_in with the lecture's formula e^a (e^b + e^c) / (sum e)^2, at its O_in",
                                    "dersin formülüyle, kendi O_in'inde dO_out/dO_in: e^a (e^b + e^c) / (toplam e)^2"),
                 ["0.15911", "0.2040", "0.3685"], diagonal,
                 says("applied to the lecture's O_in the formula gives {d}: the first two printed values are right "
                      "to the 4 digits the lecture works with, the third is a slip (0.3685 for {third}). The formula "
                      "equals s (1 - s) of the real softmax s = {s}; here the slide uses the real softmax, while its "
                      "dE/dO_out used O_in / sum(O_in). It is the diagonal of the Jacobian only: O_out1 depends on "
                      "O_in2 and O_in3 too, with dO_out_a/dO_in_b = -s_a s_b",
                      "dersin O_in'ine uygulanınca formül {d} verir: yazılan ilk iki değer dersin çalıştığı 4 basamağa "
                      "kadar doğru, üçüncüsü hesap hatası ({third} yerine 0,3685). Formül gerçek softmax s = {s} için "
                      "s (1 - s)'ye eşittir; slayt burada gerçek softmax'ı kullanıyor, dE/dO_out'ta ise O_in / "
                      "toplam(O_in)'i kullanmıştı. Bu, Jacobian'ın yalnızca köşegeni: O_out1, O_in2 ve O_in3'e de "
                      "bağlıdır, dO_out_a/dO_in_b = -s_a s_b",
                      d=diagonal, third=diagonal[2], s=s),
                 kind=[None, None, "slip"], significant=4)
    delta = DE_DOOUT * DOOUT_DOIN
    lesson.show("de-doin-exact", Text("dE/dO_in exactly, by autograd: J^T dE/dO_out with the full softmax Jacobian "
                                      "J = diag(s) - s s^T",
                                      "dE/dO_in tam olarak, autograd ile: softmax Jacobian'ının tamamıyla "
                                      "(J = diag(s) - s s^T) J^T dE/dO_out"),
                grads["o_in"],
                says("The slide never writes dE/dO_in itself; its factors imply dE/dO_out · dO_out/dO_in = {implied}. "
                     "The full Jacobian adds the off-diagonal terms -s_a s_b, and the exact values, {exact}, sum to "
                     "{total}: a softmax's input gradients always do, since adding a constant to every O_in changes "
                     "nothing",
                     "Slayt dE/dO_in'i hiç yazmıyor; çarpanlarından dE/dO_out · dO_out/dO_in = {implied} çıkıyor. Tam "
                     "Jacobian köşegen dışındaki -s_a s_b terimlerini ekler; tam değerler {exact}, toplamları {total}: "
                     "softmax girdilerinin gradyanları her zaman böyledir, çünkü her O_in'e aynı sabiti eklemek hiçbir "
                     "şeyi değiştirmez",
                     implied=delta, total=abs(grads["o_in"].sum()), exact=grads["o_in"]))
    lecture_dw_kl = np.outer(H2_OUT, delta)
    lesson.check("dw-kl", Text("dE/dW_kl the lecture's way: dE/dO_out · dO_out/dO_in · h2_out, from its printed factors",
                               "dersin yoluyla dE/dW_kl: dE/dO_out · dO_out/dO_in · h2_out, yazılan çarpanlardan"),
                 DW_KL, lecture_dw_kl,
                 says("columns 1 and 3 follow from the printed factors, but the method keeps only the Jacobian's "
                      "diagonal and the wrong-signed dE/dO_out. Column 2 is a slip: -1.4755 · 0.2040 · 0.938 = "
                      "{right}, and {right} · 0.2040 = {twice}, exactly the slide's value: dO_out2/dO_in2 = 0.2040 "
                      "applied twice (every row of the column fits)",
                      "1. ve 3. sütunlar yazılan çarpanlardan çıkıyor, ama yöntem Jacobian'ın yalnızca köşegenini ve "
                      "işareti yanlış dE/dO_out'u kullanıyor. 2. sütun hesap hatası: -1,4755 · 0,2040 · 0,938 = "
                      "{right}; {right} · 0,2040 = {twice} ise tam slayttaki değer: dO_out2/dO_in2 = 0,2040 iki kez "
                      "çarpılmış (sütunun her satırı buna uyuyor)",
                      right=lecture_dw_kl[0, 1], twice=lecture_dw_kl[0, 1] * DOOUT_DOIN[1]),
                 kind=[["method", "slip", "method"]] * 3)
    moved = W_KL - LR * _f(DW_KL)
    printed = _f(NEW_KL)
    wrong = ~np.isclose(moved, printed, atol=5e-8)
    lesson.check("new-w-kl", Text("new W_kl = W_kl - lr · dW_kl, from the slide's dW_kl",
                                  "yeni W_kl = W_kl - lr · dW_kl, slayttaki dW_kl'den"),
                 NEW_KL, moved,
                 Text(f"{(~wrong).sum()} entries follow, {wrong.sum()} do not: 0.3 + 0.00554347 = 0.30554347 (slide "
                      "0.30055), 0.2 + 0.005849 = 0.205849 (slide 0.2005849), 0.5 + 0.00577937 = 0.50577937 (slide "
                      "0.5005779), 0.9 + 0.006098 = 0.906098 (slide 0.9006098). In all four the change lr · dW is "
                      "written one decimal place too far right, as if lr were 0.001",
                      f"{(~wrong).sum()} değer tutuyor, {wrong.sum()} değer tutmuyor: 0,3 + 0,00554347 = 0,30554347 "
                      "(slayt 0,30055), 0,2 + 0,005849 = 0,205849 (slayt 0,2005849), 0,5 + 0,00577937 = 0,50577937 "
                      "(slayt 0,5005779), 0,9 + 0,006098 = 0,906098 (slayt 0,9006098). Dördünde de lr · dW "
                      "değişimi bir basamak sağa kaymış, sanki lr 0,001'miş gibi"),
                 kind=np.where(wrong, "slip", None).tolist())


def hidden_layer_steps(lesson, exact):
    values, grads = exact["values"], exact["grads"]
    sigma_prime = values["h2"] * (1 - values["h2"])
    lesson.check("dh2-dh2in", Text("dh2_out/dh2_in = sigmoid(h2_in) (1 - sigmoid(h2_in)), exactly",
                                   "dh2_out/dh2_in = sigmoid(h2_in) (1 - sigmoid(h2_in)), tam olarak"),
                 ["0.058156", "0.0564", "0.0196"], sigma_prime,
                 says("carried rounding, not a slip: the slide's values are exactly s (1 - s) of its rounded "
                      "activations (0.938 · 0.062 = 0.058156, 0.94 · 0.06 = 0.0564, 0.98 · 0.02 = 0.0196). From the "
                      "unrounded activations they are {exact}; the third is 10% lower, because 0.98 hides 0.98208",
                      "ara yuvarlama, hesap hatası değil: slayttaki değerler tam olarak yuvarlanmış aktivasyonların "
                      "s (1 - s) değeri (0,938 · 0,062 = 0,058156; 0,94 · 0,06 = 0,0564; 0,98 · 0,02 = 0,0196). "
                      "Yuvarlanmamış aktivasyonlarla {exact} olur; üçüncüsü %10 küçük, çünkü 0,98 aslında 0,98208",
                      exact=sigma_prime),
                 carried=H2_OUT * (1 - H2_OUT))
    terms = DE_DOOUT * DOOUT_DOIN * W_KL                     # term [k, l] = dE/dO_l · dO_l/dO_in_l · W_kl
    printed_terms = _f(DE_DH2_TERMS)
    ratio = printed_terms / terms
    lesson.check("de-dh2-terms", Text("the nine products dE/dO_out_l · dO_out_l/dO_in_l · W_k,l inside dE/dh2_out, "
                                      "from the printed factors",
                                      "dE/dh2_out'un içindeki dokuz çarpım dE/dO_out_l · dO_out_l/dO_in_l · W_k,l, "
                                      "yazılan çarpanlardan"),
                 DE_DH2_TERMS, terms,
                 says("column 1 follows; columns 2 and 3 are a constant {r2} and {r3} times what the printed factors "
                      "give, in every row: the slide multiplied by {d2} and {d3} instead of its printed dO_out/dO_in "
                      "0.2040 and 0.3685",
                      "1. sütun tutuyor; 2. ve 3. sütunlar her satırda yazılan çarpanların verdiğinin sabit {r2} ve "
                      "{r3} katı: slayt, yazdığı dO_out/dO_in değerleri 0,2040 ve 0,3685 yerine {d2} ve {d3} ile "
                      "çarpmış", digits=3, r2=ratio[:, 1].mean(), r3=ratio[:, 2].mean(),
                      d2=ratio[:, 1].mean() * DOOUT_DOIN[1], d3=ratio[:, 2].mean() * DOOUT_DOIN[2]),
                 kind=[[None, "slip", "slip"]] * 3)
    lecture_de_dh2 = terms.sum(axis=1)
    lesson.check("de-dh2", Text("dE/dh2_out = sum over outputs of those products",
                                "dE/dh2_out = bu çarpımların çıkışlar üzerinden toplamı"),
                 ["-0.8903", "-0.74218", "-1.0810"], lecture_de_dh2,
                 says("the slide's sums follow from its products, which carry the slips of columns 2 and 3; from "
                      "the printed factors the sums are {sums}",
                      "slaydın toplamları kendi çarpımlarından çıkıyor, ama o çarpımlar 2. ve 3. sütunların "
                      "hatalarını taşıyor; yazılan çarpanlardan toplamlar {sums}", sums=lecture_de_dh2),
                 kind="slip")
    lesson.check("de-dh2-exact", Text("dE/dh2_out exactly, by autograd (full softmax Jacobian, right signs)",
                                      "dE/dh2_out tam olarak, autograd ile (softmax Jacobian'ının tamamı, doğru işaretler)"),
                 ["-0.8903", "-0.74218", "-1.0810"], grads["h2"],
                 says("dE/dO_in = J^T dE/dO_out with the full Jacobian is {de_doin} (these sum to 0, as softmax "
                      "inputs' gradients always do), and W_kl carries it back to {exact}",
                      "tam Jacobian ile dE/dO_in = J^T dE/dO_out = {de_doin} (softmax girdilerinin gradyanları gibi "
                      "toplamı 0), W_kl onu {exact} olarak geri taşıyor", de_doin=grads["o_in"], exact=grads["h2"]),
                 kind="method")
    lesson.check("dw-jk", Text("dE/dW_jk = dE/dh2_out · dh2_out/dh2_in · h1_out, from the printed factors",
                               "dE/dW_jk = dE/dh2_out · dh2_out/dh2_in · h1_out, yazılan çarpanlardan"),
                 DW_JK, np.outer(H1, DE_DH2 * DH2_DIN))
    moved = W_JK - LR * _f(DW_JK)
    wrong = ~np.isclose(moved, _f(NEW_JK), atol=5e-8)
    lesson.check("new-w-jk", Text("new W_jk from the slide's dW_jk", "slayttaki dW_jk'den yeni W_jk"), NEW_JK, moved,
                 Text("0.8 + 0.01 · 0.03813 = 0.8003813; the slide's 0.803813 writes the change one decimal place too "
                      "far left, as if lr were 0.1",
                      "0,8 + 0,01 · 0,03813 = 0,8003813; slayttaki 0,803813'te değişim bir basamak sola kaymış, "
                      "sanki lr 0,1'miş gibi"),
                 kind=np.where(wrong, "slip", None).tolist())
    lecture_de_dh1 = DE_DH2 * DH2_DIN * np.diag(W_JK)
    lesson.check("de-dh1", Text("dE/dh1_out the lecture's way: one path per unit, through W_j1k1, W_j2k2, W_j3k3",
                                "dersin yoluyla dE/dh1_out: birim başına tek yol, W_j1k1, W_j2k2, W_j3k3 üzerinden"),
                 ["-0.01035", "-0.0209", "-0.0169"], lecture_de_dh1,
                 Text("the arithmetic holds, but h1_out_j reaches the error through all three units of h2, so the "
                      "chain rule sums three paths: dE/dh1_j = sum_k dE/dh2_k · dh2_k/dh2in_k · W_jk; the slide keeps "
                      "only k = j",
                      "aritmetik tutuyor, ama h1_out_j hataya h2'nin üç biriminden de ulaşır; zincir kuralı üç yolu "
                      "toplar: dE/dh1_j = toplam_k dE/dh2_k · dh2_k/dh2in_k · W_jk; slayt yalnızca k = j'yi alıyor"),
                 kind="method")
    lesson.check("de-dh1-exact", Text("dE/dh1_out exactly, by autograd", "dE/dh1_out tam olarak, autograd ile"),
                 ["-0.01035", "-0.0209", "-0.0169"], grads["h1"],
                 says("all three paths, from the exact dE/dh2_out: {exact}", "üç yolun hepsi, tam dE/dh2_out'tan: {exact}",
                      exact=grads["h1"]),
                 kind="method")
    lesson.check("relu-derivative", Text("dh1_out/dh1_in = relu'(h1_in): 1 where h1_in > 0",
                                         "dh1_out/dh1_in = relu'(h1_in): h1_in > 0 ise 1"),
                 ["1.0", "1.0", "1.0"], (values["h1_in"] > 0).astype(float))
    lesson.check("dw-ij", Text("dE/dW_ij = dE/dh1_out · 1 · i, from the printed factors",
                               "dE/dW_ij = dE/dh1_out · 1 · i, yazılan çarpanlardan"), DW_IJ, np.outer(INPUT, DE_DH1))
    lesson.check("new-w-ij", Text("new W_ij from the slide's dW_ij", "slayttaki dW_ij'den yeni W_ij"), NEW_IJ,
                 W_IJ - LR * _f(DW_IJ))


def exact_steps(lesson, exact):
    for key, printed in (("kl", NEW_KL), ("jk", NEW_JK), ("ij", NEW_IJ)):
        lesson.check(f"exact-w-{key}", Text(f"new W_{key} exactly: autograd and one SGD step (lr 0.01)",
                                            f"tam olarak yeni W_{key}: autograd ve bir SGD adımı (lr 0,01)"),
                     printed, exact["new"][key],
                     Text("the exact gradient differs from the lecture's: right signs for the wrong classes, the real "
                          "softmax, the full Jacobian, every path through the hidden units, no rounding on the way, "
                          "and none of the slips (the replay below separates them)",
                          "tam gradyan dersinkinden farklı: yanlış sınıflar için doğru işaretler, gerçek softmax, "
                          "Jacobian'ın tamamı, gizli birimlerden geçen bütün yollar, ara yuvarlama yok ve hesap "
                          "hatalarının hiçbiri yok (aşağıdaki tekrar bunları birbirinden ayırıyor)"),
                     kind="method")
    lesson.show("bias-gradients", Text("dE/db of the output layer (autograd)", "çıkış katmanının dE/db'si (autograd)"),
                exact["grads"]["bias_kl"],
                Text("The biases are parameters too; the lecture leaves them at 1.0, sinir's SGD updates them.",
                     "Bias'lar da parametredir; ders onları 1,0'da bırakıyor, sinir'in SGD'si güncelliyor."))
    lesson.check("update-sign", Text("the update rule on slide 3, w(k+1) = w(k) + eta dE/dw: the factor of dE/dw",
                                     "slayt 3'teki güncelleme kuralı w(k+1) = w(k) + eta dE/dw: dE/dw'nin çarpanı"),
                 "0.01", -LR,
                 Text("descent subtracts: w(k+1) = w(k) - eta dE/dw (the factor -0.01 that sinir's SGD applies); "
                      "a sign slip in the formula, since slides 13-23 do subtract",
                      "iniş çıkarır: w(k+1) = w(k) - eta dE/dw (sinir'in SGD'sinin uyguladığı -0,01 çarpanı); "
                      "formülde işaret hatası, çünkü 13-23. slaytlar gerçekten çıkarıyor"),
                 kind="slip")


def replay_steps(lesson, exact):
    """Fix one slip at a time and show how far the final weights still are from the exact ones."""
    fixed, previous = [], replay(())["new"]
    for key, what in FIXES:
        fixed.append(key)
        new = replay(fixed)["new"]
        moved = [np.abs(new[k] - previous[k]).max() for k in ("kl", "jk", "ij")]
        left = [np.abs(new[k] - exact["new"][k]).max() for k in ("kl", "jk", "ij")]
        lesson.show(f"fix-{key}", Text("fix ", "düzelt: ") + what + Text(
            ": the largest distance left from the exact W_kl, W_jk, W_ij",
            "; tam W_kl, W_jk, W_ij'ye kalan en büyük uzaklık"), left,
            says("this fix moves the weights by up to {moved} (W_kl, W_jk, W_ij)",
                 "bu düzeltme ağırlıkları en çok {moved} kadar oynatıyor (W_kl, W_jk, W_ij)", digits=3, moved=moved))
        previous = new
    assert all(np.allclose(previous[k], exact["new"][k], rtol=0, atol=1e-12) for k in previous), \
        "the replay with every fix must be exact backpropagation"


def draw_network(folder, lang):
    from .. import viz
    values = exact_pass()["values"]
    layers = [("i", INPUT), ("h1", values["h1"]), ("h2", values["h2"]), ("o", values["o_out"])]
    weights = [W_IJ, W_JK, W_KL]
    graph = viz.network(layers, weights, title=Text("3-3-3-3 network: activations on the units, weights on the edges",
                                                      "3-3-3-3 ağı: birimlerde aktivasyonlar, kenarlarda ağırlıklar")(lang))
    return [viz.render(graph, folder, "backprop-3333-network", format) for format in ("svg", "png")]


def three_layer_network():
    lesson = Lesson("backprop-3333", Text("Backpropagation by hand on the 3-3-3-3 network",
                                          "3-3-3-3 ağında elle geri yayılım"), SOURCE)
    exact = exact_pass()
    forward_steps(lesson, exact)
    output_layer_steps(lesson, exact)
    hidden_layer_steps(lesson, exact)
    exact_steps(lesson, exact)
    replay_steps(lesson, exact)
    lesson.figure("network", draw_network)
    return lesson
