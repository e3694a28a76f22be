"""Column names of the canonical record frame, and frame validation.

Every stage passes one DataFrame with these columns; a stage only adds its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from voc.errors import SchemaError

# Record fields (DESIGN.md "Records").
ID = "id"
KIND = "kind"
CHANNEL = "channel"
PRODUCT = "product"
CREATED_AT = "created_at"
RATING = "rating"
NPS_SCORE = "nps_score"
TEXT = "text"
SOURCE_FILE = "source_file"
SOURCE_ROW = "source_row"

RECORD_COLUMNS = [ID, KIND, CHANNEL, PRODUCT, CREATED_AT, RATING, NPS_SCORE, TEXT, SOURCE_FILE, SOURCE_ROW]

# Analysis fields (added by `voc analyze`).
SENTIMENT = "sentiment"
SCORE = "score"
TOPICS = "topics"  # list of dicts {id, polarity, evidence}
SAFETY = "safety"
TOKENS = "tokens"

SENTIMENT_LABELS = ("positive", "neutral", "negative")
KINDS = ("review", "ticket")


def validate_frame(df: pd.DataFrame, required: Iterable[str]) -> pd.DataFrame:
    """Raise SchemaError naming the first missing column; return df unchanged."""
    for col in required:
        if col not in df.columns:
            raise SchemaError(f"missing column '{col}'")
    return df
