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

from voc.emerging.detect import detect_emerging
from voc.emerging.result import STATUSES, Candidate, EmergingResult, Issue, Share

__all__ = ["STATUSES", "Candidate", "EmergingResult", "Issue", "Share", "detect_emerging"]
