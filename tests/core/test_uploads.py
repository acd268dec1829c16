"""core.uploads: what an upload must be to be accepted, how it is stored, and how stored files
follow the transaction that wrote or deleted their rows."""
from __future__ import annotations

import io
import re
import secrets
import stat

import pytest
from werkzeug.datastructures import FileStorage

from core.models import Foundation
from core.uploads import FileType, UploadFolder, UploadRefused, read_checked

PDF_TYPE = FileType("pdf", "PDF", ("pdf",), sniffed="pdf", content_type="application/pdf")
PNG_TYPE = FileType("png", "PNG", ("png",), sniffed="png", content_type="image/png")
ALLOWED = [PDF_TYPE, PNG_TYPE]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def english(app, db):
    """Messages in English, as a request asking for it gets them."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def folder(db):
    return UploadFolder(f"test-{secrets.token_hex(4)}")


def upload(name: str | None, content: bytes = b"") -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


def refusal(file: FileStorage, max_mb: int = 1) -> str:
    with pytest.raises(UploadRefused) as refused:
        read_checked(file, ALLOWED, max_mb)
    return str(refused.value)


def test_an_acceptable_upload_comes_back_with_its_type_and_a_safe_name(english):
    content, kind, name = read_checked(upload("../../Verklaring café.PDF", PDF), ALLOWED, 1)
    assert (content, kind, name) == (PDF, PDF_TYPE, "Verklaring_cafe.PDF")


def test_a_name_of_only_non_latin_letters_keeps_its_extension(english):
    assert read_checked(upload("диплом.pdf", PDF), ALLOWED, 1)[2] == "file.pdf"


def test_no_file_is_refused(english):
    assert refusal(upload(None)) == "Choose a file."
    assert refusal(upload("")) == "Choose a file."


@pytest.mark.parametrize("name", ["setup.exe", "certificate", "scan.pdf.exe"])
def test_a_type_not_allowed_is_refused_naming_the_allowed_ones(english, name):
    assert refusal(upload(name, b"MZ\x90\x00")) == "This type of file is not accepted here. Allowed: PDF, PNG."


def test_a_file_over_the_limit_is_refused(english):
    assert refusal(upload("big.pdf", PDF + b"0" * (1024 * 1024)), max_mb=1) == "The file is larger than 1 MB."
    assert read_checked(upload("fits.pdf", PDF + b"0" * (1024 * 1024 - len(PDF))), ALLOWED, 1)[1] == PDF_TYPE


def test_an_empty_file_is_refused(english):
    assert refusal(upload("empty.pdf", b"")) == "The file is empty."


@pytest.mark.parametrize("name, content", [("scan.pdf", PNG), ("photo.png", b"plain text, not an image")])
def test_content_that_is_not_what_the_extension_says_is_refused(english, name, content):
    extension = name.rsplit(".", 1)[1]
    assert refusal(upload(name, content)) == f"The content of the file does not match its extension .{extension}."


def test_a_stored_file_gets_a_random_name_and_only_the_server_may_read_it(db, folder):
    first, second = folder.store(PDF), folder.store(PDF)
    db.session.commit()
    assert first != second and all(re.fullmatch(r"[0-9a-f]{48}", name) for name in (first, second))
    assert folder.path(first).read_bytes() == PDF
    assert stat.S_IMODE(folder.path(first).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.directory().stat().st_mode) == 0o700


def test_a_file_leaves_the_disk_with_the_commit_that_deletes_its_row(db, make, folder):
    row, stored = make.foundation(), folder.store(PDF)
    db.session.commit()
    db.session.delete(row)
    folder.delete_after_commit([stored, None])  # None: a row without a file
    db.session.rollback()
    assert folder.path(stored).exists()  # the row is still there, so is its file
    db.session.commit()
    assert folder.path(stored).exists()  # the rolled-back deletion is forgotten
    db.session.delete(db.session.get(Foundation, row.id))
    folder.delete_after_commit([stored])
    db.session.commit()
    assert not folder.path(stored).exists()


def test_a_file_written_by_a_transaction_that_rolls_back_is_discarded(db, make, folder):
    make.foundation()
    stored = folder.store(PDF)
    db.session.rollback()
    assert not folder.path(stored).exists()


def test_a_file_written_by_a_session_closed_without_commit_is_discarded(db, make, folder):
    make.foundation()
    stored = folder.store(PDF)
    db.session.close()
    assert not folder.path(stored).exists()


def test_a_savepoint_does_not_end_the_transaction_for_files(db, make, folder):
    row, kept = make.foundation(), folder.store(PDF)
    db.session.commit()
    stored = folder.store(PNG)
    db.session.delete(row)
    folder.delete_after_commit([kept])
    with pytest.raises(RuntimeError), db.session.begin_nested():
        raise RuntimeError("the savepoint rolls back")
    with db.session.begin_nested():
        pass
    assert folder.path(stored).exists() and folder.path(kept).exists()
    db.session.commit()
    assert folder.path(stored).exists() and not folder.path(kept).exists()


def test_a_deletion_touches_only_its_own_folder(db, make, folder):
    other = UploadFolder(f"{folder.name}-other")
    row, stored = make.foundation(), folder.store(PDF)
    db.session.commit()
    other.path(stored).write_bytes(PNG)  # the same name in another plugin's folder
    db.session.delete(row)
    folder.delete_after_commit([stored])
    db.session.commit()
    assert not folder.path(stored).exists() and other.path(stored).read_bytes() == PNG
