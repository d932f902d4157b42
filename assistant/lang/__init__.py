"""Language data packages (one folder per language, like spaCy's `lang/<xx>/`): word lists and tables
that describe documents in general, never one corpus."""
