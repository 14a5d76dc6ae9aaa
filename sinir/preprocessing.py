"""Turning the course's input types into numbers (its "Input-Output Türleri" table):
numbers are scaled, classes become one-hot columns, yes/no values become 1/0.

>>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
>>> scaler = StandardScaler().fit(X_train)
"""
import numpy as np

from .linear_model.base import BaseEstimator, NotFittedError, check_X


class StandardScaler(BaseEstimator):
    """(x - mean) / standard deviation, per column; columns that never vary are only centred."""

    def __init__(self, with_mean=True, with_std=True):
        self.with_mean, self.with_std = with_mean, with_std

    def fit(self, X, y=None):
        X = check_X(X, "StandardScaler.fit")
        self.mean_ = X.mean(axis=0) if self.with_mean else np.zeros(X.shape[1])
        std = X.std(axis=0)
        self.scale_ = np.where(std > 0, std, 1.0) if self.with_std else np.ones(X.shape[1])
        self.n_features_in_ = X.shape[1]
        return self

    def _check_fitted(self):
        if not hasattr(self, "mean_"):
            raise NotFittedError("this StandardScaler is not fitted yet; call fit(X) first")

    def transform(self, X):
        self._check_fitted()
        return (check_X(X, "StandardScaler.transform", self.n_features_in_) - self.mean_) / self.scale_

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        self._check_fitted()
        return check_X(X, "StandardScaler.inverse_transform", self.n_features_in_) * self.scale_ + self.mean_


class OneHotEncoder(BaseEstimator):
    """Each column of classes (strings or integers) becomes one 0/1 column per class.

    >>> OneHotEncoder().fit_transform([["kedi"], ["köpek"], ["kedi"]])
    array([[1., 0.], [0., 1.], [1., 0.]])
    """

    def __init__(self, handle_unknown="error"):
        self.handle_unknown = handle_unknown

    def fit(self, X, y=None):
        if self.handle_unknown not in ("error", "ignore"):
            raise ValueError(f"OneHotEncoder: handle_unknown must be 'error' or 'ignore', got {self.handle_unknown!r}")
        X = _columns(X, "OneHotEncoder.fit")
        self.categories_ = [np.unique(column) for column in X.T]
        return self

    def transform(self, X):
        if not hasattr(self, "categories_"):
            raise NotFittedError("this OneHotEncoder is not fitted yet; call fit(X) first")
        X = _columns(X, "OneHotEncoder.transform")
        if X.shape[1] != len(self.categories_):
            raise ValueError(f"OneHotEncoder.transform: X has {X.shape[1]} columns, fitted with {len(self.categories_)}")
        parts = []
        for index, (column, categories) in enumerate(zip(X.T, self.categories_)):
            known = np.isin(column, categories)
            if not known.all() and self.handle_unknown == "error":
                raise ValueError(f"OneHotEncoder.transform: column {index} has unknown categories "
                                 f"{np.unique(column[~known]).tolist()[:5]}; fitted with {categories.tolist()}")
            parts.append((column[:, None] == categories[None, :]).astype(np.float64))
        return np.hstack(parts)

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)

    def get_feature_names_out(self):
        return [f"x{i}_{c}" for i, categories in enumerate(self.categories_) for c in categories]


TRUE_WORDS = {"true", "yes", "evet", "doğru", "1", "t", "y", "e"}
FALSE_WORDS = {"false", "no", "hayır", "hayir", "yanlış", "yanlis", "0", "f", "n", "h"}


def booleans_to_numbers(values):
    """True/False (or yes/no, evet/hayır, 1/0) -> 1.0/0.0; anything else is an error."""
    values = np.asarray(values)
    if values.dtype == bool:
        return values.astype(np.float64)
    out = np.empty(values.shape, dtype=np.float64)
    for index, value in np.ndenumerate(values):
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            out[index] = 1.0
        elif word in FALSE_WORDS:
            out[index] = 0.0
        else:
            raise ValueError(f"booleans_to_numbers: {str(value)!r} at {index} is not a yes/no value")
    return out


def train_test_split(*arrays, test_size=0.25, random_state=None, shuffle=True, stratify=None):
    """Split arrays of equal length into train and test parts: (a_train, a_test, b_train, b_test, ...)."""
    if not arrays:
        raise ValueError("train_test_split: give at least one array")
    arrays = [np.asarray(a) for a in arrays]
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"train_test_split: arrays have different lengths {[len(a) for a in arrays]}")
    count = int(np.ceil(test_size * n)) if isinstance(test_size, float) else int(test_size)
    if not 0 < count < n:
        raise ValueError(f"train_test_split: test_size={test_size} leaves no train or no test samples of {n}")
    rng = np.random.default_rng(random_state)
    if stratify is not None:
        labels = np.asarray(stratify)
        test = []
        for label in np.unique(labels):
            members = np.flatnonzero(labels == label)
            members = rng.permutation(members) if shuffle else members
            test.extend(members[:int(round(count * len(members) / n))])
        test = np.array(sorted(test), dtype=int)
    else:
        order = rng.permutation(n) if shuffle else np.arange(n)
        test = np.sort(order[:count]) if shuffle else order[n - count:]
    train = np.setdiff1d(np.arange(n), test)
    return [part for a in arrays for part in (a[train], a[test])]


def _columns(X, name):
    X = np.asarray(X)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D table of values, got shape {X.shape}")
    return X
