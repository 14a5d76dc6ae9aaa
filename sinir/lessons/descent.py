"""The course deck (001): gradient descent by hand and in matrix form, the learning rate,
the normal equation."""
import numpy as np

from ..linear_model import LinearRegression
from ..tensor import Tensor
from ..training import TrainingDivergedError
from .base import Lesson, Text
from .regression import SOURCE


def _descent_table(lesson, prefix, start, printed_rows):
    """Replay 'y = 2x' from w = start: each row is (w, y - w x, -(y - w x) x alpha) with x = 1, y = 2."""
    x, y, alpha = 1.0, 2.0, 0.1
    w = Tensor(start, requires_grad=True, dtype=np.float64)
    for row, printed in enumerate(printed_rows, 1):
        loss = 0.5 * (y - w * x) ** 2          # the table's step is the gradient of half the squared error
        loss.backward()
        step = alpha * w.grad.item()
        lesson.check(f"{prefix}-{row}", Text(f"step {row}: w, y - w x, -(y - w x) x alpha",
                                             f"adım {row}: w, y - w x, -(y - w x) x alpha"),
                     printed["values"], [w.item(), y - w.item() * x, step], printed.get("why"))
        w.data = w.data - step                 # w <- w - alpha dLoss/dw
        w.grad = None


def descent_tables():
    lesson = Lesson("descent-tables", Text("Gradient descent towards y = 2x, by hand", "y = 2x'e gradient descent, elle"),
                    SOURCE)
    _descent_table(lesson, "from-5", 5.0, [{"values": ["5", "-3", "0.3"]}, {"values": ["4.7", "-2.7", "0.27"]}])
    _descent_table(lesson, "from-1", 1.0, [
        {"values": ["1", "1", "-0.1"]},
        {"values": ["1.1", "0.89", "-0.08"],
         "why": Text("from w = 1.1 the error is 2 - 1.1 = 0.9 and the step -0.09; the slide's 0.89 and -0.08 are "
                     "slips (the next w is 1.19)",
                     "w = 1.1'den hata 2 - 1.1 = 0.9 ve adım -0.09'dur; slayttaki 0.89 ve -0.08 hesap hatası "
                     "(sonraki w 1.19)")}])
    w = 1.99
    lesson.check("from-1-late", Text("a late row: w = 1.99, error, step", "ileri bir satır: w = 1.99, hata, adım"),
                 ["1.99", "0.005", "-0.0005"], [w, 2 - w, -0.1 * (2 - w)],
                 Text("at w = 1.99 the error is 0.01 and the step -0.001; the slide halves both",
                      "w = 1.99'da hata 0.01, adım -0.001'dir; slayt ikisini de yarıya bölmüş"))
    lesson.show("factor-two", Text("the same step with the MSE (y - w x)^2 instead of half of it",
                                   "aynı adım yarısı yerine MSE (y - w x)^2 ile"), 0.1 * -2 * (2 - 5.0),
                Text("The table's step -(y - w x) x alpha is the derivative of (1/2)(y - w x)^2. With the MSE's "
                     "derivative -2 (y - w x) x the first step from w = 5 is 0.6, not 0.3: the same direction, twice "
                     "as far. Both conventions are common; the learning rate absorbs the factor 2.",
                     "Tablodaki -(y - w x) x alpha adımı (1/2)(y - w x)^2'nin türevidir. MSE'nin türevi "
                     "-2 (y - w x) x ile w = 5'ten ilk adım 0.3 değil 0.6 olur: aynı yön, iki kat uzun. İki gelenek de "
                     "yaygındır; öğrenme oranı 2 çarpanını karşılar."))
    return lesson


SLIDE_X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
SLIDE_Y = np.array([14.0, 32.0])


def descent_matrix():
    lesson = Lesson("descent-matrix", Text("Gradient descent per weight and in matrix form",
                                           "Ağırlık başına ve matris biçiminde gradient descent"), SOURCE)
    w = np.array([2.0, 2.0, 2.0])
    lesson.check("prediction", Text("x . w with w = [2, 2, 2]", "w = [2, 2, 2] ile x . w"), ["12", "30"], SLIDE_X @ w)
    lesson.check("error", Text("error E = y - x . w", "hata E = y - x . w"), ["2", "2"], SLIDE_Y - SLIDE_X @ w)
    weights = Tensor(w, requires_grad=True, dtype=np.float64)
    mse = ((Tensor(SLIDE_Y, dtype=np.float64) - Tensor(SLIDE_X, dtype=np.float64) @ weights) ** 2).mean()
    mse.backward()
    lesson.check("gradient", Text("gradient -2/n x^T . E (by autograd of the MSE)",
                                  "gradyan -2/n x^T . E (MSE'nin autograd ile türevi)"), ["-10", "-14", "-18"],
                 weights.grad)
    for vectorized, name in ((False, "per-weight"), (True, "matrix")):
        model = LinearRegression(solver="gd", lr=0.01, max_iter=1, fit_intercept=False, vectorized=vectorized)
        model.fit(SLIDE_X, SLIDE_Y, coef_init=w)
        lesson.check(name, Text("new weights, " + ("one weight at a time (loops)" if not vectorized else "as one matrix product"),
                                "yeni ağırlıklar, " + ("tek tek (döngülerle)" if not vectorized else "tek matris çarpımıyla")),
                     ["2.10", "2.14", "2.18"], model.coef_)
    lesson.check("mse-before", Text("MSE before the step", "adımdan önce MSE"), "4.0", model.loss_history_[0])
    lesson.check("mse-after", Text("MSE after the step", "adımdan sonra MSE"), "0.59", model.loss_history_[1])
    too_large = LinearRegression(solver="gd", lr=0.1, max_iter=50, fit_intercept=False)
    try:
        too_large.fit(SLIDE_X, SLIDE_Y, coef_init=w)
        grew = False
    except TrainingDivergedError:
        grew = True
    lesson.show("learning-rate", Text("the same data with alpha = 0.1: MSE after each of the first passes",
                                      "aynı veri alpha = 0.1 ile: ilk geçişlerden sonra MSE"),
                too_large.loss_history_[:6],
                Text("Ten times the learning rate makes each step overshoot: the MSE grows instead of shrinking"
                     + (" and sinir stops, naming the learning rate" if grew else "")
                     + ". The slide's lesson: a large alpha is a large step.",
                     "On kat öğrenme oranı her adımda hedefi aşırtır: MSE küçüleceğine büyür"
                     + (" ve sinir öğrenme oranını söyleyerek durur" if grew else "")
                     + ". Slaydın dersi: büyük alpha, büyük adım."))
    return lesson


def normal_equation():
    lesson = Lesson("normal-equation", Text("The normal equation w = (x^T x)^-1 x^T y", "Normal denklem w = (x^T x)^-1 x^T y"),
                    SOURCE)
    gram = SLIDE_X.T @ SLIDE_X
    lesson.show("rank", Text("rank of x^T x for the slide's 2 x 3 input", "slayttaki 2 x 3 girdi için x^T x'in rankı"),
                np.linalg.matrix_rank(gram),
                Text("x^T x is 3 x 3 but built from only 2 samples, so its rank is at most 2: it has no inverse. "
                     "The slide warns that the matrix may not be invertible; its own example is such a case.",
                     "x^T x 3 x 3'lük ama yalnızca 2 örnekten kurulu, rankı en fazla 2: tersi yok. Slayt matrisin "
                     "tersinin alınamayabileceğini söylüyor; kendi örneği tam da böyle."))
    try:
        LinearRegression(solver="normal", fit_intercept=False).fit(SLIDE_X, SLIDE_Y)
        message = ""
    except ValueError as error:
        message = str(error)
    lesson.show("refused", Text("solver='normal' on it: the condition number of x^T x",
                                "solver='normal' ile: x^T x'in koşul sayısı"), np.linalg.cond(gram),
                Text("A condition number near 1e16 means 'not invertible in floating point'. sinir refuses: "
                     + message.split(";")[0],
                     "1e16 civarında bir koşul sayısı 'kayan noktada tersi alınamaz' demektir. sinir reddediyor: "
                     + message.split(";")[0]))
    model = LinearRegression(solver="lstsq", fit_intercept=False).fit(SLIDE_X, SLIDE_Y)
    lesson.check("lstsq", Text("least squares (solver='lstsq'): the minimum-norm solution",
                               "en küçük kareler (solver='lstsq'): en küçük normlu çözüm"), ["1", "2", "3"], model.coef_,
                 Text("the slide's 'weight' [1, 2, 3] fits both samples exactly, and among the infinitely many exact "
                      "solutions it is the shortest, so the robust solver finds it",
                      "slayttaki 'weight' [1, 2, 3] iki örneğe de tam uyuyor ve sonsuz tam çözüm içinde en kısası, "
                      "bu yüzden sağlam çözücü onu buluyor"))
    house = LinearRegression(solver="normal").fit([[50], [60], [70], [80], [100]], [400, 450, 500, 550, 650])
    lesson.check("house", Text("the normal equation on the house prices (w, b)", "ev fiyatlarında normal denklem (w, b)"),
                 ["5", "150"], [house.coef_[0], house.intercept_])
    return lesson
