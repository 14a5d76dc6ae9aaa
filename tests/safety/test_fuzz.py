"""Fuzzing with Hypothesis: random bytes and mutated valid files into the IDX reader, the image
reader and the checkpoint loader. Each must succeed or raise its documented error type (never
another exception), within a time limit per file and a bound on the memory the process grows by."""
import gzip
import io
import resource
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

import sinir
from sinir import checkpoint, nn
from sinir.datasets import DatasetError, read_idx, write_idx
from sinir.images import ImageError, digit_from_bytes, read_image
from sinir.serialization import LoadError

FUZZ = settings(max_examples=250, deadline=3000, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FOLDER = Path(tempfile.mkdtemp(prefix="sinir-fuzz-"))
MEMORY_GROWTH_MB = 400


def _valid_idx():
    write_idx(FOLDER / "valid-idx", np.arange(5 * 4 * 4, dtype=np.uint8).reshape(5, 4, 4))
    raw = (FOLDER / "valid-idx").read_bytes()
    labels = bytes([0, 0, 8, 1, 0, 0, 0, 6]) + bytes(range(6))
    return [raw, gzip.compress(raw, mtime=0), labels, gzip.compress(labels, mtime=0)]


def _valid_images():
    picture = np.full((16, 16), 230, dtype=np.uint8)
    picture[3:13, 7:9] = 10
    image = Image.fromarray(picture)
    files = []
    for options in ({"format": "PNG"}, {"format": "PNG", "interlace": 1}, {"format": "GIF"}, {"format": "BMP"},
                    {"format": "JPEG"}, {"format": "WEBP"}):
        buffer = io.BytesIO()
        (image.convert("P") if options["format"] == "GIF" else image).save(buffer, **options)
        files.append(buffer.getvalue())
    buffer = io.BytesIO()
    Image.fromarray(np.dstack([picture] * 3 + [255 - picture])).save(buffer, format="PNG")   # RGBA
    return files + [buffer.getvalue()]


def _valid_checkpoints():
    model = nn.Sequential(nn.Linear(3, 2))
    optimizer = sinir.optim.Adam(model.parameters())
    model(sinir.randn(4, 3)).sum().backward()
    optimizer.step()
    meta = {"model": "mlp", "model_config": {}, "dataset": "mnist", "normalization": [0.1, 0.3], "epoch": 1,
            "history": [{"epoch": 1, "loss": 0.5}], "config": {"seed": 0}, "scheduler": None}
    first = checkpoint.save(FOLDER / "valid.safetensors", model, meta, optimizer).read_bytes()
    sinir.save(model.state_dict(), FOLDER / "weights.safetensors")
    sinir.save(optimizer.state_dict(), FOLDER / "tree.safetensors")
    return [first, (FOLDER / "weights.safetensors").read_bytes(), (FOLDER / "tree.safetensors").read_bytes()]


@st.composite
def mutated(draw, bases):
    """A valid file with a few bytes changed, cut, inserted or a header number made extreme."""
    data = bytearray(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "extreme", "truncate"]))
        position = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[position:position + draw(st.integers(1, 16))]
        elif kind == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "extreme" and len(data) >= position + 4:
            data[position:position + 4] = draw(st.sampled_from([b"\xff\xff\xff\xff", b"\x7f\xff\xff\xff",
                                                                 b"\x00\x00\x00\x00", b"\x00\x01\x00\x00"]))
        elif kind == "truncate":
            del data[position:]
    return bytes(data)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 70, 2 ** 70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)


@st.composite
def meta_mutated(draw, tensors, meta):
    """A well-formed safetensors file whose checkpoint metadata has random JSON in some places."""
    import copy
    import json
    import safetensors.numpy
    meta = copy.deepcopy(meta)
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(sorted(meta) + ["extra"]))
        if isinstance(meta.get(key), dict) and meta[key] and draw(st.booleans()):
            meta[key][draw(st.sampled_from(sorted(meta[key])))] = draw(JSON_VALUES)
        elif isinstance(meta.get(key), list) and meta[key] and draw(st.booleans()):
            meta[key][draw(st.integers(0, len(meta[key]) - 1))] = draw(JSON_VALUES)
        else:
            meta[key] = draw(JSON_VALUES)
    return safetensors.numpy.save(tensors, metadata={checkpoint.META_KEY: json.dumps(meta)})


def _inputs(bases):
    return st.one_of(st.binary(max_size=512), mutated(bases))


def _max_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.fixture
def memory_bound():
    before = _max_rss_mb()
    yield
    assert _max_rss_mb() - before < MEMORY_GROWTH_MB, "a fuzzed file made the reader use too much memory"


def test_the_idx_reader_raises_only_dataset_errors(memory_bound):
    @FUZZ
    @given(_inputs(_valid_idx()))
    def check(data):
        path = FOLDER / "fuzz-idx"
        path.write_bytes(data)
        try:
            array = read_idx(path)
        except DatasetError:
            return
        assert array.nbytes <= 4 * len(data) * 1100      # never more than the file (or its gzip) can hold
    check()


def test_the_image_reader_raises_only_image_errors(memory_bound):
    @FUZZ
    @given(_inputs(_valid_images()))
    def check(data):
        try:
            digit = digit_from_bytes(data, "fuzz")
        except ImageError:
            return
        assert digit.shape == (28, 28) and np.isfinite(digit).all()
    check()
    (FOLDER / "fuzz.png").write_bytes(_valid_images()[0])
    assert read_image(FOLDER / "fuzz.png").shape == (16, 16)


def _checkpoint_parts():
    """The tensors and metadata of a real LeNet-5 checkpoint, written after one Adam step."""
    from sinir import experiment
    from sinir.models import lenet5
    model = lenet5()
    optimizer = sinir.optim.Adam(model.parameters())
    model(sinir.randn(2, 1, 28, 28)).sum().backward()
    optimizer.step()
    meta = {"model": "lenet5", "model_config": {"num_classes": 10, "in_channels": 1}, "dataset": "mnist",
            "normalization": [0.1307, 0.3081], "epoch": 1, "history": [{"epoch": 1, "loss": 0.5}],
            "config": {"seed": 0}, "rng_state": sinir.get_rng_state(), "loader_state": None, "scheduler": None}
    path = checkpoint.save(FOLDER / "lenet5.safetensors", model, meta, optimizer)
    experiment.load_model(path)
    import json
    import safetensors.numpy
    from safetensors import safe_open
    with safe_open(str(path), framework="numpy") as file:
        return safetensors.numpy.load_file(path), json.loads(file.metadata()[checkpoint.META_KEY])


def test_checkpoint_metadata_of_any_shape_is_validated(memory_bound):
    from sinir import experiment
    tensors, meta = _checkpoint_parts()

    @FUZZ
    @given(meta_mutated(tensors, meta))
    def check(data):
        path = FOLDER / "meta.safetensors"
        path.write_bytes(data)
        for load in (checkpoint.load, experiment.load_model):
            try:
                load(path)
            except checkpoint.CheckpointError:
                pass
    check()


def test_the_checkpoint_loader_raises_only_checkpoint_errors(memory_bound):
    bases = _valid_checkpoints()

    @FUZZ
    @given(_inputs(bases))
    def check(data):
        path = FOLDER / "fuzz.safetensors"
        path.write_bytes(data)
        try:
            checkpoint.load(path)
        except checkpoint.CheckpointError:
            pass
        try:
            sinir.load(path)
        except LoadError:
            pass
    check()
