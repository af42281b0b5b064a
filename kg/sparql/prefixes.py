"""The prefixes every query may use without declaring them, and IRIs written back in a form that parses.

`DECLARED` are the project's namespaces (kg/graph/rdf.py binds the same in TriG) and one prefix
per kind of entity (`person:曹慧泉` is `<https://w3id.org/civic-kg/id/person/曹慧泉>`), the
prefixes Turtle answers are written with. A query's own PREFIX lines override them.
"""
from __future__ import annotations

import re

CID = "https://w3id.org/civic-kg/id/"
NAMESPACES = {
    "civ": "https://w3id.org/civic-kg/ontology#",
    "cid": CID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
}
KINDS = {("organization" if kind == "org" else kind): f"{CID}{kind}/"  # `org:` is the W3C ORG ontology
         for kind in ("person", "org", "place", "event", "agreement", "post", "article", "evidence")}
DECLARED = NAMESPACES | KINDS

# what cannot hold a prefixed name: strings, IRIs, comments
SKIP = re.compile("|".join((
    r"'''.*?'''", r'""".*?"""', r"'(?:[^'\\\n]|\\.)*'", r'"(?:[^"\\\n]|\\.)*"',
    r'<[^<>"{}|^`\\\x00-\x20]*>', r"#[^\n]*")), re.S)
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
         "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS = _BASE + "_\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PNAME_NS = re.compile(rf"(?<![\w?$:.\-\\])((?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?):")
_DECLARE = re.compile(rf"\bPREFIX\s+((?:[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?)?):", re.I)
_LOCAL_START = re.compile(rf"[{_BASE}_:0-9]|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?#@%]")
_LOCAL_ON = re.compile(rf"[{_CHARS}.:]|%[0-9A-Fa-f]{{2}}|\\[-_~.!$&'()*+,;=/?#@%]")
_ESCAPABLE = "_~.-!$&'()*+,;=/?#@%"


def undeclared(text: str) -> list[tuple[str, int]]:
    """Prefixes `text` uses that it does not declare and DECLARED does not hold, with their offsets.

    >>> undeclared('SELECT * WHERE { ?s civ:x "a:b" ; foo:y <urn:z> . }')
    [('foo', 34)]
    >>> undeclared("PREFIX foo: <urn:f#> SELECT * WHERE { ?s foo:y _:b }")
    []
    """
    bare = SKIP.sub(lambda m: " " * len(m.group(0)), text)
    declared = {m.group(1) for m in _DECLARE.finditer(bare)}
    out: list[tuple[str, int]] = []
    for m in _PNAME_NS.finditer(bare):
        name = m.group(1)
        if name not in declared and name not in DECLARED and name not in (n for n, _ in out):
            out.append((name, m.start(1)))
    return out


def local_name(local: str) -> str | None:
    """`local` as the local part of a SPARQL/Turtle prefixed name (escaped where needed), or None.

    >>> local_name("曹慧泉"), local_name("zhuzhou-daily-01"), local_name(".x~"), local_name("a|b")
    ('曹慧泉', 'zhuzhou-daily-01', '\\\\.x\\\\~', None)
    """
    out: list[str] = []
    i = 0
    while i < len(local):
        ch = local[i]
        piece = local[i:i + 3] if ch == "%" else ch
        pattern = _LOCAL_START if not out else _LOCAL_ON
        if pattern.fullmatch(piece) and not (ch == "." and i == len(local) - 1):
            out.append(piece)
        elif ch in _ESCAPABLE:
            out.append("\\" + ch)
        else:
            return None
        i += len(piece)
    return "".join(out)


def shorten(iri: str) -> str:
    """An IRI as a prefixed name of DECLARED when one fits (the longest namespace), else `<iri>`.

    >>> shorten("https://w3id.org/civic-kg/id/person/曹慧泉")
    'person:曹慧泉'
    >>> shorten("https://w3id.org/civic-kg/id/event/%E6%B9%98%7C")
    'event:%E6%B9%98%7C'
    >>> shorten("urn:x:a b")
    '<urn:x:a b>'
    """
    for prefix, ns in sorted(DECLARED.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns):
            local = local_name(iri[len(ns):])
            if local is not None:
                return f"{prefix}:{local}"
    return f"<{iri}>"
