"""One random generator for all of sinir: initialisation, shuffling and dropout.

``sinir.manual_seed(0)`` makes a run reproducible; ``get_rng_state`` / ``set_rng_state``
save and restore the generator exactly (a checkpoint stores it to resume bit for bit).
"""
import numpy as np

_state = {"generator": np.random.Generator(np.random.PCG64())}


def manual_seed(seed):
    """Seed sinir's generator; returns it.

    >>> sinir.manual_seed(0)
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed: the seed must be a non-negative integer, got {seed!r}")
    _state["generator"] = np.random.Generator(np.random.PCG64(int(seed)))
    _state["seed"] = int(seed)
    return _state["generator"]


def seed():
    """Seed the generator from the operating system's entropy; returns the seed used."""
    value = int(np.random.SeedSequence().entropy % (2 ** 63))
    manual_seed(value)
    return value


def initial_seed():
    """The seed given to the last ``manual_seed`` (or ``seed``)."""
    return _state.get("seed", 0)


def default_generator():
    """The numpy.random.Generator that sinir draws from."""
    return _state["generator"]


def get_rng_state():
    """The generator's state as a plain dict of ints and strings (JSON-serialisable)."""
    return default_generator().bit_generator.state


def set_rng_state(state):
    """Restore a state returned by ``get_rng_state``."""
    generator = np.random.Generator(np.random.PCG64())
    generator.bit_generator.state = state
    _state["generator"] = generator
