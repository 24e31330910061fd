"""Extra words the HTML, XLSX and ICS exports print, on top of :mod:`dutyplan.labels`.

Kept apart from ``labels.py`` so the exports can grow their vocabulary without
touching the words the terminal output shares; :func:`word` looks here first,
then falls back to :func:`dutyplan.labels.label`.
"""

from __future__ import annotations

from dutyplan.labels import label

WORDS: dict[str, dict[str, str]] = {
    "horizon": {"zh": "排班周期", "en": "Horizon"},
    "days": {"zh": "天", "en": "days"},
    "staff_id": {"zh": "工号", "en": "ID"},
    "shift_id": {"zh": "班次代号", "en": "Shift id"},
    "time": {"zh": "时间", "en": "Time"},
    "paid_hours": {"zh": "计薪工时", "en": "Paid hours"},
    "next_day": {"zh": "次日", "en": "next day"},
    "min_cover": {"zh": "最少人数", "en": "Minimum"},
    "below_min": {"zh": "低于最少人数", "en": "below the minimum"},
    "above_max": {"zh": "超过最多人数", "en": "above the maximum"},
    "adjusted_mark": {"zh": "班", "en": "W"},
    "day_types": {"zh": "日期类型", "en": "Day types"},
    "holidays": {"zh": "法定节假日", "en": "Statutory holidays"},
    "assignments": {"zh": "排班明细", "en": "Assignments"},
    "code": {"zh": "代码", "en": "Code"},
    "rest_day": {"zh": "休息日（周末/节假日调休）", "en": "Rest day (weekend / holiday break)"},
    "calendar_of": {"zh": "排班", "en": "roster"},
    "not_solved": {"zh": "未求解", "en": "not solved"},
    "meals": {"zh": "用餐", "en": "meal"},
    "notes": {"zh": "备注", "en": "Notes"},
    "withdrawn": {"zh": "已取消（排班变更）", "en": "Withdrawn (roster revised)"},
}


def word(key: str, locale: str) -> str:
    """The export word for ``key`` in ``locale`` (English when missing), else the shared label."""
    entry = WORDS.get(key)
    if entry is None:
        return label(key, locale)
    return entry.get(locale) or entry["en"]
