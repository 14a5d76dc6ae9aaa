"""Per-image transforms as torchvision's: ToTensor, Normalize, Compose and random augmentation."""
import numpy as np
import pytest
from PIL import Image

import sinir
from sinir.datasets import transforms as T


def test_to_tensor_on_pil_and_uint8_arrays():
    pixels = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    for picture in (Image.fromarray(pixels), pixels):
        x = T.ToTensor()(picture)
        assert x.shape == (1, 3, 4) and x.dtype == np.float32
        np.testing.assert_allclose(x[0], pixels / 255, rtol=1e-6)
    rgb = T.ToTensor()(Image.fromarray(np.zeros((5, 6, 3), dtype=np.uint8)))
    assert rgb.shape == (3, 5, 6)
    assert T.ToTensor()(np.zeros((8, 28, 28), dtype=np.uint8)).shape == (8, 1, 28, 28)   # a batch


def test_normalize_and_compose_match_torchvision_numbers():
    transform = T.Compose([T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])
    x = transform(np.full((28, 28), 255, dtype=np.uint8))
    np.testing.assert_allclose(x, (1 - 0.1307) / 0.3081, rtol=1e-6)
    with pytest.raises(ValueError, match="std must be positive"):
        T.Normalize(0.5, 0.0)


def test_random_rotation_by_90_degrees_is_rot90():
    image = np.arange(25, dtype=np.float32).reshape(1, 5, 5)
    rotated = T.RandomRotation((90, 90))(image)
    np.testing.assert_array_equal(rotated[0], np.rot90(image[0]))          # counter-clockwise
    pil = T.RandomRotation((-90, -90))(Image.fromarray(image[0].astype(np.uint8)))
    np.testing.assert_array_equal(np.asarray(pil), np.rot90(image[0], -1).astype(np.uint8))


def test_random_affine_translates_and_each_image_gets_its_own_draw():
    image = np.zeros((1, 9, 9), dtype=np.float32)
    image[0, 4, 4] = 1
    sinir.manual_seed(0)
    shifted = T.RandomAffine(0, translate=(0.3, 0.3))(image)
    (y,), (x,) = np.nonzero(shifted[0] == 1)[0:1], np.nonzero(shifted[0] == 1)[1:2]
    assert abs(y - 4) <= 3 and abs(x - 4) <= 3 and shifted.sum() == 1
    batch = np.repeat(np.arange(81, dtype=np.uint8).reshape(1, 9, 9), 16, axis=0)   # (N, H, W) uint8
    out = T.RandomAffine(30, scale=(0.8, 1.2))(batch)
    assert out.shape == batch.shape and len({o.tobytes() for o in out}) > 1


def test_random_crop_with_padding():
    image = np.ones((1, 28, 28), dtype=np.float32)
    sinir.manual_seed(0)
    crops = [T.RandomCrop(28, padding=2)(image) for _ in range(20)]
    assert all(c.shape == (1, 28, 28) for c in crops)
    assert len({float(c.sum()) for c in crops}) > 1                         # the zero border moves
    assert T.RandomCrop((3, 4))(Image.fromarray(np.zeros((10, 10), np.uint8))).size == (4, 3)
    with pytest.raises(ValueError, match="crop size"):
        T.RandomCrop(40)(image)


def test_mnist_gives_per_sample_images_through_a_loader_with_workers():
    from sinir.data import DataLoader, Subset
    from sinir.datasets import MNIST
    transform = T.Compose([T.RandomRotation(10), T.ToTensor(), T.Normalize((0.1307,), (0.3081,))])
    dataset = MNIST(train=False, transform=transform)
    image, label = dataset[0]
    assert image.shape == (1, 28, 28) and image.dtype == np.float32 and isinstance(label, int)
    x, y = next(iter(DataLoader(Subset(dataset, range(64)), batch_size=32, num_workers=2)))
    assert tuple(x.shape) == (32, 1, 28, 28) and tuple(y.shape) == (32,)
