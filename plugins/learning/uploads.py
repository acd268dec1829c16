"""Evidence files (an uploaded certificate), kept in ``<instance>/uploads/learning/`` with the
checks and clean-up of ``core.uploads``; served only through a view that checks who asks."""
from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from core.api import FileType, UploadFolder
from core.api import read_checked as read_checked_upload
from plugins.learning.models import TrainingRecord
from plugins.learning.vocabulary import EVIDENCE_MAX_MB, EVIDENCE_TYPES

FOLDER = UploadFolder("learning")


def path_of(record: TrainingRecord) -> Path:
    return FOLDER.path(record.evidence_stored)


def read_checked(upload: FileStorage | None) -> tuple[bytes, FileType, str]:
    """``(content, type, safe original name)`` of an acceptable certificate; else UploadRefused."""
    return read_checked_upload(upload, EVIDENCE_TYPES, EVIDENCE_MAX_MB)


def attach(record: TrainingRecord, content: bytes, kind: FileType, original_name: str) -> None:
    """Store the bytes and point the record at them (the file goes again unless the transaction commits)."""
    record.evidence_stored = FOLDER.store(content)
    record.evidence_name, record.evidence_type = original_name[:255], kind.content_type


def discard_after_commit(stored_names) -> None:
    """Remove files once the transaction deleting their records commits (not on a rollback)."""
    FOLDER.delete_after_commit(stored_names)
