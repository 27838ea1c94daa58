"""Who may sign and what a consent must say: age of majority and the completeness of terms.

Anchors: NY Fashion Workers Act (scope, purpose, rate of pay, duration), California AB 2602
(Labor Code s. 927: a reasonably specific description of intended uses), NO FAKES Act (licence term
at most 10 years, 5 for a minor).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from likeness.rules.facts import ConsentFacts, PersonFacts

AGE_OF_MAJORITY = 18
TERM_CAP_YEARS = 10  # NO FAKES Act: licence term of an adult
MINOR_TERM_CAP_YEARS = 5  # NO FAKES Act: licence term of a minor


def add_years(moment: datetime, years: int) -> datetime:
    """The same wall-clock instant ``years`` calendar years later; 29 February falls back to the 28th."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def _utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date() if moment.tzinfo is not None else moment.date()


def is_minor_at(person: PersonFacts, moment: datetime) -> bool:
    """Whether the person was under 18 at ``moment`` (UTC day); an unknown birth date counts as adult.

    Someone born on 29 February comes of age on 1 March in a common year: the protective reading.
    """
    if person.birth_date is None:
        return False
    day = _utc_day(moment)
    born = person.birth_date
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return age < AGE_OF_MAJORITY


def term_cap_years(consent: ConsentFacts, person: PersonFacts) -> int:
    """The longest term the consent may run: 5 years if she was a minor at signing, else 10."""
    return MINOR_TERM_CAP_YEARS if is_minor_at(person, consent.signed_at) else TERM_CAP_YEARS


def terms_problems(consent: ConsentFacts, person: PersonFacts) -> tuple[str, ...]:
    """What is missing or excessive in the consent's terms, in plain words (empty when complete)."""
    problems: list[str] = []
    if consent.description is None or not consent.description.strip():
        problems.append("no description of the intended uses")
    if consent.valid_until is None:
        problems.append("no end date")
    if consent.compensation is None:
        problems.append("no compensation terms")
    if consent.valid_until is not None:
        cap = term_cap_years(consent, person)
        if consent.valid_until > add_years(consent.valid_from, cap):
            who = "a minor" if cap == MINOR_TERM_CAP_YEARS else "an adult"
            problems.append(f"a term longer than the {cap}-year cap for {who}")
    return tuple(problems)
