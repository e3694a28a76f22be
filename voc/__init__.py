"""voc: Voice-of-Customer analytics for Chinese customer feedback."""

__version__ = "0.1.0"

__all__ = ["__version__"]
