"""Uploaded files that a database row points at: checked before anything is stored, kept outside
the web root, removed together with their rows.

A plugin names its folder (``UploadFolder("learning")`` is ``<instance>/uploads/learning/``) and
its allowed types (``FileType``); ``read_checked`` accepts a file only if its extension is one of
those types, it is within the size limit and its content is what the extension says (sniffed with
the ``filetype`` library). ``store`` writes it under a random name; the row keeps the original
name and the file is only ever served through a view that checks who asks, as an attachment.

Files follow their transaction: a file written by a transaction that does not commit is removed
again, and a file whose row is deleted leaves the disk only once that deletion commits.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from core.extensions import db

MB = 1024 * 1024
_WRITTEN = "core.uploads.written"  # session.info: {folder: [names]} written in this transaction
_DELETE = "core.uploads.delete"  # session.info: {folder: [names]} to remove once it commits


class UploadRefused(ValueError):
    """The file is not accepted; the message says why. Nothing was stored."""


@dataclass(frozen=True)
class FileType:
    """An accepted kind of file: the extensions its name may carry, the extension the ``filetype``
    library reports for such content, and the content type it is served with."""

    key: str
    label: str
    extensions: tuple[str, ...]
    sniffed: str
    content_type: str


def read_checked(upload: FileStorage | None, allowed: Iterable[FileType], max_mb: int) -> tuple[bytes, FileType, str]:
    """``(content, type, safe original name)`` of an acceptable upload; else UploadRefused."""
    if upload is None or not upload.filename:
        raise UploadRefused(_("Choose a file."))
    allowed = list(allowed)
    # The extension comes from the name as sent: secure_filename drops non-ASCII letters, which
    # would leave "диплом.pdf" without one.
    extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    kind = next((kind for kind in allowed if extension in kind.extensions), None)
    if kind is None:
        labels = ", ".join(kind.label for kind in allowed)
        raise UploadRefused(_("This type of file is not accepted here. Allowed: %(types)s.", types=labels))
    limit = max_mb * MB
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(_("The file is larger than %(mb)d MB.", mb=max_mb))
    if not content:
        raise UploadRefused(_("The file is empty."))
    sniffed = filetype.guess(content)
    if sniffed is None or sniffed.extension != kind.sniffed:
        raise UploadRefused(_("The content of the file does not match its extension .%(ext)s.", ext=extension))
    name = secure_filename(upload.filename)
    if not name.lower().endswith("." + extension):
        name = f"file.{extension}"
    return content, kind, name[-255:]


class UploadFolder:
    """``<instance>/uploads/<name>/``: one plugin's files, each under a random name."""

    def __init__(self, name: str):
        self.name = name

    def directory(self) -> Path:
        path = Path(current_app.instance_path) / "uploads" / self.name
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    def path(self, stored_name: str) -> Path:
        return self.directory() / stored_name

    def store(self, content: bytes) -> str:
        """Write ``content`` under a new random name, readable by the server only; returns that name.
        Unless the current transaction commits, the file is removed again."""
        stored_name = secrets.token_hex(24)
        fd = os.open(self.path(stored_name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        session = db.session()
        if not session.in_transaction():
            session.begin()  # the file belongs to a transaction even before the first query
        _remember(_WRITTEN, self.directory(), [stored_name])
        return stored_name

    def delete_after_commit(self, stored_names: Iterable[str | None]) -> None:
        """Remove files once the transaction deleting their rows commits (not if it rolls back:
        the rows would still point at them)."""
        _remember(_DELETE, self.directory(), [name for name in stored_names if name])


def _remember(key: str, directory: Path, names: list[str]) -> None:
    db.session.info.setdefault(key, {}).setdefault(directory, []).extend(names)


def _remove(files: dict[Path, list[str]] | None) -> None:
    for directory, names in (files or {}).items():
        for name in names:
            with suppress(FileNotFoundError):
                (directory / name).unlink()


# A savepoint's commit or rollback (``begin_nested``) is not the end of the transaction, so the
# listeners act only on the outermost one.
@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(_WRITTEN, None)  # their rows are committed: the files stay
    _remove(session.info.pop(_DELETE, None))


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """After a rollback (or a session closed without committing): files written are discarded,
    files to be deleted stay, as their rows do."""
    if transaction.parent is not None:
        return
    _remove(session.info.pop(_WRITTEN, None))
    session.info.pop(_DELETE, None)
