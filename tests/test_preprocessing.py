import numpy as np
import pytest

from sinir.linear_model import NotFittedError
from sinir.preprocessing import OneHotEncoder, StandardScaler, booleans_to_numbers, train_test_split


def test_standard_scaler():
    X = np.array([[1.0, 5.0], [3.0, 5.0], [5.0, 5.0]])
    scaler = StandardScaler().fit(X)
    scaled = scaler.transform(X)
    np.testing.assert_allclose(scaled[:, 0], [-1.2247449, 0, 1.2247449], rtol=1e-6)
    np.testing.assert_allclose(scaled[:, 1], 0)                       # a constant column is only centred
    np.testing.assert_allclose(scaler.inverse_transform(scaled), X)
    with pytest.raises(NotFittedError):
        StandardScaler().transform(X)
    with pytest.raises(ValueError, match="X has 1 features, but the model was fitted with 2"):
        scaler.transform([[1.0]])


def test_one_hot_encoder_for_class_inputs():
    encoder = OneHotEncoder().fit([["kedi", 1], ["köpek", 2], ["kedi", 3]])
    assert encoder.transform([["köpek", 3]]).tolist() == [[0, 1, 0, 0, 1]]
    with pytest.raises(ValueError, match=r"unknown categories \['kuş'\]"):
        encoder.transform([["kuş", 1]])
    assert OneHotEncoder(handle_unknown="ignore").fit([["a"], ["b"]]).transform([["c"]]).tolist() == [[0, 0]]


def test_booleans_to_numbers():
    assert booleans_to_numbers([True, False]).tolist() == [1.0, 0.0]
    assert booleans_to_numbers(["evet", "Hayır", "yes", "no", "1", "0"]).tolist() == [1, 0, 1, 0, 1, 0]
    with pytest.raises(ValueError, match="'belki' at"):
        booleans_to_numbers(["belki"])


def test_train_test_split_is_seeded_and_complete():
    X, y = np.arange(20).reshape(10, 2), np.arange(10)
    a = train_test_split(X, y, test_size=0.3, random_state=0)
    b = train_test_split(X, y, test_size=0.3, random_state=0)
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    X_train, X_test, y_train, y_test = a
    assert len(y_test) == 3 and sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    np.testing.assert_array_equal(X_test[:, 0] // 2, y_test)
    with pytest.raises(ValueError, match="different lengths"):
        train_test_split(X, y[:5])
