"""A partner's profile fields: the same for both partners, so neither is 'primary'."""

from __future__ import annotations

from typing import Any

from core.validation import EMAIL, NAME_MAX_CHARS, PHONE, SHORT_TEXT_MAX_CHARS, Form

CAREER_STAGES = (
    "Studying or training",
    "Early career",
    "Mid career",
    "Senior or leadership",
    "Changing direction",
    "Paused or caregiving",
    "Between jobs",
    "Winding down or retired",
)

INDUSTRIES = (
    "Academia and research",
    "Arts, media and design",
    "Business and consulting",
    "Education",
    "Finance",
    "Government and public policy",
    "Health and medicine",
    "Hospitality and retail",
    "Law",
    "Manufacturing and engineering",
    "Non-profit",
    "Science",
    "Technology",
    "Trades and construction",
    "Transport and logistics",
    "Other",
)

# A full-time job plus a second one rarely passes ~100 h; 168 is every hour of the week.
MAX_WEEKLY_HOURS = 168

FIELDS = (
    "name",
    "pronouns",
    "occupation",
    "industry",
    "career_stage",
    "weekly_hours",
    "country",
    "city",
    "languages",
    "email",
    "phone",
)


def clean_partner(raw: dict[str, Any], prefix: str) -> Form:
    """Check one partner's fields; errors are keyed '<prefix>.<field>'."""
    src = {f"{prefix}.{k}": v for k, v in raw.items()}
    form = Form(src)
    form.text(f"{prefix}.name", "Name", NAME_MAX_CHARS, required=True)
    form.text(f"{prefix}.pronouns", "Pronouns", 40)
    form.text(f"{prefix}.occupation", "Occupation", SHORT_TEXT_MAX_CHARS)
    form.choice(f"{prefix}.industry", "Industry", INDUSTRIES)
    form.choice(f"{prefix}.career_stage", "Career stage", CAREER_STAGES)
    form.integer(f"{prefix}.weekly_hours", "Weekly work hours", 0, MAX_WEEKLY_HOURS)
    form.text(f"{prefix}.country", "Country", 80)
    form.text(f"{prefix}.city", "City", 80)
    form.text(f"{prefix}.languages", "Languages", SHORT_TEXT_MAX_CHARS)
    form.pattern(f"{prefix}.email", "E-mail", EMAIL, "sam@example.org")
    form.pattern(f"{prefix}.phone", "Phone", PHONE, "+44 20 7946 0000")
    return form


def strip_prefix(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    """`{'a.name': x}` -> `{'name': x}` for the fields of one prefix."""
    cut = len(prefix) + 1
    return {k[cut:]: v for k, v in values.items() if k.startswith(prefix + ".")}
