"""``python -m extend_async``: the same as the ``extend-async`` command."""

from .cli import main

raise SystemExit(main())
