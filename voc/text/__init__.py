"""Text processing: normalisation, segmentation and lexicon files."""
