"""Evidence files (an uploaded certificate): checked before anything is stored, kept outside the
web root in ``<instance>/uploads/learning/`` under a random name, served only through a view
that checks who asks, as an attachment.

The checks are those of onboarding's uploads: an allowed type by extension, within the size
limit, and content that is what the extension says (sniffed with the ``filetype`` library).
"""
from __future__ import annotations

import os
import secrets
from contextlib import suppress
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from core.extensions import db
from plugins.learning.models import TrainingRecord
from plugins.learning.vocabulary import EVIDENCE_MAX_MB, EVIDENCE_TYPES

MB = 1024 * 1024
_DISCARD = "learning_discard_files"


class UploadRefused(ValueError):
    """The file is not accepted; the message says why. Nothing was stored."""


def folder() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "learning"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(record: TrainingRecord) -> Path:
    return folder() / record.evidence_stored


def read_checked(upload: FileStorage | None) -> tuple[bytes, str, str]:
    """``(content, content type, safe original name)`` of an acceptable upload; else UploadRefused."""
    if upload is None or not upload.filename:
        raise UploadRefused(_("Choose a file."))
    name = secure_filename(upload.filename) or "certificate"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((spec for spec in EVIDENCE_TYPES.values() if extension in spec[0]), None)
    if kind is None:
        raise UploadRefused(_("This type of file is not accepted. Allowed: PDF, JPEG, PNG."))
    limit = EVIDENCE_MAX_MB * MB
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(_("The file is larger than %(mb)d MB.", mb=EVIDENCE_MAX_MB))
    if not content:
        raise UploadRefused(_("The file is empty."))
    sniffed = filetype.guess(content)
    if sniffed is None or sniffed.extension != kind[2]:
        raise UploadRefused(_("The content of the file does not match its extension .%(ext)s.", ext=extension))
    return content, kind[1], name


def attach(record: TrainingRecord, content: bytes, content_type: str, original_name: str) -> str:
    """Write the bytes under a new random name and point the record at them; returns that name
    (the caller removes it with ``discard`` when its transaction fails)."""
    stored_name = secrets.token_hex(24)
    fd = os.open(folder() / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    record.evidence_stored, record.evidence_name, record.evidence_type = stored_name, original_name[:255], content_type
    return stored_name


def discard(stored_names) -> None:
    for name in stored_names:
        with suppress(FileNotFoundError):
            (folder() / name).unlink()


def discard_after_commit(stored_names) -> None:
    """Remove files once the transaction deleting their records commits (not on a rollback)."""
    db.session.info.setdefault(_DISCARD, []).extend(name for name in stored_names if name)


@event.listens_for(Session, "after_commit")
def _discard_committed(session: Session) -> None:
    names = session.info.pop(_DISCARD, None)
    if names:
        discard(names)


@event.listens_for(Session, "after_rollback")
def _keep_rolled_back(session: Session) -> None:
    session.info.pop(_DISCARD, None)
