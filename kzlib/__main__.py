"""``python -m kzlib`` is the ``kzlib`` command."""

import sys

from .cli import main

sys.exit(main())
