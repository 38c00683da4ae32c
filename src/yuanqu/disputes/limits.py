"""The shipped time limits per kind. A data migration loads them; the administrator edits them in the
admin site (services.limit_save). Petitions: the 信访工作条例 (2022) in calendar days (domain.md §4.2:
sources disagree whether holidays count; the administration decides, so the day type is data).
Mediation: the law sets no day counts; 调结 within 30 days (人民调解工作若干规定's 一个月) and a 回访
within 30 days are the defaults until the zone sets its own."""

DEFAULTS = {
    "petition": {"day_type": "calendar", "acceptance_days": 15, "handling_days": 60, "extension_days": 30,
                 "appeal_days": 30, "review_days": 30, "rereview_days": 30, "followup_days": 30, "warn_days": 5},
    "mediation": {"day_type": "calendar", "acceptance_days": 3, "handling_days": 30, "extension_days": 15,
                  "appeal_days": 30, "review_days": 30, "rereview_days": 30, "followup_days": 30, "warn_days": 3},
}


def load(get_model) -> None:
    limit = get_model("disputes", "TimeLimit")
    for kind, values in DEFAULTS.items():
        limit.objects.get_or_create(kind=kind, defaults=values)
