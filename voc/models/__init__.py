"""Models: sentiment classification (and, from other modules, topic tagging)."""
