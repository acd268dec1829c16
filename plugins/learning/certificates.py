"""The generated PDF certificate (fpdf2): name, course, dates, and the code and address of the
public verification page."""
from __future__ import annotations

import unicodedata

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from fpdf import FPDF

from plugins.learning.models import TrainingRecord


def _latin1(text: str) -> str:
    """The PDF core fonts cover Latin-1: keep accented letters, strip other marks (ş -> s)."""
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        return plain.encode("latin-1", "replace").decode("latin-1")


def verification_url(code: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/learning/verify/{code}"


def certificate_pdf(record: TrainingRecord, foundation_name: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_latin1(_("Certificate")))
    pdf.set_author("Journey")
    pdf.add_page()
    pdf.set_draw_color(40, 90, 140)
    pdf.set_line_width(1.5)
    pdf.rect(10, 10, 277, 190)

    def line(text: str, size: int, style: str = "", gap: float = 4) -> None:
        pdf.set_font("helvetica", style, size)
        pdf.multi_cell(0, size * 0.55, _latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    pdf.set_y(35)
    line(_("Certificate"), 32, "B", 10)
    line(_("This certifies that"), 14)
    line(record.person.full_name, 24, "B", 6)
    line(_("completed the course"), 14)
    line(record.course.title, 20, "B", 8)
    line(_("Completed on %(date)s", date=format_date(record.completed_on, "long")), 13, gap=2)
    if record.expires_on:
        line(_("Valid until %(date)s", date=format_date(record.expires_on, "long")), 13, gap=2)
    else:
        line(_("Does not expire"), 13, gap=2)
    line(foundation_name, 12, "I", 12)
    line(_("Verification code: %(code)s", code=record.verification_code), 11, gap=1)
    line(verification_url(record.verification_code), 10)
    return bytes(pdf.output())
