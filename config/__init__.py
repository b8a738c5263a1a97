"""The line's default files, installed as the package ``warmline.defaults`` (see pyproject.toml).

``escalation.toml`` is the default escalation lexicon, ``warmline.toml`` the demo line (also the
tests' line) and ``warmline.example.toml`` the commented file ``warmline init`` writes. Read them
with ``warmline.config.shipped_file``, never by a path beside the source tree.
"""
