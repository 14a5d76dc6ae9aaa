"""The Draw page's side: a drawn picture -> what the model sees, its probabilities, its feature maps.

The picture goes through exactly what ``sinir predict`` does to a file (``sinir.images.digit_from_bytes``:
decoded by Pillow, the digit cut out, scaled into 20x20, centred by mass in 28x28), and is then
normalised with the mean and standard deviation stored in the checkpoint.
"""
import base64
import binascii
import io
import threading
import time
from pathlib import Path

import numpy as np

from .. import experiment, nn
from ..grad_mode import no_grad
from ..tensor import Tensor

MAX_IMAGE_BYTES = 2 * 1024 * 1024     # a drawn digit is a few kB; a photo must be smaller than this
MAX_PIXELS = 4_000_000                # width x height; more is refused before decoding
MAX_MAPS_PER_LAYER = 16


class TurnLock:
    """A lock that a long computation (a training run) holds throughout and hands over between
    its steps to whoever is waiting (``let_others_in``); short computations use ``with lock:``.

    sinir's grad mode is one switch for the whole process, so the server runs one model
    computation at a time: a prediction, a backprop step, or a training run between two batches.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._count = threading.Lock()
        self._waiting = 0

    def __enter__(self):
        self.acquire()
        return self

    def __exit__(self, *exc_info):
        self.release()
        return False

    def acquire(self):
        with self._count:
            self._waiting += 1
        self._lock.acquire()
        with self._count:
            self._waiting -= 1

    def release(self):
        self._lock.release()

    def let_others_in(self):
        """For the holder, between two steps: wait while those already waiting take their turn."""
        if self._waiting:
            self._lock.release()
            while self._waiting:            # each waiter counts itself out once it holds the lock
                time.sleep(0.001)
            self._lock.acquire()


COMPUTE_LOCK = TurnLock()


class BadInput(ValueError):
    """What the client sent cannot be used; ``status`` is the HTTP status to answer with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def decode_data_url(text):
    """'data:image/png;base64,....' (or bare base64) -> the file's bytes."""
    if not isinstance(text, str) or not text:
        raise BadInput('"image" must be a PNG as a base64 data URL (data:image/png;base64,...)')
    if text.startswith("data:"):
        header, _, text = text.partition(",")
        if not header.endswith(";base64") or not header[5:].startswith("image/"):
            raise BadInput(f'"image" must be a base64 image data URL, got one starting {header[:40]!r}')
    if len(text) > MAX_IMAGE_BYTES * 4 // 3 + 4:
        raise BadInput(f"the image is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB", 413)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BadInput('"image" is not valid base64') from None


def check_image(data):
    """Refuse what is not an image, or too many pixels, before decoding it (Pillow reads the header)."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise BadInput("the data is not an image (PNG or JPEG expected)") from None
    if width * height > MAX_PIXELS:
        raise BadInput(f"the image has {width}x{height} pixels; at most {MAX_PIXELS:,} are accepted", 413)


def image_to_mnist(data):
    """Image file bytes -> (28, 28) float32 in [0, 1], by ``sinir predict``'s own function."""
    from ..images import ImageError, digit_from_bytes
    check_image(data)
    try:
        return digit_from_bytes(data, "the drawing")
    except ImageError as error:
        raise BadInput(str(error)) from None


class DigitModel:
    """A checkpoint's model with hooks on every Conv2d; ``predict`` gives what the Draw page shows."""

    def __init__(self, model, meta, source):
        self.model, self.meta, self.source = model.eval(), meta, str(source)
        self.mean, self.std = meta.get("normalization", (0.0, 1.0))
        self.conv_names = [name for name, module in model.named_modules() if isinstance(module, nn.Conv2d)]

    @classmethod
    def load(cls, path):
        model, meta = experiment.load_model(path)
        return cls(model, meta, path)

    def describe(self):
        return {"checkpoint": self.source, "model": self.meta.get("model"), "dataset": self.meta.get("dataset"),
                "epoch": self.meta.get("epoch"), "conv_layers": self.conv_names}

    def predict(self, image):
        """(28, 28) image in [0, 1] -> {"digit", "probabilities", "feature_maps"}."""
        x = Tensor(((image - self.mean) / self.std)[None, None].astype(np.float32))
        captured = []
        with COMPUTE_LOCK:          # one request at a time on the model and its hooks
            handles = [module.register_forward_hook(
                lambda module, inputs, output, name=name: captured.append((name, np.asarray(output)[0])))
                for name, module in self.model.named_modules() if isinstance(module, nn.Conv2d)]
            try:
                with no_grad():
                    probabilities = np.asarray(self.model(x).softmax(axis=1))[0].astype(np.float64)
            finally:
                for handle in handles:
                    handle.remove()
        feature_maps = [{"layer": name, "channels": len(maps),
                         "maps": np.round(maps[:MAX_MAPS_PER_LAYER], 4).tolist()} for name, maps in captured]
        return {"digit": int(probabilities.argmax()), "probabilities": probabilities.round(6).tolist(),
                "feature_maps": feature_maps}


# ----- which model the Draw page uses ------------------------------------------------------------
def checkpoints_in(folder):
    """Checkpoint files (best before last) in one run folder."""
    found = []
    for stem in ("best", "last"):
        found.extend(sorted(Path(folder).glob(f"{stem}.*")))
    return [path for path in found if not path.name.endswith(".tmp")]


def newest_run_checkpoint(runs_dir):
    """The best (else last) checkpoint of the most recently written run under ``runs_dir`` that
    holds an MNIST model, or None."""
    runs_dir = Path(runs_dir)
    if not runs_dir.is_dir():
        return None
    folders = [f for f in runs_dir.iterdir() if f.is_dir() and checkpoints_in(f)]
    folders.sort(key=lambda f: max(p.stat().st_mtime for p in checkpoints_in(f)), reverse=True)
    for folder in folders:
        for path in checkpoints_in(folder):
            try:
                model = DigitModel.load(path)
            except ValueError:
                continue
            if model.meta.get("dataset", "mnist") == "mnist":
                return model
    return None


def default_model(runs_dir="runs", cache=None, log=print, data=None):
    """The Draw page's model when no checkpoint is named: the newest MNIST run under ``runs_dir``,
    else a LeNet-5 trained once (3 epochs on 6,000 images: the bundled sample when the full MNIST
    is not found) and kept in ``cache`` (default ~/.cache/sinir/serve)."""
    from ..datasets.mnist import cache_dir
    model = newest_run_checkpoint(runs_dir)
    if model is not None:
        log(f"sinir serve: using the newest run, {model.source}")
        return model
    cache = Path(cache) if cache is not None else cache_dir() / "serve"
    folder = cache / "lenet5"
    for path in checkpoints_in(folder):
        try:
            model = DigitModel.load(path)
            log(f"sinir serve: no checkpoint given and no run under {runs_dir}/; using {path}")
            return model
        except ValueError:
            continue
    log(f"sinir serve: no checkpoint given and no run under {runs_dir}/; training a LeNet-5 once "
        f"(3 epochs on 6,000 MNIST images, a few seconds) into {folder}/")
    from .training import TrainingChoices, train
    choices = TrainingChoices(model="lenet5", optimizer="adam", epochs=3, lr=0.003, images=6000)
    result = train(choices, folder, data)
    log(f"sinir serve: trained, test accuracy {result['test_accuracy']:.4f}")
    return DigitModel.load(result["checkpoint"])
