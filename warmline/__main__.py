"""``python -m warmline`` is the ``warmline`` command."""

from warmline.cli import main

main()
