"""LinearRegression: the course's slides exactly, scikit-learn's answers on real data, bad input."""
import numpy as np
import pytest

from sinir.linear_model import LinearRegression, NotFittedError
from sinir.training import TrainingDivergedError

SLIDE_X = [[1, 2, 3], [4, 5, 6]]
SLIDE_Y = [14, 32]


@pytest.mark.parametrize("vectorized", [True, False])
def test_the_slides_gradient_step(vectorized):
    model = LinearRegression(solver="gd", lr=0.01, max_iter=1, fit_intercept=False, vectorized=vectorized)
    model.fit(SLIDE_X, SLIDE_Y, coef_init=[2, 2, 2])
    np.testing.assert_allclose(model.coef_, [2.10, 2.14, 2.18], rtol=1e-12)
    assert model.loss_history_[0] == pytest.approx(4.0)           # "MSE Before: 4.0"
    assert model.loss_history_[1] == pytest.approx(0.5994)        # "MSE After: 0.59"


def test_the_house_price_line():
    area = np.array([[50], [60], [70], [80], [100]])
    price = np.array([400, 450, 500, 550, 650])
    for solver in ("normal", "lstsq"):
        model = LinearRegression(solver=solver).fit(area, price)
        assert model.coef_[0] == pytest.approx(5) and model.intercept_ == pytest.approx(150)
        assert model.predict([[120]])[0] == pytest.approx(750)
    scaled = LinearRegression(solver="gd", lr=0.5, max_iter=3000).fit(area / 100, price)
    assert scaled.coef_[0] / 100 == pytest.approx(5, rel=1e-4) and scaled.intercept_ == pytest.approx(150, rel=1e-4)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber", "smooth_l1"])
@pytest.mark.parametrize("batch_size", [None, 1, 3])
def test_per_weight_loop_equals_matrix_form(loss, batch_size):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((7, 3)), rng.standard_normal(7)
    kwargs = dict(solver="sgd", lr=0.05, max_iter=4, batch_size=batch_size, loss=loss, delta=0.7, random_state=1)
    loop = LinearRegression(vectorized=False, **kwargs).fit(X, y)
    matrix = LinearRegression(vectorized=True, **kwargs).fit(X, y)
    np.testing.assert_allclose(loop.coef_, matrix.coef_, rtol=1e-12, atol=1e-14)
    assert loop.intercept_ == pytest.approx(matrix.intercept_, abs=1e-14)
    np.testing.assert_allclose(loop.loss_history_, matrix.loss_history_, rtol=1e-12)


def test_the_normal_equation_says_when_x_transpose_x_is_singular():
    with pytest.raises(ValueError, match="singular"):
        LinearRegression(fit_intercept=False).fit(SLIDE_X, SLIDE_Y)       # the slide's own 2x3 matrix
    model = LinearRegression(solver="lstsq", fit_intercept=False).fit(SLIDE_X, SLIDE_Y)
    np.testing.assert_allclose(model.predict(SLIDE_X), SLIDE_Y)           # fits exactly, minimum norm
    with pytest.raises(ValueError, match="singular"):
        LinearRegression().fit([[1, 2], [2, 4], [3, 6.0000000000001]], [1, 2, 3])   # nearly dependent columns


def _diabetes():
    datasets = pytest.importorskip("sklearn.datasets")
    X, y = datasets.load_diabetes(return_X_y=True)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def test_matches_scikit_learn_on_diabetes():
    reference_cls = pytest.importorskip("sklearn.linear_model").LinearRegression
    X, y = _diabetes()
    reference = reference_cls().fit(X, y)
    normal = LinearRegression(solver="normal").fit(X, y)
    np.testing.assert_allclose(normal.coef_, reference.coef_, atol=1e-6)
    assert normal.intercept_ == pytest.approx(reference.intercept_, abs=1e-6)
    best = reference.score(X, y)
    gd = LinearRegression(solver="gd", lr=0.1, max_iter=3000).fit(X, y)
    assert abs(gd.score(X, y) - best) < 1e-3
    sgd = LinearRegression(solver="sgd", lr=0.01, max_iter=50, batch_size=32, random_state=0).fit(X, y)
    assert abs(sgd.score(X, y) - best) < 1e-2


def test_tol_stops_early_and_history_has_one_entry_per_pass():
    X, y = _diabetes()
    model = LinearRegression(solver="gd", lr=0.1, max_iter=5000, tol=1e-6).fit(X, y)
    assert model.n_iter_ < 5000 and len(model.loss_history_) == model.n_iter_ + 1


def test_a_too_large_learning_rate_is_detected_and_named():
    X, y = _diabetes()
    model = LinearRegression(solver="gd", lr=2.0, max_iter=1000)
    with pytest.raises(TrainingDivergedError, match=r"learning rate 2: gradient descent diverged; try a smaller"):
        model.fit(X, y)
    history = model.loss_history_
    assert history[-1] > 10 * history[0] and all(b > a for a, b in zip(history[-6:], history[-5:]))


def test_scikit_learn_conventions():
    model = LinearRegression(solver="gd", lr=0.05)
    assert model.get_params()["lr"] == 0.05 and repr(model) == "LinearRegression(solver='gd', lr=0.05)"
    assert model.set_params(max_iter=10) is model and model.max_iter == 10
    assert not hasattr(model, "coef_")
    with pytest.raises(NotFittedError, match="not fitted yet"):
        model.predict([[1.0]])
    assert model.fit([[0.0], [1.0]], [0.0, 1.0]) is model
    with pytest.raises(ValueError, match="unknown parameter 'alpha'"):
        model.set_params(alpha=1)


@pytest.mark.parametrize("X, y, message", [
    ([[1.0], [np.nan]], [1, 2], "X contains NaN or infinite"),
    ([[1.0], [2.0]], [1, np.inf], "y contains NaN or infinite"),
    ([[1.0], [2.0]], [1, 2, 3], "X has 2 samples but y has 3"),
    ([1.0, 2.0], [1, 2], r"X must be 2-D .* X.reshape\(-1, 1\)"),
])
def test_bad_input(X, y, message):
    with pytest.raises(ValueError, match=message):
        LinearRegression().fit(X, y)


def test_bad_parameters():
    with pytest.raises(ValueError, match="solver must be one of"):
        LinearRegression(solver="magic").fit([[1.0]], [1.0])
    with pytest.raises(ValueError, match="minimises the squared error only"):
        LinearRegression(loss="mae").fit([[1.0]], [1.0])
    with pytest.raises(ValueError, match="batch_size must be a positive integer or None"):
        LinearRegression(solver="gd", batch_size=0).fit([[1.0]], [1.0])
