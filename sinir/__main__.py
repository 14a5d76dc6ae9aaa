"""``python -m sinir`` is the ``sinir`` command."""
import sys

from .cli import main

sys.exit(main())
