"""Reading inputs: review files, ticket transcripts, and the value parsers they share."""
