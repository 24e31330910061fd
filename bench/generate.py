"""Generate a realistic department of N people for the planner benchmarks.

Scaled from the example customer-service desk: three (or four) shifts,
coverage proportional to the staff, a third of the people key holders, contract
limits, weekly rest, rest between shifts, fairness, random requests and leave
(seeded, so a size always gives the same department), an optional duty pool
and optional meal windows.

    python bench/generate.py 200 -o /tmp/dept200 [--shifts 4] [--meals] [--duty]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

import tomli_w

SHIFTS = {
    "early": ("07:00", "15:00", "11:00-13:30"),
    "middle": ("14:30", "22:30", "17:00-19:30"),
    "night": ("22:00", "07:30", "02:00-04:00"),
    "late": ("10:00", "18:00", "12:30-14:30"),
}


def department(staff: int, shifts: int = 3, meals: bool = False, duty: bool = True, seed: int = 7,
               month: str = "2027-01") -> dict[str, Any]:
    rng = random.Random(seed * 1000 + staff)
    names = list(SHIFTS)[:shifts]
    year, mon = map(int, month.split("-"))
    start = dt.date(year, mon, 1)
    # About 70% of people work on a given day (22 of 31 days); split over the shifts.
    per_day = staff * 0.62
    weights = {"early": 0.38, "middle": 0.34, "night": 0.28, "late": 0.2}
    total = sum(weights[n] for n in names)
    data: dict[str, Any] = {
        "department": {"id": f"generated-{staff}", "name": f"Generated desk ({staff})", "timezone": "Asia/Shanghai",
                       "locale": "en"},
        "shifts": {},
        "rules": {"min_rest_hours": 11, "max_consecutive_work": 6, "min_consecutive_work": 2, "weekly_rest": True,
                  "max_weekends": 4, "hours": {"mode": "soft", "weight": 20}},
        "weights": {"coverage_under": 100, "coverage_over": 30, "request": 10, "fair_nights": 20,
                    "fair_weekends": 20, "fair_holidays": 30, "fair_shifts": 5},
        "staff": [],
        "requests": [],
    }
    for name in names:
        begin, end, _window = SHIFTS[name]
        need = max(1, round(per_day * weights[name] / total))
        shift: dict[str, Any] = {
            "start": begin, "end": end, "paid_minutes": 480,
            "cover": {"workday": {"min": max(1, need - max(1, need // 5)), "preferred": need},
                      "weekend": {"min": max(1, need - max(1, need // 4)), "preferred": max(1, need - need // 8)}},
        }
        if name in ("early", "night"):
            shift["skill_cover"] = [{"skill": "key_holder", "min": max(1, need // 6)}]
        data["shifts"][name] = shift
    for i in range(1, staff + 1):
        person: dict[str, Any] = {"id": f"S{i:04d}", "name": f"Person {i}", "skills": ["frontdesk"],
                                  "min_shifts": 17, "max_shifts": 23}
        if i % 3 == 1:
            person["skills"].append("key_holder")
        if rng.random() < 0.08:
            first = start + dt.timedelta(days=rng.randrange(0, 24))
            person["leave"] = [{"start": first, "end": first + dt.timedelta(days=rng.randrange(2, 6)),
                                "type": "annual"}]
            person["min_shifts"] = 12
        if rng.random() < 0.05 and "night" in names:
            person["max_per_shift"] = {"night": 0}
        data["staff"].append(person)
    for _ in range(staff // 2):
        sid = f"S{rng.randrange(1, staff + 1):04d}"
        day = start + dt.timedelta(days=rng.randrange(0, 28))
        kind = rng.choice(["day_off", "day_off", "shift_off", "shift_on"])
        request: dict[str, Any] = {"staff": sid, "date": day, "kind": kind, "weight": rng.choice([5, 10, 20])}
        if kind != "day_off":
            request["shift"] = rng.choice(names)
        data["requests"].append(request)
    if duty:
        pool = [f"S{i:04d}" for i in range(1, min(staff, 60) + 1, 3)][: max(3, min(12, staff // 10))]
        data["duty"] = {"pool": pool, "holiday_per_day": 2, "not_after": ["night"] if "night" in names else []}
    if meals:
        data["meals"] = {name: {"windows": [SHIFTS[name][2]], "minutes": 30, "grid": 15, "min_at_post": 1,
                                "skill": "frontdesk"} for name in names}
    return data


def write(folder: Path, **kwargs: Any) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "department.toml").write_text(tomli_w.dumps(department(**kwargs)), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("staff", type=int)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--shifts", type=int, default=3, choices=(3, 4))
    parser.add_argument("--meals", action="store_true")
    parser.add_argument("--no-duty", action="store_true")
    args = parser.parse_args()
    folder = write(args.output, staff=args.staff, shifts=args.shifts, meals=args.meals, duty=not args.no_duty)
    print(folder / "department.toml")


if __name__ == "__main__":
    main()
