"""The point ledger (P-*): attendance, leave, manual events, and a tamper-evident record of their points.

Modules: :mod:`.chain` (the append-only, hash-chained file), :mod:`.points`
(grade points, point rules, the P-* defaults, ``[points]``), :mod:`.record`
(events -> entries, idempotent; escalations; reversals), :mod:`.attendance`
(clock records -> events), :mod:`.leave` (leave requests, S-LEAVE), :mod:`.report`
(the monthly report), :mod:`.commands` (the CLI).
"""
