from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import db


class Foundation(db.Model):
    """A legal foundation ("stichting"): the tenant."""

    __tablename__ = "foundation"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<Foundation {self.slug}>"
