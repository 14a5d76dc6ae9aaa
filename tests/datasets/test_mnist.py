"""IDX reading and validation, MNIST lookup, downloads (against a local server), the bundled sample."""
import gzip
import hashlib
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest

from sinir.datasets import (MNIST, Compose, DatasetError, FashionMNIST, Normalize, OneHot, ToTensor, download,
                            read_idx, write_idx)
from sinir.datasets.idx import parse_idx
from tests.conftest import mnist_dir

DATA = mnist_dir()


def _fake_split(folder, n=30, gz=True, prefix="train"):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n, dtype=np.uint8)
    suffix = ".gz" if gz else ""
    names = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
             "t10k": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}[prefix]
    folder.mkdir(parents=True, exist_ok=True)
    write_idx(folder / (names[0] + suffix), images)
    write_idx(folder / (names[1] + suffix), labels)
    return images, labels


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No $SINIR_DATA and an empty cache, so only what a test provides is found."""
    monkeypatch.delenv("SINIR_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path


def test_idx_round_trip_raw_and_gzip(tmp_path):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    for name in ("a-idx3-ubyte", "a-idx3-ubyte.gz"):
        write_idx(tmp_path / name, array)
        np.testing.assert_array_equal(read_idx(tmp_path / name), array)


def test_corrupt_idx_files_name_the_file(tmp_path):
    write_idx(tmp_path / "x-idx1-ubyte", np.arange(10, dtype=np.uint8))
    data = (tmp_path / "x-idx1-ubyte").read_bytes()
    (tmp_path / "truncated").write_bytes(data[:-3])
    with pytest.raises(DatasetError, match=r"truncated: the header announces shape \(10,\) .* holds 15 bytes"):
        read_idx(tmp_path / "truncated")
    (tmp_path / "magic").write_bytes(b"\x01\x02" + data[2:])
    with pytest.raises(DatasetError, match="magic: not an IDX file"):
        read_idx(tmp_path / "magic")
    (tmp_path / "bad.gz").write_bytes(gzip.compress(data)[:-8])
    with pytest.raises(DatasetError, match="bad.gz: the gzip data is corrupt or truncated"):
        read_idx(tmp_path / "bad.gz")
    with pytest.raises(DatasetError, match="missing: no such file"):
        read_idx(tmp_path / "missing")
    with pytest.raises(DatasetError, match="too short"):
        parse_idx(b"\x00")


def test_mnist_reads_a_folder_and_transforms_batches(isolated):
    images, labels = _fake_split(isolated / "data")
    dataset = MNIST(isolated / "data", train=True, download=False,
                    transform=Compose([ToTensor(), Normalize(0.5, 0.5)]), target_transform=OneHot(10))
    assert len(dataset) == 30 and not dataset.is_sample
    x, y = dataset.get_batch(np.arange(4))
    assert x.shape == (4, 1, 28, 28) and x.dtype == np.float32 and y.shape == (4, 10)
    np.testing.assert_allclose(x[0, 0], (images[0] / 255 - 0.5) / 0.5, atol=1e-6)
    image, label = dataset[3]
    assert image.shape == (1, 28, 28) and label.argmax() == labels[3]


def test_lookup_order_root_then_environment_then_cache(isolated, monkeypatch):
    _fake_split(isolated / "env" / "mnist", n=11)
    _fake_split(isolated / "cache" / "sinir" / "mnist", n=12)
    monkeypatch.setenv("SINIR_DATA", str(isolated / "env"))
    assert len(MNIST(download=False)) == 11
    monkeypatch.delenv("SINIR_DATA")
    assert len(MNIST(download=False)) == 12
    _fake_split(isolated / "root", n=13, gz=False)
    assert len(MNIST(isolated / "root", download=False)) == 13


def test_fashion_mnist_never_takes_mnist_files_from_a_shared_folder(isolated, monkeypatch):
    _fake_split(isolated / "env", n=11)                       # MNIST's files, directly in $SINIR_DATA
    _fake_split(isolated / "env" / "fashion-mnist", n=14)
    monkeypatch.setenv("SINIR_DATA", str(isolated / "env"))
    assert len(FashionMNIST(download=False)) == 14
    assert len(MNIST(download=False)) == 11


def test_labels_out_of_range_and_length_mismatch_are_errors(isolated):
    folder = isolated / "bad"
    _fake_split(folder)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.full(30, 12, dtype=np.uint8))
    with pytest.raises(DatasetError, match="labels must be 0-9, found 12"):
        MNIST(folder, download=False)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(29, dtype=np.uint8))
    with pytest.raises(DatasetError, match="30 images but 29 labels"):
        MNIST(folder, download=False)


def test_without_files_or_network_it_says_so_and_uses_the_bundled_sample(isolated, capsys):
    train = MNIST(download=False)
    test = MNIST(train=False, download=False)
    assert train.is_sample and len(train) == 6000 and len(test) == 1000
    assert np.bincount(train.targets).tolist() == [600] * 10
    assert "bundled MNIST sample" in capsys.readouterr().err


class _Server:
    """Serves a dict of path -> bytes on 127.0.0.1, on a free port."""

    def __init__(self, files):
        files = files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                if body is not None:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _served_split(tmp_path):
    _fake_split(tmp_path / "served", n=25)
    return {f"/{p.name}": p.read_bytes() for p in (tmp_path / "served").iterdir()}


def test_download_checks_md5_and_writes_atomically(tmp_path):
    files = _served_split(tmp_path)
    name = "/train-images-idx3-ubyte.gz"
    good = files[name]
    files["/truncated.gz"] = good[: len(good) // 2]
    with _Server(files) as server:
        target = tmp_path / "out" / "images.gz"
        download(server.url + name[1:], target, hashlib.md5(good).hexdigest())
        assert target.read_bytes() == good
        with pytest.raises(DatasetError, match="MD5 sum is .* expected 0+: corrupt or truncated, not saved"):
            download(server.url + name[1:], tmp_path / "out" / "wrong.gz", "0" * 32)
        with pytest.raises(DatasetError, match="MD5"):
            download(server.url + "truncated.gz", tmp_path / "out" / "cut.gz", hashlib.md5(good).hexdigest())
        with pytest.raises(DatasetError, match="download failed"):
            download(server.url + "missing.gz", tmp_path / "out" / "missing.gz")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["images.gz"]   # nothing half-written


def test_mnist_downloads_into_the_cache(isolated, capsys):
    files = _served_split(isolated)
    with _Server(files) as server:
        class LocalMNIST(MNIST):
            mirrors = (server.url,)
            md5 = {p[1:-3]: hashlib.md5(body).hexdigest() for p, body in files.items()}

        dataset = LocalMNIST(train=True)
    assert len(dataset) == 25 and not dataset.is_sample
    assert (isolated / "cache" / "sinir" / "mnist" / "train-images-idx3-ubyte.gz").exists()


def test_a_corrupt_download_falls_back_with_a_message(isolated, capsys):
    files = _served_split(isolated)
    files["/train-labels-idx1-ubyte.gz"] = b"garbage"
    with _Server(files) as server:
        class LocalMNIST(MNIST):
            mirrors = (server.url,)
            md5 = {p[1:-3]: hashlib.md5(body).hexdigest() for p, body in _served_split(isolated).items()}

        dataset = LocalMNIST(train=True)
    error = capsys.readouterr().err
    assert dataset.is_sample and "could not download mnist" in error and "SINIR_DATA" in error


@pytest.mark.skipif(DATA is None, reason="the full MNIST is not at $SINIR_DATA or ../shared/data/mnist")
def test_the_full_mnist_matches_its_published_counts():
    train, test = MNIST(DATA, train=True, download=False), MNIST(DATA, train=False, download=False)
    assert train.data.shape == (60000, 28, 28) and test.data.shape == (10000, 28, 28)
    assert np.bincount(test.targets).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _write_typed_idx(path, array, type_code):
    """An IDX file of another element type (0x0D: big-endian float32, 0x0C: int32)."""
    dtype = {0x0D: ">f4", 0x0C: ">i4"}[type_code]
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(n.to_bytes(4, "big") for n in array.shape)
    path.write_bytes(header + np.ascontiguousarray(array, dtype=dtype).tobytes())


def test_images_must_be_uint8_or_float_in_0_1_and_labels_integers(isolated):
    folder = isolated / "typed"
    images, _ = _fake_split(folder, gz=False)
    (folder / "train-images-idx3-ubyte.gz").unlink(missing_ok=True)
    _write_typed_idx(folder / "train-images-idx3-ubyte", images / 255.0, 0x0D)
    dataset = MNIST(folder, download=False, transform=ToTensor())
    np.testing.assert_allclose(dataset.get_batch(np.arange(2))[0][:, 0], images[:2] / 255.0, atol=1e-6)
    _write_typed_idx(folder / "train-images-idx3-ubyte", images.astype(np.float32), 0x0D)      # 0..255 floats
    with pytest.raises(DatasetError, match="images must be uint8 \\(0-255\\) or float in \\[0, 1\\]"):
        MNIST(folder, download=False)
    _write_typed_idx(folder / "train-images-idx3-ubyte", images / 255.0, 0x0D)
    _write_typed_idx(folder / "train-labels-idx1-ubyte", np.zeros(30, dtype=np.float32), 0x0D)
    with pytest.raises(DatasetError, match="labels must be integers, got float32"):
        MNIST(folder, download=False)
    _write_typed_idx(folder / "train-labels-idx1-ubyte", np.full(30, -1), 0x0C)
    with pytest.raises(DatasetError, match="labels must be 0-9, found -1"):
        MNIST(folder, download=False)


def test_a_named_folder_must_hold_the_files_no_fall_back(isolated, monkeypatch):
    _fake_split(isolated / "env" / "mnist", n=11)
    monkeypatch.setenv("SINIR_DATA", str(isolated / "env"))
    with pytest.raises(DatasetError, match="missing-folder: no such folder"):
        MNIST(isolated / "missing-folder")
    (isolated / "empty").mkdir()
    with pytest.raises(DatasetError, match="empty: the mnist files are not there; expected train-images-idx3-ubyte"):
        MNIST(isolated / "empty")
    _fake_split(isolated / "half")
    (isolated / "half" / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match="half: the mnist files are not there"):
        MNIST(isolated / "half")
    assert len(MNIST(download=False)) == 11            # without a folder, $SINIR_DATA is still used
