"""Generic lexicons and the gazetteer (data files, read with importlib.resources)."""
