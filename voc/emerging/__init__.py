"""Emerging issues: cluster complaints, keep issue identities stable, merge one defect's clusters.

Public API (used by `voc emerging` and `voc report`)::

    from voc.emerging import current_run, detect_emerging
    run = current_run(store, period, lexicons=lexicons)   # the period's clustering, stored
    result = detect_emerging(store, period, lexicons=lexicons, min_count=5, baseline_weeks=8)
    result.alarms        # Issues that are new or bursting, most important first
    result.clusters      # every issue cluster of the period
    result.topic_bursts  # topic x product series tests
    result.candidates    # clusters no taxonomy topic covers: candidate new topics
    result.to_json()     # DESIGN.md `emerging` object

The burst tests are those of :mod:`voc.findings.series`, shared with reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["STATUSES", "Candidate", "ClusterDescription", "EmergingResult", "EmergingRun", "Issue", "Share",
           "current_run", "detect_emerging"]

if TYPE_CHECKING:
    from voc.emerging.result import (
        STATUSES,
        Candidate,
        ClusterDescription,
        EmergingResult,
        Issue,
        Share,
    )
    from voc.emerging.run import EmergingRun, current_run, detect_emerging


def __getattr__(name: str):
    # Imported on first use: the detector's statistics (scipy, scikit-learn) are heavy.
    if name in ("detect_emerging", "current_run", "EmergingRun"):
        from voc.emerging import run

        return getattr(run, name)
    if name in __all__:
        from voc.emerging import result

        return getattr(result, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
