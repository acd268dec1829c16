"""Small-group suppression with complementary suppression: which teams of a division (and whether
the division total) may be shown. Pure; no database.

The rule: a team is shown only with at least ``threshold`` check-ins. When the division total is
shown, the hidden teams together equal "total minus the shown teams", so that remainder must not
single out a team: it must hold at least two teams and at least ``threshold`` check-ins. When it
does not, the next-smallest shown team is hidden too, until it does. A total that cannot be made
safe that way (fewer than ``threshold`` check-ins in the whole division) is not shown.

Every number a team contributes (its check-ins and each answer counter) is shown or hidden
together, so what holds for check-in counts holds for the answers.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
MIN_THRESHOLD = 5


@dataclass(frozen=True)
class Publication(Generic[K]):
    shown: frozenset
    suppressed: frozenset
    total_shown: bool


def publish(counts: Mapping[K, int], threshold: int) -> Publication[K]:
    """Decide what of a division may be shown; ``counts`` maps each team to its check-ins.

    Team keys must be sortable among themselves (they break ties between equal counts)."""
    if threshold < 1:
        raise ValueError("threshold must be positive")
    suppressed = {key for key, n in counts.items() if n < threshold}
    candidates = sorted((key for key in counts if key not in suppressed), key=lambda key: (counts[key], key))
    while suppressed and not _safe_remainder(counts, suppressed, threshold) and candidates:
        suppressed.add(candidates.pop(0))
    total = sum(counts.values())
    total_shown = total >= threshold and (not suppressed or _safe_remainder(counts, suppressed, threshold))
    return Publication(
        shown=frozenset(counts) - frozenset(suppressed), suppressed=frozenset(suppressed), total_shown=total_shown
    )


def _safe_remainder(counts: Mapping, suppressed: set, threshold: int) -> bool:
    return len(suppressed) >= 2 and sum(counts[key] for key in suppressed) >= threshold
