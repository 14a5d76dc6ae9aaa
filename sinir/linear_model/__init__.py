"""The course's classical models, as scikit-learn-style estimators built on sinir's losses."""
from .base import BaseEstimator, NotFittedError
from .linear import LinearRegression
from .logistic import LogisticRegression
