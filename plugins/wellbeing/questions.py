"""The questions a campaign can ask: about work, never about symptoms. All use one 1–5 scale on
which a higher value is better, so averages read the same way for every question."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

SCALE = (1, 2, 3, 4, 5)
COMMENT_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    short: str  # a column heading
    labels: tuple  # one label per value of SCALE
    # Conversation starters for the team, by how the result came out.
    starters_low: str
    starters_high: str


# An extent scale for statements. (Not "agree": that word means consent in other plugins' texts,
# and all plugins share one catalogue.)
EXTENT = (_l("Not at all"), _l("A little"), _l("Somewhat"), _l("Mostly"), _l("Completely"))

QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        Question(
            "go_home",
            _l("With what feeling do you go home today?"),
            _l("Going home"),
            (_l("Very unpleasant"), _l("Unpleasant"), _l("Neutral"), _l("Pleasant"), _l("Very pleasant")),
            _l("What made going home feel heavy lately, and what could we change together?"),
            _l("What helped us go home with a good feeling, and how do we keep it?"),
        ),
        Question(
            "workload",
            _l("My workload was manageable."),
            _l("Workload"),
            EXTENT,
            _l("Which tasks weigh most this period? What could we stop, share or postpone?"),
            _l("What keeps our workload manageable, and what could put it at risk?"),
        ),
        Question(
            "energy",
            _l("I had energy for my work."),
            _l("Energy"),
            EXTENT,
            _l("What costs us energy in our work, and what gives energy back?"),
            _l("Where does our energy come from, and how do we protect it?"),
        ),
        Question(
            "support",
            _l("I felt supported by my team."),
            _l("Team support"),
            EXTENT,
            _l("When did you last ask a colleague for help? What makes it hard to ask?"),
            _l("How do we support each other, and who might still be missing out?"),
        ),
    )
}
DEFAULT_QUESTIONS = tuple(QUESTIONS)
LOW_BAND = 3.0  # an average below this gets the "low" conversation starter


def starter(question_key: str, average: float) -> str:
    question = QUESTIONS[question_key]
    return question.starters_low if average < LOW_BAND else question.starters_high


def known(keys) -> list[str]:
    """The catalogue keys among ``keys``, in catalogue order (unknown keys are dropped)."""
    wanted = set(keys or ())
    return [key for key in QUESTIONS if key in wanted]
