"""The course deck (001): logistic regression and the three batching modes."""
import numpy as np

from ..data import DataLoader, TensorDataset
from ..linear_model import LinearRegression, LogisticRegression
from .base import Lesson, Text, says
from .descent import SLIDE_X
from .regression import SOURCE


def logistic_regression():
    lesson = Lesson("logistic-regression", Text("Logistic regression: a prediction, a gradient step, the BCE",
                                                "Lojistik regresyon: bir tahmin, bir gradyan adımı, BCE"), SOURCE)
    model = LogisticRegression(max_iter=1).fit([[0.0, 0.0], [1.0, 1.0]], [0, 1])
    model.coef_, model.intercept_ = np.array([2.8, -4.5]), 0.4
    lesson.check("prediction-z", Text("z = 2.8 · 1 + (-4.5) · 1.5 + 0.4", "z = 2,8 · 1 + (-4,5) · 1,5 + 0,4"), "-3.55",
                 model.decision_function([[1.0, 1.5]])[0])
    lesson.check("probability", Text("y' = sigmoid(z) = 1 / (1 + e^3.55)", "y' = sigmoid(z) = 1 / (1 + e^3,55)"), "0.02",
                 model.predict_proba([[1.0, 1.5]])[0, 1],
                 Text("1 / (1 + e^3.55) = 0.0279: the slide truncates it (rounding gives 0.03); either way it is below 0.5",
                      "1 / (1 + e^3,55) = 0,0279: slayt kesiyor (yuvarlama 0,03 verir); her durumda 0,5'in altında"))
    lesson.check("class", Text("class with threshold 0.5", "0,5 eşiğiyle sınıf"), "0", model.predict([[1.0, 1.5]])[0])
    step = LogisticRegression(lr=0.1, max_iter=1, fit_intercept=False).fit(SLIDE_X, [0, 1], coef_init=[2, 2, 2])
    y = np.array([0.0, 1.0])
    z = SLIDE_X @ np.array([2.0, 2.0, 2.0])
    lesson.check("z", Text("z = x · w with w = [2, 2, 2], per sample", "örnek başına z = x · w, w = [2, 2, 2]"),
                 ["12", "30"], z)
    p = 1 / (1 + np.exp(-z))
    lesson.check("sigmoid", Text("y' = sigmoid([12, 30])", "y' = sigmoid([12, 30])"), ["0.99", "1"], p,
                 says("sigmoid(12) = {p}: the slide truncates it to 0.99 and carries 0.99 on",
                      "sigmoid(12) = {p}: slayt bunu 0,99'a kesiyor ve 0,99 ile devam ediyor", digits=6, p=p[0]))
    slide_p = np.array([0.99, 1.0])
    lesson.check("error", Text("error E = y' - y", "hata E = y' - y"), ["0.99", "0"], p - y,
                 Text("truncated like y'", "y' gibi kesilmiş"))
    lesson.check("per-sample-gradients", Text("the per-sample 'Gradient' E · x_i for w_1, w_2, w_3 (rows), samples 1 "
                                              "and 2 (columns)",
                                              "w_1, w_2, w_3 (satırlar) için örnek başına 'Gradient' E · x_i, 1. ve 2. "
                                              "örnek (sütunlar)"),
                 [["0.99", "0"], ["1.98", "0"], ["2.97", "0"]], (SLIDE_X * (p - y)[:, None]).T,
                 says("carried rounding: from the truncated 0.99 the products are exact; from sigmoid(12) they are "
                      "{exact}", "ara yuvarlama: kesilmiş 0,99'dan çarpımlar tam doğru; sigmoid(12) ile {exact} olur",
                      digits=6, exact=SLIDE_X[0] * (p - y)[0]),
                 carried=(SLIDE_X * (slide_p - y)[:, None]).T)
    gradient = SLIDE_X.T @ (p - y)
    lesson.check("gradient", Text("x^T · (y' - y)", "x^T · (y' - y)"), ["0.99", "1.98", "2.97"], gradient,
                 says("with sigmoid(12) = 0.999994 the exact gradient is {exact}; the slide carries 0.99",
                      "sigmoid(12) = 0,999994 ile tam gradyan {exact}; slayt 0,99 ile devam ediyor", digits=6,
                      exact=gradient),
                 carried=SLIDE_X.T @ (slide_p - y))
    lesson.check("update", Text("the change (alpha / n) x^T (y' - y) with alpha = 0.1, n = 2",
                                "değişim (alpha / n) x^T (y' - y), alpha = 0,1, n = 2"),
                 ["0.049", "0.099", "0.149"], 0.05 * gradient,
                 Text("from the carried 0.99 the change is 0.0495, 0.099, 0.1485: the slide truncates the first and "
                      "rounds the last; exactly it is 0.05, 0.1, 0.15",
                      "taşınan 0,99'dan değişim 0,0495; 0,099; 0,1485'tir: slayt ilkini kesiyor, sonuncusunu "
                      "yuvarlıyor; tam değer 0,05; 0,1; 0,15"),
                 carried=0.05 * (SLIDE_X.T @ (slide_p - y)))
    lesson.check("new-weights", Text("w - (alpha / n) x^T (y' - y) with alpha = 0.1", "alpha = 0,1 ile w - (alpha / n) x^T (y' - y)"),
                 ["1.95", "1.9", "1.85"], step.coef_)
    lesson.check("bce-before", Text("BCE before the step (mean over the 2 samples)", "adımdan önce BCE (2 örneğin ortalaması)"),
                 "6.4", step.loss_history_[0],
                 Text("the first sample has y = 0 and z = 12, so its BCE is -ln(1 - sigmoid(12)) = 12.0; the second "
                      "has y = 1 and z = 30 and adds almost nothing, so the mean is 6.0; the slide's 6.4 does not follow "
                      "from its own numbers",
                      "ilk örnekte y = 0 ve z = 12, BCE'si -ln(1 - sigmoid(12)) = 12,0; ikinci örnekte y = 1 ve z = 30, "
                      "neredeyse hiçbir şey eklemiyor, ortalama 6,0; slayttaki 6,4 kendi sayılarından çıkmıyor"),
                 kind="slip")
    lesson.check("bce-after", Text("BCE after the step", "adımdan sonra BCE"), "5.6", step.loss_history_[1],
                 Text("z is now 11.3, so the mean is 5.65: the slide truncates",
                      "z artık 11,3, ortalama 5,65: slayt kesiyor"))
    return lesson


def batching():
    lesson = Lesson("batching", Text("Online, full-batch and mini-batch gradient descent on the same data",
                                     "Aynı veride online, tam batch ve mini-batch gradient descent"), SOURCE)
    area = np.array([[50.0], [60.0], [70.0], [80.0], [100.0]])
    x = (area - area.mean()) / area.std()          # standardised m2
    y = np.array([400.0, 450.0, 500.0, 550.0, 650.0]) / 100     # price in 100,000 TL
    dataset = TensorDataset(x, y)
    for size, key, en, tr in ((1, "online", "online (batch_size=1)", "online (batch_size=1)"),
                              (None, "full", "full batch (batch_size=None)", "tam batch (batch_size=None)"),
                              (2, "mini", "mini-batch (batch_size=2)", "mini-batch (batch_size=2)")):
        updates = len(DataLoader(dataset, batch_size=size))
        model = LinearRegression(solver="sgd", lr=0.05, max_iter=10, batch_size=size, random_state=0).fit(x, y)
        remark = REMARK if key == "mini" else Text(f"{updates} update(s) per pass over the 5 samples.",
                                                    f"5 örnek üzerinden her geçişte {updates} güncelleme.")
        lesson.show(key, Text(f"{en}: {updates} update(s) per pass; MSE after 1, 2, 3 and 10 passes",
                              f"{tr}: geçiş başına {updates} güncelleme; 1, 2, 3 ve 10 geçişten sonra MSE"),
                    [model.loss_history_[i] for i in (1, 2, 3, 10)], remark)
    return lesson


REMARK = Text("Same data, learning rate (0.05) and passes (10, shuffled): online makes 5 updates per "
               "pass and gets lowest fastest, full batch makes one exact step per pass and is slowest per "
               "pass, mini-batch lies between. Per update, full batch is the most accurate; online suits "
               "streams but not parallel hardware, full batch needs the whole set in memory, and "
               "mini-batches of 16-128 are today's usual choice.",
               "Aynı veri, öğrenme oranı (0,05) ve geçiş sayısı (10, karıştırılmış): online her geçişte 5 "
               "güncelleme yapar ve en hızlı düşer, tam batch her geçişte tek ve kesin bir adım atar ve "
               "geçiş başına en yavaşıdır, mini-batch ikisinin arasındadır. Güncelleme başına en doğru olan "
               "tam batch'tir; online akan veriye uyar ama paralel donanıma uymaz, tam batch tüm veriyi "
               "bellekte ister, 16-128'lik mini-batch bugünün olağan seçimidir.")
