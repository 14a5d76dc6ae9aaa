"""SyncBatchNorm: 2 ranks with half a batch each normalise as one BatchNorm over the whole batch."""
import numpy as np
import pytest

import sinir
from sinir import nn
from sinir.distributed import SyncBatchNorm
from dist_launch import run_worker
from tests.conftest import random64


def one_rank(array):
    """The sum over the ranks of a group of one."""
    return array


@pytest.mark.parametrize("shape", [(4, 3, 2, 2), (5, 3), (3, 3, 4)])
def test_the_function_passes_gradcheck_and_matches_pytorch_on_one_rank(shape):
    from sinir.distributed.sync_batchnorm import SyncBatchNormFunction
    torch = pytest.importorskip("torch")
    x, w, b = random64(*shape, seed=1), random64(3, seed=2), random64(3, seed=3)
    assert sinir.gradcheck(lambda x, w, b: SyncBatchNormFunction(1e-5, one_rank)(x, w, b), [x, w, b])
    assert sinir.gradcheck(lambda x: SyncBatchNormFunction(1e-5, one_rank)(x), [random64(*shape, seed=4)])
    y = SyncBatchNormFunction(1e-5, one_rank)(x, w, b)
    weighting = np.random.default_rng(0).standard_normal(shape)
    (y * sinir.Tensor(weighting, dtype=np.float64)).sum().backward()
    xt, wt, bt = (torch.tensor(np.asarray(t), requires_grad=True) for t in (x, w, b))
    yt = torch.nn.functional.batch_norm(xt, None, None, wt, bt, training=True, eps=1e-5)
    (yt * torch.tensor(weighting)).sum().backward()
    np.testing.assert_allclose(y.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    for ours, theirs in ((x, xt), (w, wt), (b, bt)):
        np.testing.assert_allclose(np.asarray(ours.grad), theirs.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_two_ranks_equal_one_batchnorm_over_the_whole_batch(tmp_path):
    run_worker(2, "syncbn", tmp_path)
    rng = np.random.default_rng(5)
    x_all, weights_all = rng.standard_normal((8, 3, 4, 4)) * 3 + 2, rng.standard_normal((8, 3, 4, 4))
    bn = nn.BatchNorm2d(3).double()
    with sinir.no_grad():
        bn.weight[...] = np.array([1.5, 0.5, -1.0])
        bn.bias[...] = np.array([0.1, 0.2, 0.3])
    x = sinir.Tensor(x_all, requires_grad=True, dtype=np.float64)
    y = bn(x)
    (y * sinir.Tensor(weights_all, dtype=np.float64)).sum().backward()
    bn.eval()
    y_eval = bn(sinir.Tensor(x_all, dtype=np.float64)).numpy()
    found = [np.load(tmp_path / f"rank{r}.npz") for r in range(2)]
    for rank in range(2):
        part = slice(4 * rank, 4 * rank + 4)
        assert str(found[rank]["type"]) == "SyncBatchNorm"
        np.testing.assert_allclose(found[rank]["y"], y.numpy()[part], rtol=1e-12, atol=1e-12)
        # the gradient of each rank's input includes what flows through the other rank's statistics
        np.testing.assert_allclose(found[rank]["grad_x"], np.asarray(x.grad)[part], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(found[rank]["running_mean"], np.asarray(bn.running_mean), rtol=1e-12)
        np.testing.assert_allclose(found[rank]["running_var"], np.asarray(bn.running_var), rtol=1e-12)
        np.testing.assert_allclose(found[rank]["y_eval"], y_eval[part], rtol=1e-12, atol=1e-12)
    # weight and bias gradients are per rank: their sum is the whole batch's (DDP then averages)
    for name, value in (("grad_weight", bn.weight.grad), ("grad_bias", bn.bias.grad)):
        np.testing.assert_allclose(found[0][name] + found[1][name], np.asarray(value), rtol=1e-10)
        assert not np.allclose(found[0][name], np.asarray(value))


def test_convert_sync_batchnorm_shares_parameters_and_statistics():
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.Sequential(nn.Flatten(), nn.BatchNorm1d(12)))
    old = model[1]
    converted = SyncBatchNorm.convert_sync_batchnorm(model)
    assert converted is model
    assert type(model[1]) is SyncBatchNorm and type(model[2][1]) is SyncBatchNorm and type(model[0]) is nn.Conv2d
    assert model[1].weight is old.weight and model[1].bias is old.bias
    assert model[1].running_mean is old.running_mean
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
                                        "1.running_var", "1.num_batches_tracked", "2.1.weight", "2.1.bias",
                                        "2.1.running_mean", "2.1.running_var", "2.1.num_batches_tracked"]
    single = SyncBatchNorm.convert_sync_batchnorm(nn.BatchNorm1d(4, affine=False))
    assert type(single) is SyncBatchNorm and single.weight is None


def test_without_a_process_group_it_is_batchnorm():
    x = sinir.randn(6, 3, 4, 4)
    ours, plain = SyncBatchNorm(3), nn.BatchNorm2d(3)
    np.testing.assert_allclose(ours(x).numpy(), plain(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(ours.running_var), np.asarray(plain.running_var), rtol=1e-6)
    with pytest.raises(ValueError, match="SyncBatchNorm"):
        SyncBatchNorm(3)(sinir.randn(6, 4))
