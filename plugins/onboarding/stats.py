"""Figures per template for HR: journeys started and completed, median days to complete, how
often each task ran late, and the newcomers' feedback (only from ``MIN_ANSWERS`` answers up)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from sqlalchemy import and_, case, func, or_, select

from core.api import db
from plugins.onboarding.feedback import MIN_ANSWERS, QUESTIONS
from plugins.onboarding.models import (
    OnboardingFeedback,
    OnboardingJourney,
    OnboardingJourneyTask,
    OnboardingTemplate,
    OnboardingTemplateTask,
)


@dataclass
class TaskFigures:
    title: str
    counted: int  # tasks due by now or done
    late: int

    @property
    def overdue_rate(self) -> int:
        return round(100 * self.late / self.counted) if self.counted else 0


@dataclass
class FeedbackFigures:
    checkpoint: int
    answers: int
    averages: dict[str, float] | None  # None below MIN_ANSWERS


@dataclass
class TemplateFigures:
    template: OnboardingTemplate
    started: int = 0
    completed: int = 0
    median_days: float | None = None
    tasks: list[TaskFigures] = field(default_factory=list)
    feedback: list[FeedbackFigures] = field(default_factory=list)


def template_figures(foundation_id: int, today: date) -> list[TemplateFigures]:
    templates = db.session.scalars(
        select(OnboardingTemplate)
        .where(OnboardingTemplate.foundation_id == foundation_id)
        .order_by(OnboardingTemplate.kind, OnboardingTemplate.name)
    ).all()
    result = {t.id: TemplateFigures(t) for t in templates}
    _journeys(foundation_id, result)
    _tasks(foundation_id, today, result)
    _feedback(foundation_id, result)
    return list(result.values())


def _journeys(foundation_id: int, result: dict[int, TemplateFigures]) -> None:
    journey = OnboardingJourney
    counts = db.session.execute(
        select(journey.template_id, func.count(), func.sum(case((journey.status == "completed", 1), else_=0)))
        .where(journey.foundation_id == foundation_id, journey.template_id.is_not(None))
        .group_by(journey.template_id)
    )
    for template_id, started, completed in counts:
        if template_id in result:
            result[template_id].started, result[template_id].completed = started, int(completed or 0)
    durations: dict[int, list[int]] = {}
    rows = db.session.execute(
        select(journey.template_id, journey.start_date, journey.completed_at).where(
            journey.foundation_id == foundation_id, journey.status == "completed", journey.template_id.is_not(None)
        )
    )
    for template_id, start, completed_at in rows:
        durations.setdefault(template_id, []).append(max((completed_at.date() - start).days, 0))
    for template_id, days in durations.items():
        if template_id in result:
            result[template_id].median_days = median(days)


def _tasks(foundation_id: int, today: date, result: dict[int, TemplateFigures]) -> None:
    task = OnboardingJourneyTask
    late = or_(
        and_(task.status == "open", task.due_date < today),
        and_(task.status == "done", func.date(task.done_at) > func.date(task.due_date)),
    )
    counted = or_(task.status == "done", and_(task.status == "open", task.due_date < today))
    rows = db.session.execute(
        select(
            OnboardingTemplateTask.template_id,
            OnboardingTemplateTask.title,
            func.sum(case((counted, 1), else_=0)),
            func.sum(case((late, 1), else_=0)),
        )
        .join(OnboardingTemplateTask, OnboardingTemplateTask.id == task.template_task_id)
        .where(task.foundation_id == foundation_id)
        .group_by(
            OnboardingTemplateTask.template_id,
            OnboardingTemplateTask.id,
            OnboardingTemplateTask.title,
            OnboardingTemplateTask.position,
        )
        .order_by(OnboardingTemplateTask.template_id, OnboardingTemplateTask.position)
    )
    for template_id, title, n_counted, n_late in rows:
        if template_id in result:
            result[template_id].tasks.append(TaskFigures(title, int(n_counted or 0), int(n_late or 0)))


def _feedback(foundation_id: int, result: dict[int, TemplateFigures]) -> None:
    fb = OnboardingFeedback
    rows = db.session.execute(
        select(fb.template_id, fb.checkpoint, func.count(), *(func.avg(getattr(fb, q)) for q in QUESTIONS))
        .where(fb.foundation_id == foundation_id, fb.template_id.is_not(None))
        .group_by(fb.template_id, fb.checkpoint)
        .order_by(fb.template_id, fb.checkpoint)
    )
    for template_id, checkpoint, answers, *averages in rows:
        if template_id not in result:
            continue
        shown = None
        if answers >= MIN_ANSWERS:
            shown = {q: round(float(a), 1) for q, a in zip(QUESTIONS, averages, strict=True)}
        result[template_id].feedback.append(FeedbackFigures(checkpoint, answers, shown))
