"""Files of onboarding (a newcomer's upload, a template's document to read), kept in
``<instance>/uploads/onboarding/`` with the checks and clean-up of core's ``UploadFolder``. The row
(``OnboardingFile``) holds the original name; a file is only ever served through a view that
checks who asks, as an attachment."""

from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from core.api import FileType, UploadFolder, db
from core.api import read_checked as read_checked_upload
from plugins.onboarding.models import OnboardingFile
from plugins.onboarding.vocabulary import FILE_TYPES, MAX_UPLOAD_MB

FOLDER = UploadFolder("onboarding")


def path_of(file: OnboardingFile) -> Path:
    return FOLDER.path(file.stored_name)


def read_checked(upload: FileStorage | None, allowed: list[str], max_mb: int) -> tuple[bytes, FileType, str]:
    """The bytes of an acceptable upload, its type and a safe original name; else UploadRefused.
    ``allowed`` are keys of FILE_TYPES, as a task's configuration holds them."""
    kinds = [FILE_TYPES[key] for key in allowed if key in FILE_TYPES]
    return read_checked_upload(upload, kinds, min(max_mb, MAX_UPLOAD_MB))


def store(
    content: bytes, kind: FileType, original_name: str, foundation_id: int, uploaded_by=None, **owner
) -> OnboardingFile:
    """Write the bytes under a new random name and add the row; ``owner`` is journey_id and
    journey_task_id, or template_id. The caller commits (if it does not, the file goes again)."""
    row = OnboardingFile(
        foundation_id=foundation_id,
        original_name=original_name[:255],
        stored_name=FOLDER.store(content),
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


def discard_after_commit(stored_names) -> None:
    """Remove files from disk once the transaction deleting their rows commits (not if it rolls
    back: the rows would still point at them)."""
    FOLDER.delete_after_commit(stored_names)
