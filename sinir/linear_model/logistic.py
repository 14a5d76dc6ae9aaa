"""Logistic regression: a linear score squashed into a probability, for classification."""
import numpy as np

from ..nn import functional as F
from ..tensor import Tensor
from .base import BaseEstimator, check_batch_size, check_X, check_X_y, gradient_descent


def sigmoid(z):
    """1 / (1 + e^-z), without overflow for large |z|."""
    return 0.5 * (1 + np.tanh(0.5 * z))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


class LogisticRegression(BaseEstimator):
    """Binary logistic regression (labels 0 and 1): p = sigmoid(X . coef_ + intercept_), trained by
    gradient descent on the binary cross-entropy, whose gradient is (1/n) X^T (sigmoid(X w) - y).
    With more than two classes ('softmax'), p = softmax(X . coef_^T + intercept_) and cross-entropy.

    predict gives class 1 where p >= threshold: a lower threshold finds more positives.
    batch_size: 1 = online, None = full batch, N = mini-batch (shuffled with random_state).
    loss_history_[0] is the loss before the first pass, then one entry after each pass.

    >>> model = LogisticRegression(lr=0.5, max_iter=2000).fit(X, y)
    >>> model.predict_proba(X)[:, 1]       # p(class 1)
    """

    def __init__(self, lr=0.1, max_iter=1000, batch_size=None, threshold=0.5, fit_intercept=True,
                 multi_class="auto", random_state=None, tol=None):
        self.lr, self.max_iter, self.batch_size, self.threshold = lr, max_iter, batch_size, threshold
        self.fit_intercept, self.multi_class, self.random_state, self.tol = fit_intercept, multi_class, random_state, tol

    def _check_parameters(self):
        name = type(self).__name__
        if self.multi_class not in ("auto", "binary", "softmax"):
            raise ValueError(f"{name}: multi_class must be 'auto', 'binary' or 'softmax', got {self.multi_class!r}")
        if not self.lr > 0 or self.max_iter < 1 or not 0 <= self.threshold <= 1:
            raise ValueError(f"{name}: needs lr > 0, max_iter >= 1 and threshold in [0, 1], got lr={self.lr}, "
                             f"max_iter={self.max_iter}, threshold={self.threshold}")
        check_batch_size(name, self.batch_size)

    def fit(self, X, y, coef_init=None, intercept_init=None):
        self._check_parameters()
        X, y = check_X_y(X, y, f"{type(self).__name__}.fit")
        self.classes_ = np.unique(y)
        binary_labels = set(self.classes_.tolist()) <= {0, 1}
        if self.multi_class == "binary" and not binary_labels:
            raise ValueError(f"{type(self).__name__}: binary logistic regression needs labels 0 and 1, got "
                             f"{self.classes_.tolist()[:10]}; use multi_class='softmax' for other classes")
        self.binary_ = self.multi_class == "binary" or (self.multi_class == "auto" and binary_labels)
        if self.binary_:
            self.classes_ = np.array([0, 1])
            targets = y.astype(np.float64)
            shape = (X.shape[1],)
        else:
            targets = (y[:, None] == self.classes_[None, :]).astype(np.float64)     # one-hot rows
            shape = (len(self.classes_), X.shape[1])
        w = np.zeros(shape) if coef_init is None else np.array(coef_init, dtype=np.float64).reshape(shape)
        b = np.zeros(shape[:-1]) if intercept_init is None or not self.fit_intercept else \
            np.array(intercept_init, dtype=np.float64).reshape(shape[:-1])
        gradient_descent(self, X, targets, w, b, lambda w, b: self._loss(X, targets, w, b), self._step,
                         shuffle=self.batch_size is not None)
        return self

    def _publish(self, w, b, history):
        self.coef_, self.intercept_, self.loss_history_ = w, (float(b) if self.binary_ else b), history

    def _scores(self, X, w, b):
        return X @ w.T + b

    def _loss(self, X, targets, w, b):
        """Binary cross-entropy (or cross-entropy) of the current model, by sinir's losses."""
        scores = Tensor(self._scores(X, w, b), dtype=np.float64)
        if self.binary_:
            return F.binary_cross_entropy_with_logits(scores, Tensor(targets, dtype=np.float64)).item()
        return F.cross_entropy(scores, Tensor(targets, dtype=np.float64)).item()

    def _step(self, X, targets, w, b):
        n = len(X)
        p = sigmoid(self._scores(X, w, b)) if self.binary_ else softmax(self._scores(X, w, b))
        error = p - targets                                   # sigma(z) - y
        grad_w = error.T @ X / n                              # (1/n) X^T (sigma(X w) - y)
        grad_b = error.sum(axis=0) / n if self.fit_intercept else 0.0
        return w - self.lr * grad_w, b - self.lr * grad_b

    # ----- using the model ----------------------------------------------------------------------
    def decision_function(self, X):
        """The linear scores z = X . w + b (one column per class when there are more than two)."""
        self._check_fitted()
        X = check_X(X, f"{type(self).__name__}.decision_function", self.coef_.shape[-1])
        return self._scores(X, self.coef_, self.intercept_)

    def predict_proba(self, X):
        """Probabilities, one column per class: (1 - p, p) in the binary case."""
        z = self.decision_function(X)
        if self.binary_:
            p = sigmoid(z)
            return np.stack([1 - p, p], axis=1)
        return softmax(z)

    def predict(self, X):
        """Binary: class 1 where p >= threshold. Otherwise the most probable class."""
        probabilities = self.predict_proba(X)
        if self.binary_:
            return (probabilities[:, 1] >= self.threshold).astype(np.int64)
        return self.classes_[probabilities.argmax(axis=1)]

    def score(self, X, y):
        """Accuracy: the fraction of samples predicted right."""
        X, y = check_X_y(X, y, f"{type(self).__name__}.score")
        return float((self.predict(X) == y).mean())
