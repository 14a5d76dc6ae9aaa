"""What every estimator shares, scikit-learn's way: parameters, input checks, fitted state."""
import inspect

import numpy as np

from ..training import TrainingDivergedError


class NotFittedError(ValueError, AttributeError):
    """The estimator is used before ``fit``."""


class BaseEstimator:
    """``__init__`` only stores its keyword arguments; ``fit`` sets attributes ending in ``_``.

    get_params / set_params read and change those arguments; the repr shows the ones that differ
    from their defaults: ``LinearRegression(solver='gd', lr=0.05)``.
    """

    @classmethod
    def _parameter_names(cls):
        signature = inspect.signature(cls.__init__)
        return [name for name in signature.parameters if name != "self"]

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._parameter_names()}

    def set_params(self, **params):
        valid = self._parameter_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"{type(self).__name__}: unknown parameter {name!r}; the parameters are: "
                                 f"{', '.join(valid)}")
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = {name: p.default for name, p in inspect.signature(type(self).__init__).parameters.items()}
        changed = [f"{name}={value!r}" for name, value in self.get_params().items()
                   if not (value is defaults.get(name) or (np.isscalar(value) and value == defaults.get(name)))]
        return f"{type(self).__name__}({', '.join(changed)})"

    def _check_fitted(self):
        if not hasattr(self, "coef_"):
            raise NotFittedError(f"this {type(self).__name__} is not fitted yet; call fit(X, y) first")


def check_X(X, name, n_features=None):
    """X as a finite float64 matrix (n_samples, n_features)."""
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name}: X must be 2-D (n_samples, n_features), got shape {X.shape}; "
                         "for a single feature use X.reshape(-1, 1)")
    try:
        X = X.astype(np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: X must hold numbers, got dtype {X.dtype} (encode categories first, "
                         "e.g. with sinir.preprocessing.OneHotEncoder)") from None
    if not np.isfinite(X).all():
        raise ValueError(f"{name}: X contains NaN or infinite values (at rows "
                         f"{np.flatnonzero(~np.isfinite(X).all(axis=1))[:5].tolist()})")
    if n_features is not None and X.shape[1] != n_features:
        raise ValueError(f"{name}: X has {X.shape[1]} features, but the model was fitted with {n_features}")
    return X


def check_X_y(X, y, name):
    X = check_X(X, name)
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{name}: y must be 1-D (n_samples,), got shape {y.shape}")
    if len(y) != len(X):
        raise ValueError(f"{name}: X has {len(X)} samples but y has {len(y)}")
    if y.dtype.kind in "fc" and not np.isfinite(y).all():
        raise ValueError(f"{name}: y contains NaN or infinite values")
    return X, y


def batches(n_samples, batch_size, shuffle, rng):
    """Index arrays for one pass: batch_size 1 (online), None (full batch) or N (mini-batch)."""
    order = rng.permutation(n_samples) if shuffle else np.arange(n_samples)
    size = n_samples if batch_size is None else batch_size
    return [order[start:start + size] for start in range(0, n_samples, size)]


def check_batch_size(name, batch_size):
    if batch_size is not None and (not isinstance(batch_size, (int, np.integer)) or batch_size < 1):
        raise ValueError(f"{name}: batch_size must be a positive integer or None (full batch), got {batch_size!r}")


def diverging(history, patience=5, factor=10.0):
    """True when the loss is not finite, or has grown ``patience`` passes in a row to more than
    ``factor`` times where it started: the learning rate is too large."""
    if not np.isfinite(history[-1]):
        return True
    recent = history[-patience - 1:]
    return (len(recent) == patience + 1 and all(b > a for a, b in zip(recent, recent[1:]))
            and history[-1] > factor * max(history[0], 1e-12))


def gradient_descent(estimator, X, targets, w, b, loss, step, shuffle):
    """Passes of gradient descent shared by the estimators: ``step(X_batch, targets_batch, w, b)``
    returns the new (w, b), ``loss(w, b)`` the loss on all the data. After each pass the estimator's
    ``_publish(w, b, history)`` sets its fitted attributes; a diverging loss stops with an error
    naming the learning rate, a gain below ``tol`` stops quietly."""
    rng = np.random.default_rng(estimator.random_state)
    history = [loss(w, b)]
    estimator.n_iter_ = 0
    for _ in range(estimator.max_iter):
        for batch in batches(len(X), estimator.batch_size, shuffle, rng):
            w, b = step(X[batch], targets[batch], w, b)
        history.append(loss(w, b))
        estimator.n_iter_ += 1
        estimator._publish(w, b, history)
        if diverging(history):
            raise TrainingDivergedError(
                f"{type(estimator).__name__}: the loss grew from {history[0]:.4g} to {history[-1]:.4g} in "
                f"{estimator.n_iter_} passes with learning rate {estimator.lr:g}: gradient descent diverged; "
                f"try a smaller learning rate, e.g. {estimator.lr / 10:g} (loss_history_ shows the growth)")
        if estimator.tol is not None and history[-2] - history[-1] < estimator.tol:
            break
    return w, b
