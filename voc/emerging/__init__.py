"""Emerging issues: cluster complaints, keep issue identities stable, detect bursts.

Public API (used by `voc emerging` and `voc report`)::

    from voc.emerging import detect_emerging
    result = detect_emerging(store, period, lexicon_dir=None, min_count=5, baseline_weeks=8)
    result.alarms        # Issues that are new or bursting, most important first
    result.clusters      # every issue cluster of the period
    result.topic_bursts  # topic x product series tests
    result.candidates    # clusters no taxonomy topic covers: candidate new topics
    result.to_json()     # DESIGN.md `emerging` object
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["STATUSES", "Candidate", "EmergingResult", "Issue", "Share", "detect_emerging"]

if TYPE_CHECKING:
    from voc.emerging.detect import detect_emerging
    from voc.emerging.result import STATUSES, Candidate, EmergingResult, Issue, Share


def __getattr__(name: str):
    # Imported on first use: `voc analyze` reads voc.emerging.data.is_complaint, and the
    # detector's statistics (scipy) would add a third of a second to its start.
    if name == "detect_emerging":
        from voc.emerging.detect import detect_emerging

        return detect_emerging
    if name in __all__:
        from voc.emerging import result

        return getattr(result, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
