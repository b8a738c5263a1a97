"""``warmline init [FOLDER]``: a commented line file and a ``.env`` with fresh secrets.

Nothing is ever overwritten: a file that is already there is kept and named, and when nothing
could be written the command fails.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from warmline.cli.common import fail
from warmline.config import (
    DATA_KEY_BYTES,
    EXAMPLE_LINE_FILE,
    LINE_FILE,
    check_data_key,
    shipped_file,
)

ENV_FILE = ".env"
ENV_TEMPLATE = """\
# Written by `warmline init`. warmline reads this file from the folder it runs in (commands,
# `warmline serve`, `warmline worker`, the Procfile); a variable already set in the environment
# wins over it. Readable by you only: keep it that way, and keep it out of version control.

# Signs the web app's sessions.
SECRET_KEY={secret_key}

# Encrypts contacts' phone numbers at rest. Keep a copy somewhere safe: without this key the
# stored numbers cannot be read, and changing it makes every stored number unreadable.
WARMLINE_DATA_KEY={data_key}

# For a real line, uncomment and fill in (without Twilio credentials the built-in phone
# simulator is used; without DATABASE_URL, a SQLite file in ./instance):
# DATABASE_URL=postgresql://warmline:password@localhost/warmline
# TWILIO_ACCOUNT_SID=AC...
# TWILIO_AUTH_TOKEN=...
# WARMLINE_PUBLIC_URL=https://warmline.example.org
"""


def new_data_key() -> str:
    """A fresh WARMLINE_DATA_KEY: 32 random bytes in url-safe base64."""
    return check_data_key(secrets.token_urlsafe(DATA_KEY_BYTES))


def env_text() -> str:
    return ENV_TEMPLATE.format(secret_key=secrets.token_urlsafe(48), data_key=new_data_key())


def write_new(path: Path, text: str, private: bool = False) -> None:
    """Create ``path`` with ``text``; FileExistsError when it is there (never overwritten).

    A private file is readable and writable by its owner only (0600), whatever the umask.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
    try:
        if private:
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", closefd=False) as f:
            f.write(text)
    finally:
        os.close(fd)


@click.command()
@click.argument(
    "folder", default=".", type=click.Path(file_okay=False, path_type=Path), required=False
)
def init(folder: Path) -> None:
    """Write FOLDER/warmline.toml and FOLDER/.env (default: the current folder).

    warmline.toml shows every setting with its default, explained; fill in its [line] table.
    .env holds a freshly generated SECRET_KEY and WARMLINE_DATA_KEY and is readable by you only.
    A file already there is never overwritten.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"cannot create {folder}: {exc.strerror or exc}")
    line_files = [folder / LINE_FILE, folder / "config" / LINE_FILE]
    existing_line = next((p for p in line_files if p.exists()), None)
    plan = [
        (folder / LINE_FILE, lambda: shipped_file(EXAMPLE_LINE_FILE).read_text("utf-8"), False),
        (folder / ENV_FILE, env_text, True),
    ]
    written = []
    for path, text, private in plan:
        if path.name == LINE_FILE and existing_line is not None:
            click.echo(f"kept {existing_line}: this folder already has a line file")
            continue
        try:
            write_new(path, text(), private)
        except FileExistsError:
            click.echo(f"kept {path}: it already exists (never overwritten)")
            continue
        except OSError as exc:
            click.echo(f"could not write {path}: {exc.strerror or exc}", err=True)
            continue
        written.append(path)
        if path.name == ENV_FILE:
            click.echo(f"wrote {path} (readable by you only): new SECRET_KEY and WARMLINE_DATA_KEY")
        else:
            click.echo(f"wrote {path}: fill in its [line] table (name, timezone, public number)")
    if not written:
        fail(f"nothing written in {folder}")
    click.echo(
        "Next: fill in [line], then, from this folder: `warmline db upgrade`, "
        "`warmline volunteer add NAME PHONE`, `warmline shift add ...` (see the README)."
    )
