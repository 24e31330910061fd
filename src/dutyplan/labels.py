"""Words the outputs use, in Chinese and English, chosen by the department's locale."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "staff": {"zh": "员工", "en": "Staff"},
    "name": {"zh": "姓名", "en": "Name"},
    "date": {"zh": "日期", "en": "Date"},
    "shift": {"zh": "班次", "en": "Shift"},
    "shifts": {"zh": "班次数", "en": "Shifts"},
    "nights": {"zh": "夜班", "en": "Nights"},
    "rest_day_shifts": {"zh": "休息日班", "en": "Rest-day shifts"},
    "holiday_shifts": {"zh": "法定节假日班", "en": "Holiday shifts"},
    "hours": {"zh": "工时", "en": "Hours"},
    "overtime": {"zh": "加班工时", "en": "Overtime h"},
    "off": {"zh": "休", "en": "off"},
    "coverage": {"zh": "在岗人数", "en": "Coverage"},
    "total": {"zh": "合计", "en": "Total"},
    "roster": {"zh": "排班表", "en": "Roster"},
    "revision": {"zh": "版本", "en": "Revision"},
    "generated": {"zh": "生成时间", "en": "Generated"},
    "status": {"zh": "求解状态", "en": "Solver status"},
    "objective": {"zh": "罚分", "en": "Penalty"},
    "workday": {"zh": "工作日", "en": "Workday"},
    "weekend": {"zh": "周末", "en": "Weekend"},
    "holiday": {"zh": "法定节假日", "en": "Statutory holiday"},
    "holiday_break": {"zh": "节假日调休", "en": "Holiday break"},
    "adjusted_workday": {"zh": "调休上班", "en": "Adjusted workday"},
    "rule": {"zh": "规则", "en": "Rule"},
    "violations": {"zh": "违规", "en": "Violations"},
    "legend": {"zh": "图例", "en": "Legend"},
    "duty": {"zh": "值班", "en": "Duty"},
}

WEEKDAY_SHORT = {
    "zh": ["一", "二", "三", "四", "五", "六", "日"],
    "en": ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
}


def label(key: str, locale: str) -> str:
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(locale) or entry["en"]
