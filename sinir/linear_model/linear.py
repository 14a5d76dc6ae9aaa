"""Linear regression, y = X w + b, every way the course solves it."""
import numpy as np

from ..nn import functional as F
from ..tensor import Tensor
from .base import BaseEstimator, check_batch_size, check_X, check_X_y, gradient_descent

LOSSES = {"mse": F.mse_loss, "mae": F.l1_loss, "huber": F.huber_loss, "smooth_l1": F.smooth_l1_loss}
SOLVERS = ("normal", "lstsq", "gd", "sgd")


def loss_and_slope(loss, prediction, y, delta):
    """The loss (one of sinir's losses) and dLoss/dprediction for every sample, by autograd."""
    p = Tensor(prediction, requires_grad=True, dtype=np.float64)
    options = {"delta": delta} if loss == "huber" else {"beta": delta} if loss == "smooth_l1" else {}
    value = LOSSES[loss](p, Tensor(y, dtype=np.float64), **options)
    value.backward()
    return value.item(), p.grad.numpy()


def sample_slope(loss, prediction, target, delta):
    """dLoss/dprediction for one sample, written out (the course's scalar implementation)."""
    error = prediction - target
    if loss == "mse":
        return -2.0 * (target - prediction)
    if loss == "mae":
        return float(np.sign(error))
    if loss == "huber":
        return min(max(error, -delta), delta)
    return float(np.sign(error)) if delta == 0 else min(max(error / delta, -1.0), 1.0)


class LinearRegression(BaseEstimator):
    """Linear regression: y' = X . coef_ + intercept_.

    solver: 'normal' - the normal equation w = (X^T X)^-1 X^T y (says so when X^T X is singular);
            'lstsq' - least squares by SVD, the robust closed form;
            'gd' - gradient descent over the batches in order; 'sgd' - over shuffled batches.
    batch_size: 1 = online, None = full batch, N = mini-batch. max_iter counts passes over the data.
    loss: 'mse', 'mae', 'huber' or 'smooth_l1' (delta is Huber's delta or Smooth L1's beta).
    vectorized: True computes the gradient as one matrix product, -2/n X^T (y - X w) for MSE;
            False loops over samples and weights one number at a time. Both give the same numbers.
    loss_history_[0] is the loss before the first pass, then one entry after each pass.

    >>> model = LinearRegression().fit([[50], [60], [70], [80], [100]], [400, 450, 500, 550, 650])
    >>> model.coef_, model.intercept_
    (array([5.]), 150.0)
    """

    def __init__(self, solver="normal", lr=0.01, max_iter=1000, batch_size=None, tol=None, fit_intercept=True,
                 loss="mse", delta=1.0, vectorized=True, random_state=None):
        self.solver, self.lr, self.max_iter, self.batch_size, self.tol = solver, lr, max_iter, batch_size, tol
        self.fit_intercept, self.loss, self.delta, self.vectorized = fit_intercept, loss, delta, vectorized
        self.random_state = random_state

    def _check_parameters(self):
        name = type(self).__name__
        if self.solver not in SOLVERS:
            raise ValueError(f"{name}: solver must be one of {SOLVERS}, got {self.solver!r}")
        if self.loss not in LOSSES:
            raise ValueError(f"{name}: loss must be one of {tuple(LOSSES)}, got {self.loss!r}")
        if self.solver in ("normal", "lstsq") and self.loss != "mse":
            raise ValueError(f"{name}: solver {self.solver!r} minimises the squared error only; "
                             f"use solver='gd' or 'sgd' for loss={self.loss!r}")
        if not self.lr > 0 or self.max_iter < 1:
            raise ValueError(f"{name}: lr must be positive and max_iter at least 1, got lr={self.lr}, "
                             f"max_iter={self.max_iter}")
        check_batch_size(name, self.batch_size)

    def fit(self, X, y, coef_init=None, intercept_init=None):
        self._check_parameters()
        X, y = check_X_y(X, y, f"{type(self).__name__}.fit")
        y = y.astype(np.float64)
        if self.solver in ("normal", "lstsq"):
            self._fit_closed_form(X, y)
        else:
            self._fit_gradient_descent(X, y, coef_init, intercept_init)
        return self

    # ----- closed forms -----------------------------------------------------------------------
    def _design(self, X):
        """X with a column of ones when there is an intercept (its weight is the intercept)."""
        return np.hstack([X, np.ones((len(X), 1))]) if self.fit_intercept else X

    def _fit_closed_form(self, X, y):
        A = self._design(X)
        if self.solver == "lstsq":
            w = np.linalg.lstsq(A, y, rcond=None)[0]
        else:
            gram = A.T @ A                                   # X^T X
            condition = np.linalg.cond(gram)
            if not np.isfinite(condition) or condition > 1e12:
                raise ValueError(
                    f"{type(self).__name__}: X^T X is singular (condition number {condition:.3g}), so "
                    f"(X^T X)^-1 does not exist and the normal equation has no unique solution "
                    f"(X has {X.shape[0]} samples and {A.shape[1]} unknowns, or dependent columns); "
                    "use solver='lstsq' for the minimum-norm solution")
            w = np.linalg.solve(gram, A.T @ y)               # w = (X^T X)^-1 X^T y
        self.coef_ = w[:X.shape[1]]
        self.intercept_ = float(w[-1]) if self.fit_intercept else 0.0
        self.n_iter_ = 0
        self.loss_history_ = [float(np.mean((y - self.predict(X)) ** 2))]

    # ----- gradient descent -------------------------------------------------------------------
    def _fit_gradient_descent(self, X, y, coef_init, intercept_init):
        n_features = X.shape[1]
        w = np.zeros(n_features) if coef_init is None else np.array(coef_init, dtype=np.float64).reshape(-1)
        if w.shape != (n_features,):
            raise ValueError(f"{type(self).__name__}.fit: coef_init has {w.size} values, X has {n_features} features")
        b = float(intercept_init) if intercept_init is not None and self.fit_intercept else 0.0
        step = self._step_vectorized if self.vectorized else self._step_scalar
        loss = (lambda w, b: loss_and_slope(self.loss, X @ w + b, y, self.delta)[0])
        gradient_descent(self, X, y, w, b, loss, step, shuffle=self.solver == "sgd")

    def _publish(self, w, b, history):
        self.coef_, self.intercept_, self.loss_history_ = w, float(b), history

    def _step_vectorized(self, X, y, w, b):
        _, slope = loss_and_slope(self.loss, X @ w + b, y, self.delta)   # dLoss/dy', (1/n included)
        grad_w = X.T @ slope                                              # MSE: -2/n X^T (y - X w)
        grad_b = slope.sum() if self.fit_intercept else 0.0               # MSE: -2/n sum (y - X w)
        return w - self.lr * grad_w, b - self.lr * grad_b

    def _step_scalar(self, X, y, w, b):
        n, m = X.shape
        slopes = []
        for i in range(n):                                # each sample's prediction and error
            prediction = b
            for j in range(m):
                prediction += w[j] * X[i, j]
            slopes.append(sample_slope(self.loss, prediction, y[i], self.delta))
        new_w = w.copy()
        for j in range(m):                                # dLoss/dw_j = 1/n sum_i slope_i x_ij
            gradient = 0.0
            for i in range(n):
                gradient += slopes[i] * X[i, j]
            new_w[j] = w[j] - self.lr * gradient / n
        new_b = b - self.lr * sum(slopes) / n if self.fit_intercept else b
        return new_w, new_b

    # ----- using the model ----------------------------------------------------------------------
    def predict(self, X):
        self._check_fitted()
        X = check_X(X, f"{type(self).__name__}.predict", len(self.coef_))
        return X @ self.coef_ + self.intercept_

    def score(self, X, y):
        """R^2 = 1 - sum (y - y')^2 / sum (y - mean y)^2."""
        X, y = check_X_y(X, y, f"{type(self).__name__}.score")
        residual = ((y - self.predict(X)) ** 2).sum()
        total = ((y - y.mean()) ** 2).sum()
        return float(1 - residual / total) if total > 0 else 0.0
