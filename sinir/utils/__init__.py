"""``sinir.utils.data`` is ``sinir.data``, so that ``torch.utils.data`` code runs after ``import sinir as torch``."""
from . import data
