"""Extract: one `model.Article` in, its `model.Extraction` out (triples with their evidence, and attributes).

One way through: `article.find_mentions` runs the NER (`ner.py`) over the sentences that need it,
segments every sentence (`segment.py`) and finds its mentions (`mentions.py`); `rules.context_of`
resolves them into the article's context (`resolve.py`); `rules.extract` runs the rules over both.
Only lexicons, patterns and the trained NER decide, never names from articles.
"""
