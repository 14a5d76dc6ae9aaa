"""The course deck (001): gradient descent by hand and in matrix form, the learning rate,
the normal equation."""
from pathlib import Path

import numpy as np

from ..linear_model import LinearRegression
from ..tensor import Tensor
from ..training import TrainingDivergedError
from .base import Lesson, Text, compare, says
from .regression import SOURCE


X, Y, ALPHA = 1.0, 2.0, 0.1


def descent_path(start, steps):
    """w, y - w x and the step -(y - w x) · x · alpha for ``steps`` rows of the table, by autograd:
    the table's step is alpha times the gradient of half the squared error (y - w x)^2 / 2."""
    w = Tensor(start, requires_grad=True, dtype=np.float64)
    rows = []
    for _ in range(steps):
        loss = 0.5 * (Y - w * X) ** 2
        loss.backward()
        step = ALPHA * float(np.asarray(w.grad))
        rows.append([w.item(), Y - w.item() * X, step])
        w = Tensor(w.item() - step, requires_grad=True, dtype=np.float64)      # w <- w - alpha dLoss/dw
    return np.array(rows)


def _descent_table(lesson, prefix, start, printed_rows, late_row):
    """Replay 'y = 2x' from w = start (x = 1, y = 2, alpha = 0.1) and check every printed row, then
    find the row the table calls 'n' (the first whose three values all agree with it)."""
    path = descent_path(start, 200)
    for row, printed in enumerate(printed_rows, 1):
        lesson.check(f"{prefix}-{row}", Text(f"table from w = {start:g}, step {row}: w, y - w x, -(y - w x) · x · alpha",
                                             f"w = {start:g}'ten başlayan tablo, adım {row}: w, y - w x, "
                                             f"-(y - w x) · x · alpha"),
                     printed["values"], path[row - 1], printed.get("why"), kind=printed.get("kind"))
    target = np.array([float(v) for v in late_row])
    matches = [k for k in range(len(path)) if compare(late_row, path[k])[0]]
    n = min(matches, key=lambda k: np.abs((path[k] - target) / target).max())     # the closest of the rows that agree
    lesson.check(f"{prefix}-n", Text(f"table from w = {start:g}, the late row 'n'",
                                     f"w = {start:g}'ten başlayan tablo, ileri satır 'n'"), late_row, path[n],
                 says(f"it is step {n + 1}, where w = {{w}}, the error {{error}} and the step {{step}}",
                      f"bu {n + 1}. adım: w = {{w}}, hata {{error}}, adım {{step}}",
                      digits=5, w=path[n][0], error=path[n][1], step=path[n][2]))
    return path


def _draw_descent(folder, lang):
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ModuleNotFoundError("the descent pictures need matplotlib: pip install 'sinir[plot]'") from error
    paths = {start: descent_path(start, 40) for start in (5.0, 1.0)}
    figure = Figure(figsize=(10, 4))
    left, right = figure.subplots(1, 2)
    grid = np.linspace(0.5, 5.5, 200)
    left.plot(grid, 0.5 * (Y - grid * X) ** 2, color="0.6")
    for start, path in paths.items():
        loss = 0.5 * path[:, 1] ** 2
        left.plot(path[:, 0], loss, "o-", markersize=3, label=f"w0 = {start:g}")
        right.semilogy(np.arange(1, len(path) + 1), loss, label=f"w0 = {start:g}")
    words = {"en": ("w", "loss (y - w x)^2 / 2", "step", "the descent path towards w = 2", "the loss at each step"),
             "tr": ("w", "kayıp (y - w x)^2 / 2", "adım", "w = 2'ye iniş yolu", "her adımda kayıp")}[lang]
    left.set_xlabel(words[0]); left.set_ylabel(words[1]); left.set_title(words[3]); left.legend()
    right.set_xlabel(words[2]); right.set_ylabel(words[1]); right.set_title(words[4]); right.legend()
    figure.tight_layout()
    path = Path(folder) / "descent-tables-path.png"
    Path(folder).mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    return [str(path)]


def descent_tables():
    lesson = Lesson("descent-tables", Text("Gradient descent towards y = 2x, by hand", "y = 2x'e doğru gradient descent, elle"),
                    SOURCE)
    _descent_table(lesson, "from-5", 5.0, [{"values": ["5", "-3", "0.3"]}, {"values": ["4.7", "-2.7", "0.27"]}],
                   ["2.01", "-0.01", "0.001"])
    _descent_table(lesson, "from-1", 1.0, [
        {"values": ["1", "1", "-0.1"]},
        {"values": ["1.1", "0.89", "-0.08"], "kind": [None, "slip", "slip"],
         "why": Text("from w = 1.1 the error is 2 - 1.1 = 0.9 and the step -0.09. The slide's 0.89 is a slip, and its "
                     "-0.08 is -0.1 · 0.89 = -0.089 truncated: the slip carried into the step (the next w is 1.19)",
                     "w = 1,1'den hata 2 - 1,1 = 0,9, adım -0,09'dur. Slayttaki 0,89 hesap hatası; -0,08 ise "
                     "-0,1 · 0,89 = -0,089'un kesilmişi: hata adıma taşınmış (sonraki w 1,19)")}],
        ["1.99", "0.005", "-0.0005"])
    lesson.show("factor-two", Text("the same step with the MSE (y - w x)^2 instead of half of it",
                                   "aynı adım, yarısı yerine MSE (y - w x)^2 ile"), 0.1 * -2 * (2 - 5.0),
                Text("The table's step -(y - w x) · x · alpha is the derivative of (1/2)(y - w x)^2. With the MSE's "
                     "derivative -2 (y - w x) · x the first step from w = 5 is 0.6, not 0.3: the same direction, twice "
                     "as far. Both conventions are common; the learning rate absorbs the factor 2.",
                     "Tablodaki -(y - w x) · x · alpha adımı (1/2)(y - w x)^2'nin türevidir. MSE'nin türevi "
                     "-2 (y - w x) · x ile w = 5'ten ilk adım 0,3 değil 0,6 olur: aynı yön, iki kat uzun. İki gelenek de "
                     "yaygındır; öğrenme oranı 2 çarpanını karşılar."))
    lesson.figure("path", _draw_descent)
    return lesson


SLIDE_X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
SLIDE_Y = np.array([14.0, 32.0])


def descent_matrix():
    lesson = Lesson("descent-matrix", Text("Gradient descent per weight and in matrix form",
                                           "Ağırlık başına ve matris biçiminde gradient descent"), SOURCE)
    w = np.array([2.0, 2.0, 2.0])
    prediction = SLIDE_X @ w
    error = SLIDE_Y - prediction
    lesson.check("prediction", Text("y' = x · w with w = [2, 2, 2], per sample", "örnek başına y' = x · w, w = [2, 2, 2]"),
                 ["12", "30"], prediction)
    lesson.check("error", Text("error E = y - x · w", "hata E = y - x · w"), ["2", "2"], error)
    lesson.check("per-sample-gradients", Text("the per-sample 'Gradient' E · x_i for w_1, w_2, w_3 (rows), samples 1 "
                                              "and 2 (columns)",
                                              "w_1, w_2, w_3 (satırlar) için örnek başına 'Gradient' E · x_i, 1. ve 2. "
                                              "örnek (sütunlar)"),
                 [["2", "8"], ["4", "10"], ["6", "12"]], (SLIDE_X * error[:, None]).T)
    weights = Tensor(w, requires_grad=True, dtype=np.float64)
    mse = ((Tensor(SLIDE_Y, dtype=np.float64) - Tensor(SLIDE_X, dtype=np.float64) @ weights) ** 2).mean()
    mse.backward()
    gradient = np.asarray(weights.grad)
    lesson.check("gradient", Text("gradient -2/n x^T · E (by autograd of the MSE)",
                                  "gradyan -2/n x^T · E (MSE'nin autograd ile türevi)"), ["-10", "-14", "-18"], gradient)
    lesson.check("update", Text("the change alpha · gradient with alpha = 0.01", "alpha = 0,01 ile değişim alpha · gradyan"),
                 ["-0.10", "-0.14", "-0.18"], 0.01 * gradient)
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
                                      "aynı veri alpha = 0,1 ile: ilk geçişlerden sonra MSE"),
                too_large.loss_history_[:6],
                Text("Ten times the learning rate makes each step overshoot the minimum: the MSE grows instead of "
                     "shrinking" + (" and sinir stops, naming the learning rate" if grew else "")
                     + ". The slide's point: a large alpha is a large step.",
                     "Öğrenme oranı on katına çıkınca her adım minimumun ötesine geçer: MSE küçüleceğine büyür"
                     + (" ve sinir öğrenme oranını söyleyerek durur" if grew else "")
                     + ". Slaydın söylediği: büyük alpha, büyük adım."))
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
                     "1e16 civarında bir koşul sayısı 'kayan noktada tersi alınamaz' demektir. sinir bunu bir "
                     "ValueError ile reddediyor: X^T X tekil, bu yüzden normal denklemin tek bir çözümü yok (2 örnek, "
                     "3 bilinmeyen)."))
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
