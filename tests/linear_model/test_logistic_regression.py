"""LogisticRegression: the slide's step and prediction, scikit-learn on breast cancer, thresholds."""
import numpy as np
import pytest

from sinir.linear_model import LogisticRegression
from sinir.preprocessing import StandardScaler, train_test_split


def test_the_slides_gradient_step():
    model = LogisticRegression(lr=0.1, max_iter=1, fit_intercept=False)
    model.fit([[1, 2, 3], [4, 5, 6]], [0, 1], coef_init=[2, 2, 2])
    np.testing.assert_allclose(model.coef_, [1.95, 1.90, 1.85], atol=1e-5)


def test_the_slides_prediction():
    model = LogisticRegression(max_iter=1).fit([[0, 0], [1, 1]], [0, 1])
    model.coef_, model.intercept_ = np.array([2.8, -4.5]), 0.4
    assert model.decision_function([[1, 1.5]])[0] == pytest.approx(-3.55)
    assert model.predict_proba([[1, 1.5]])[0, 1] == pytest.approx(0.0279, abs=1e-4)    # the slide's 0.02
    assert model.predict([[1, 1.5]])[0] == 0


def test_the_threshold_moves_predictions():
    model = LogisticRegression(max_iter=1).fit([[0.0], [1.0]], [0, 1])
    model.coef_, model.intercept_ = np.array([1.0]), 0.0
    X = np.array([[-1.0], [-0.2], [0.0], [0.5]])      # p = 0.27, 0.45, 0.5, 0.62
    assert model.predict(X).tolist() == [0, 0, 1, 1]
    assert model.set_params(threshold=0.3).predict(X).tolist() == [0, 1, 1, 1]     # catches more positives
    assert model.set_params(threshold=0.6).predict(X).tolist() == [0, 0, 0, 1]


def _breast_cancer():
    datasets = pytest.importorskip("sklearn.datasets")
    return datasets.load_breast_cancer(return_X_y=True)


def test_same_optimum_as_scikit_learn_where_one_exists():
    """On two features the classes overlap, so the unpenalised optimum is finite: both find it."""
    Reference = pytest.importorskip("sklearn.linear_model").LogisticRegression
    X, y = _breast_cancer()
    X = StandardScaler().fit_transform(X[:, :2])
    theirs = Reference(C=np.inf, max_iter=10_000, tol=1e-10).fit(X, y)
    ours = LogisticRegression(lr=1.0, max_iter=2000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_[0], rtol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_[0], rel=1e-6)


def test_test_accuracy_within_one_point_of_scikit_learn_on_breast_cancer():
    """On all 30 features the training set is separable: the unpenalised optimum lies at infinity
    and each solver stops somewhere on the way (scikit-learn's weights reach the hundreds). Over five
    splits, sinir's mean test accuracy is not more than one point below scikit-learn's."""
    Reference = pytest.importorskip("sklearn.linear_model").LogisticRegression
    X, y = _breast_cancer()
    ours, theirs = [], []
    for seed in range(5):
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=seed, stratify=y)
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
        ours.append(LogisticRegression(lr=0.5, max_iter=3000).fit(X_train, y_train).score(X_test, y_test))
        theirs.append(Reference(C=np.inf, max_iter=10_000).fit(X_train, y_train).score(X_test, y_test))
    print(f"breast cancer test accuracy over 5 splits: sinir {np.mean(ours):.4f}, scikit-learn {np.mean(theirs):.4f}")
    assert np.mean(ours) >= np.mean(theirs) - 0.01


def test_softmax_for_more_than_two_classes_and_mini_batches():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [4, 0], [0, 4]])
    labels = rng.integers(0, 3, 300)
    X = centres[labels] + rng.standard_normal((300, 2))
    y = np.array(["a", "b", "c"])[labels]
    model = LogisticRegression(lr=0.5, max_iter=100, batch_size=32, random_state=0).fit(X, y)
    assert not model.binary_ and model.coef_.shape == (3, 2) and model.score(X, y) > 0.95
    assert np.allclose(model.predict_proba(X).sum(axis=1), 1)
    assert model.loss_history_[-1] < model.loss_history_[0]


def test_binary_labels_must_be_zero_and_one():
    with pytest.raises(ValueError, match=r"binary logistic regression needs labels 0 and 1, got \[1, 2\]"):
        LogisticRegression(multi_class="binary").fit([[0.0], [1.0]], [1, 2])


def test_online_full_and_mini_batch_modes_differ_as_documented():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    results = {size: LogisticRegression(lr=0.1, max_iter=1, batch_size=size, random_state=0).fit(X, y).coef_
               for size in (1, None, 8)}
    assert not np.allclose(results[1], results[None]) and not np.allclose(results[8], results[None])
    # one pass of full-batch gradient descent is exactly one step: w = -lr * (1/n) X^T (0.5 - y)
    np.testing.assert_allclose(results[None], -0.1 * X.T @ (0.5 - y) / 40)
