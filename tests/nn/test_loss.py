"""The course's loss tables, exactly, and the losses' bad-input errors."""
import numpy as np
import pytest

import sinir
from sinir import nn

TRUTH = sinir.tensor([10.0, 20.0, 30.0], dtype=np.float64)


def test_course_tables():
    prediction = sinir.tensor([12.0, 18.0, 30.0], dtype=np.float64)
    assert nn.MSELoss()(prediction, TRUTH).item() == pytest.approx(8 / 3)
    assert nn.RMSELoss()(prediction, TRUTH).item() == pytest.approx((8 / 3) ** 0.5)
    assert nn.L1Loss()(prediction, TRUTH).item() == pytest.approx(4 / 3)
    outliers = sinir.tensor([15.0, 18.0, 40.0], dtype=np.float64)
    assert nn.HuberLoss(delta=4)(outliers, TRUTH).item() == pytest.approx(46 / 3)
    assert nn.SmoothL1Loss(beta=5)(outliers, TRUTH).item() == pytest.approx(10.4 / 3)
    np.testing.assert_allclose(nn.HuberLoss(reduction="none", delta=4)(outliers, TRUTH).numpy(), [12, 2, 32])
    np.testing.assert_allclose(nn.SmoothL1Loss(reduction="none", beta=5)(outliers, TRUTH).numpy(), [2.5, 0.4, 7.5])
    # without the square the errors cancel: the course's "Kare olmazsa" table
    assert (prediction - TRUTH).mean().item() == 0


def test_rmse_gradient_is_finite_at_a_perfect_fit():
    prediction = sinir.tensor([1.0, 2.0], requires_grad=True)
    nn.RMSELoss()(prediction, sinir.tensor([1.0, 2.0])).backward()
    assert np.isfinite(prediction.grad).all()


def test_cross_entropy_is_finite_for_huge_logits():
    logits = sinir.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]], requires_grad=True)
    loss = nn.CrossEntropyLoss()(logits, sinir.tensor([1, 1]))
    loss.backward()
    assert loss.item() == pytest.approx(1e4)
    assert np.isfinite(logits.grad).all()


def test_cross_entropy_accepts_arrays_and_tensors_as_targets():
    logits = sinir.randn(4, 3)
    a = nn.CrossEntropyLoss()(logits, np.array([0, 1, 2, 0])).item()
    b = nn.CrossEntropyLoss()(logits, sinir.tensor([0, 1, 2, 0])).item()
    assert a == b


def test_bce_and_bce_with_logits_agree():
    logits = sinir.tensor([-2.0, 0.5, 3.0], dtype=np.float64)
    labels = sinir.tensor([0.0, 1.0, 1.0], dtype=np.float64)
    assert nn.BCELoss()(logits.sigmoid(), labels).item() == pytest.approx(
        nn.BCEWithLogitsLoss()(logits, labels).item())


@pytest.mark.parametrize("loss", [nn.MSELoss(), nn.L1Loss(), nn.HuberLoss(), nn.SmoothL1Loss(), nn.RMSELoss(),
                                  nn.BCEWithLogitsLoss()])
def test_shape_mismatch_is_an_error_not_a_silent_broadcast(loss):
    with pytest.raises(ValueError, match=r"input shape \(4, 1\) and target shape \(4,\) differ"):
        loss(sinir.randn(4, 1), sinir.randn(4))


def test_bad_arguments():
    with pytest.raises(ValueError, match="reduction must be one of"):
        nn.MSELoss(reduction="average")
    with pytest.raises(ValueError, match="delta must be positive"):
        nn.HuberLoss(delta=0)
    with pytest.raises(ValueError, match=r"class indices must lie in \[0, 3\)"):
        nn.CrossEntropyLoss()(sinir.randn(2, 3), [0, 3])
    with pytest.raises(ValueError, match=r"need class indices of shape \(2,\)"):
        nn.CrossEntropyLoss()(sinir.randn(2, 3), [0, 1, 2])
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\]"):
        nn.BCELoss()(sinir.tensor([1.5]), sinir.tensor([1.0]))
