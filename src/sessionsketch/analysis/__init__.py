"""What engines, checks and sketch readers share: the analysis between model and output.

- :mod:`.names` — folding, titles and fuzzy matching of people's names;
- :mod:`.resolve` — transcript speaker labels → programme people;
- :mod:`.attribute` — who each sentence of a finished sketch is about;
- :mod:`.support` — how well a transcript's turns support a sentence;
- :mod:`.syntax` — the dependency parser (spaCy) and what the engines read off it.
"""
