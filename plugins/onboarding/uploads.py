"""Files of onboarding: checked before anything is stored, kept outside the web root.

A file lies in ``<instance>/uploads/onboarding/`` under a random name; the database row holds the
original name. Its content must be what its extension says (sniffed with the ``filetype``
library), of a type the task allows and within the task's size limit. Files are only ever served
through a view that checks who asks, as an attachment.
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
from plugins.onboarding.models import OnboardingFile
from plugins.onboarding.vocabulary import FILE_TYPES, MAX_UPLOAD_MB, FileType

MB = 1024 * 1024
_DISCARD = "onboarding_discard_files"


class UploadRefused(ValueError):
    """The file is not accepted; the message says why. Nothing was stored."""


def folder() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "onboarding"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def path_of(file: OnboardingFile) -> Path:
    return folder() / file.stored_name


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def read_checked(upload: FileStorage | None, allowed: list[str], max_mb: int) -> tuple[bytes, FileType, str]:
    """The bytes of an acceptable upload, its type and a safe original name; else UploadRefused."""
    if upload is None or not upload.filename:
        raise UploadRefused(_("Choose a file."))
    name = secure_filename(upload.filename) or "document"
    extension = extension_of(name)
    kind = next(
        (FILE_TYPES[key] for key in allowed if key in FILE_TYPES and extension in FILE_TYPES[key].extensions), None
    )
    if kind is None:
        labels = ", ".join(FILE_TYPES[key].label for key in allowed if key in FILE_TYPES)
        raise UploadRefused(_("This type of file is not accepted here. Allowed: %(types)s.", types=labels))
    limit = min(max_mb, MAX_UPLOAD_MB) * MB
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(_("The file is larger than %(mb)d MB.", mb=min(max_mb, MAX_UPLOAD_MB)))
    if not content:
        raise UploadRefused(_("The file is empty."))
    sniffed = filetype.guess(content)
    if sniffed is None or sniffed.extension != kind.sniffed:
        raise UploadRefused(_("The content of the file does not match its extension .%(ext)s.", ext=extension))
    return content, kind, name


def store(
    content: bytes, kind: FileType, original_name: str, foundation_id: int, uploaded_by=None, **owner
) -> OnboardingFile:
    """Write the bytes under a new random name and add the row; ``owner`` is journey_id and
    journey_task_id, or template_id. The caller commits (and calls ``discard`` on failure)."""
    stored_name = secrets.token_hex(24)
    fd = os.open(folder() / stored_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(content)
    row = OnboardingFile(
        foundation_id=foundation_id,
        original_name=original_name[:255],
        stored_name=stored_name,
        content_type=kind.content_type,
        size=len(content),
        uploaded_by_id=uploaded_by.id if uploaded_by is not None else None,
        **owner,
    )
    db.session.add(row)
    return row


def copy(source: OnboardingFile, foundation_id: int, **owner) -> OnboardingFile:
    """A copy of a file with its own random name (for a copied template)."""
    kind = next(k for k in FILE_TYPES.values() if k.content_type == source.content_type)
    return store(path_of(source).read_bytes(), kind, source.original_name, foundation_id, **owner)


def discard(stored_names) -> None:
    """Remove files from disk now (when storing them failed)."""
    for name in stored_names:
        with suppress(FileNotFoundError):
            (folder() / name).unlink()


def discard_after_commit(stored_names) -> None:
    """Remove files from disk once the transaction deleting their rows commits (not if it rolls
    back: the rows would still point at them)."""
    db.session.info.setdefault(_DISCARD, []).extend(stored_names)


@event.listens_for(Session, "after_commit")
def _discard_committed(session: Session) -> None:
    names = session.info.pop(_DISCARD, None)
    if names:
        discard(names)


@event.listens_for(Session, "after_rollback")
def _keep_rolled_back(session: Session) -> None:
    session.info.pop(_DISCARD, None)
