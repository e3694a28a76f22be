"""Findings: the one engine that turns a period's counts into routed, followed findings.

* :mod:`voc.findings.series`: the period's count series and the one burst test they
  all get (one growth figure, one q-value per series);
* :mod:`voc.findings.select`: which series become findings;
* :mod:`voc.findings.routing`: who owns a finding (``owners.tsv``) and its priority rule;
* :mod:`voc.findings.loop`: one status per finding and period across weeks, the
  evidence a resolution needs, and people's decisions (close with a note, reopen);
* :mod:`voc.findings.model`: the :class:`~voc.findings.model.Finding` every output shows.
"""
