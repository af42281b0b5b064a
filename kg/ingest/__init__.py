"""Ingest: raw newspaper pages in (Markdown with front matter, in any Chinese encoding), `model.Article`s out.

`reader.parse(reader.decode(data))` gives each article's metadata, bylines and sentences with
offsets into the raw text; `convert` writes such pages from JSONL article dumps.
"""
