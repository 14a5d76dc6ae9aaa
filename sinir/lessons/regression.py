"""The course deck (001), first part: matrix notation, the regression line, the loss tables."""
import numpy as np

from .. import nn
from ..linear_model import LinearRegression
from ..tensor import Tensor
from .base import Lesson, Text, says

SOURCE = Text("Course deck on regression, losses and gradient descent (shared/seeds/001)",
              "Regresyon, kayıp fonksiyonları ve gradient descent sunumu (shared/seeds/001)")


def matrix_notation():
    lesson = Lesson("matrix-notation", Text("Matrix notation and the matrix-vector product",
                                            "Matris gösterimi ve matris-vektör çarpımı"), SOURCE)
    table = Tensor([[1, 2, 3, 4], [5, 6, 7, 8]], dtype=np.float64)
    lesson.check("data-shape", Text("the data table: 2 samples (rows) x 4 variables (columns)",
                                    "veri tablosu: 2 örnek (satır) x 4 değişken (sütun)"), ["2", "4"], list(table.shape))
    lesson.check("data-variable", Text("variable x_2 is a column: its value in sample 1 and sample 2",
                                       "x_2 değişkeni bir sütundur: 1. ve 2. örnekteki değeri"), ["2", "6"],
                 table[:, 1].numpy())
    lesson.check("data-sample", Text("sample 2 is a row: x_1 .. x_4", "2. örnek bir satırdır: x_1 .. x_4"),
                 ["5", "6", "7", "8"], table[1].numpy())
    X = Tensor([[1, 2, 3], [4, 5, 6], [-1, -2, -3], [-4, -5, -6]], dtype=np.float64)
    w = Tensor([[1], [2], [3]], dtype=np.float64)
    y = X @ w
    lesson.check("shape", Text("(4 x 3) · (3 x 1) gives a 4 x 1 column", "(4 x 3) · (3 x 1) 4 x 1'lik bir sütun verir"),
                 ["4", "1"], list(y.shape))
    lesson.check("product", Text("x · w", "x · w"), ["14", "32", "-14", "-32"], y.numpy().ravel())
    return lesson


def house_price():
    lesson = Lesson("house-price", Text("The house-price line and a multivariable prediction",
                                        "Ev fiyatı doğrusu ve çok değişkenli tahmin"), SOURCE)
    area = np.array([[50], [60], [70], [80], [100]])
    price = np.array([400, 450, 500, 550, 650])
    model = LinearRegression(solver="normal").fit(area, price)
    lesson.check("slope", Text("slope w of the fitted line y = w x + b", "uydurulan y = w x + b doğrusunun eğimi w"),
                 "5", model.coef_[0])
    lesson.check("intercept", Text("intercept (bias) b", "sabit terim (bias) b"), "150", model.intercept_)
    lesson.check("prediction", Text("predicted price of a 120 m2 house", "120 m2 evin tahmini fiyatı"), "750",
                 model.predict([[120]])[0])
    multi = LinearRegression().fit([[0, 0], [1, 0], [0, 1]], [0, 0, 0])
    multi.coef_, multi.intercept_ = np.array([5.1, 6.5]), 133.0
    lesson.show("multivariable", Text("w1 x1 + w2 x2 + b = 5.1 · 75 + 6.5 · 2 + 133",
                                      "w1 x1 + w2 x2 + b = 5,1 · 75 + 6,5 · 2 + 133"), multi.predict([[75, 2]])[0],
                Text("the slide writes out the sum without its value: 382.5 + 13 + 133",
                     "slayt toplamı yazıyor ama sonucunu vermiyor: 382,5 + 13 + 133"))
    return lesson


def loss_tables():
    lesson = Lesson("loss-tables", Text("The loss tables: MSE, RMSE, MAE, Huber, Smooth L1, BCE",
                                        "Kayıp tabloları: MSE, RMSE, MAE, Huber, Smooth L1, BCE"), SOURCE)
    truth = Tensor([10.0, 20.0, 30.0], dtype=np.float64)
    near = Tensor([12.0, 18.0, 30.0], dtype=np.float64)
    far = Tensor([15.0, 18.0, 40.0], dtype=np.float64)
    lesson.check("mse-rows", Text("MSE table: squared error per row", "MSE tablosu: satır başına kare hata"),
                 ["4", "4", "0"], nn.MSELoss(reduction="none")(near, truth).numpy())
    lesson.check("mse", Text("MSE = 8/3", "MSE = 8/3"), "2.6666666667", nn.MSELoss()(near, truth).item())
    lesson.check("no-square-rows", Text("'without the square' table: y - y' per row",
                                        "'kare olmazsa' tablosu: satır başına y - y'"), ["-2", "2", "0"],
                 (truth - near).numpy())
    lesson.check("no-square", Text("without the square the errors cancel: mean(y - y')",
                                   "kare olmazsa hatalar birbirini götürür: ortalama(y - y')"), "0",
                 (truth - near).mean().item())
    lesson.check("rmse-rows", Text("RMSE table: squared error per row", "RMSE tablosu: satır başına kare hata"),
                 ["4", "4", "0"], nn.MSELoss(reduction="none")(near, truth).numpy())
    lesson.check("rmse", Text("RMSE = (8/3)^(1/2)", "RMSE = (8/3)^(1/2)"), "1.6329931619",
                 nn.RMSELoss(eps=0.0)(near, truth).item())
    lesson.check("mae-rows", Text("MAE table: |y - y'| per row", "MAE tablosu: satır başına |y - y'|"), ["2", "2", "0"],
                 nn.L1Loss(reduction="none")(near, truth).numpy())
    lesson.check("mae", Text("MAE = 4/3", "MAE = 4/3"), "1.3333333333", nn.L1Loss()(near, truth).item())
    lesson.check("abs", Text("Huber and Smooth L1 tables: the 'Abs' column |y - y'|",
                             "Huber ve Smooth L1 tabloları: 'Abs' sütunu |y - y'|"), ["5", "2", "10"],
                 (far - truth).abs().numpy())
    lesson.check("huber-rows", Text("Huber rows, delta 4", "Huber satırları, delta 4"), ["12", "2", "32"],
                 nn.HuberLoss(reduction="none", delta=4)(far, truth).numpy())
    lesson.check("huber", Text("Huber = 46/3", "Huber = 46/3"), "15.3333333333",
                 nn.HuberLoss(delta=4)(far, truth).item())
    lesson.check("smooth-l1-rows", Text("Smooth L1 rows, beta 5", "Smooth L1 satırları, beta 5"),
                 ["2.5", "0.4", "7.5"], nn.SmoothL1Loss(reduction="none", beta=5)(far, truth).numpy(),
                 Text("the first error is exactly beta (5): the linear part |d| - beta/2 = 2.5 applies, and the "
                      "quadratic part gives the same value there, which is why the pieces join smoothly",
                      "ilk hata tam beta'dır (5): doğrusal parça |d| - beta/2 = 2,5 uygulanır; karesel parça da orada "
                      "aynı değeri verir, parçaların düzgün birleşmesinin nedeni budur"))
    lesson.check("smooth-l1-sum", Text("Smooth L1: the sum of the rows, 10.4", "Smooth L1: satırların toplamı, 10,4"),
                 "10.4", nn.SmoothL1Loss(reduction="sum", beta=5)(far, truth).item())
    lesson.check("smooth-l1", Text("Smooth L1 = 10.4/3", "Smooth L1 = 10,4/3"), "3.47",
                 nn.SmoothL1Loss(beta=5)(far, truth).item())
    labels = Tensor([1.0, 1.0, 0.0], dtype=np.float64)
    probabilities = Tensor([0.9, 0.7, 0.3], dtype=np.float64)
    first = (labels * probabilities.log()).numpy()
    second = ((1 - labels) * (1 - probabilities).log()).numpy()
    lesson.check("bce-first-part", Text("BCE table, part 1: y log(y') per row", "BCE tablosu, 1. kısım: satır başına y log(y')"),
                 ["-0.10", "-0.35", "0"], first,
                 says("ln 0.9 = {a} and ln 0.7 = {b}: the slide truncates -0.357 to -0.35 (rounding gives -0.36)",
                      "ln 0,9 = {a} ve ln 0,7 = {b}: slayt -0,357'yi -0,35'e kesiyor (yuvarlama -0,36 verir)",
                      a=first[0], b=first[1]))
    lesson.check("bce-second-part", Text("BCE table, part 2: (1 - y) log(1 - y') per row",
                                         "BCE tablosu, 2. kısım: satır başına (1 - y) log(1 - y')"),
                 ["0", "0", "-0.35"], second,
                 Text("ln 0.7 again, truncated", "yine ln 0,7, kesilmiş"))
    terms = -nn.BCELoss(reduction="none")(probabilities, labels).numpy()
    lesson.check("bce-sum", Text("the sum of the terms, -0.80", "terimlerin toplamı, -0,80"), "-0.80", terms.sum(),
                 says("the exact sum is {exact}; -0.80 is the sum of the truncated terms -0.10 - 0.35 - 0.35 "
                      "(carried rounding)",
                      "tam toplam {exact}; -0,80 kesilmiş terimlerin toplamı: -0,10 - 0,35 - 0,35 (ara yuvarlama)",
                      digits=3, exact=terms.sum()),
                 carried=-0.10 - 0.35 - 0.35)
    lesson.check("bce", Text("BCE = -0.80 / -3 (natural logarithm)", "BCE = -0,80 / -3 (doğal logaritma)"), "0.27",
                 nn.BCELoss()(probabilities, labels).item())
    return lesson
