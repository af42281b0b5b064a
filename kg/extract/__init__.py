"""Extract: one `model.Article` in, its `model.Extraction` out (triples with their evidence, and attributes).

`rules.extract(article)` segments each sentence, finds its mentions, resolves them to
entities and runs the rules; only lexicons and patterns decide, never names from articles.
"""
