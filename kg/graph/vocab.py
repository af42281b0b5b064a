"""The civic-kg vocabulary (closed) and the one place that mints entity IRIs."""
from __future__ import annotations

import unicodedata
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

CID = Namespace("https://w3id.org/civic-kg/id/")


class CIV(DefinedNamespace):
    """Classes and properties of https://w3id.org/civic-kg/ontology# (schemas/civic.ttl)."""

    _fail = True
    _NS = Namespace("https://w3id.org/civic-kg/ontology#")

    # classes
    Person: URIRef
    Organization: URIRef
    Place: URIRef
    Event: URIRef
    Agreement: URIRef
    Post: URIRef
    Article: URIRef
    Evidence: URIRef
    # core relations
    attended: URIRef
    presided: URIRef
    inspected: URIRef
    agreementWith: URIRef
    signed: URIRef
    organizes: URIRef
    holdsPost: URIRef
    # supporting relations
    heldOn: URIRef
    heldAt: URIRef
    partOf: URIRef
    subEventOf: URIRef
    author: URIRef
    jurisdiction: URIRef
    postIn: URIRef
    # attributes
    adminCode: URIRef
    amount: URIRef
    paper: URIRef
    city: URIRef
    published: URIRef
    sourceFile: URIRef
    sourceLine: URIRef
    url: URIRef
    authorRole: URIRef
    # evidence
    evidence: URIRef
    sentence: URIRef
    charStart: URIRef
    charEnd: URIRef
    rule: URIRef
    role: URIRef
    inArticle: URIRef
    date: URIRef
    dateFrom: URIRef


RELATIONS = ("attended", "presided", "inspected", "agreementWith", "signed", "organizes", "holdsPost",
             "heldOn", "heldAt", "partOf", "subEventOf", "author")
KIND_PATH = {"Person": "person", "Organization": "org", "Place": "place", "Event": "event",
             "Agreement": "agreement", "Post": "post", "Article": "article"}


def _safe(ch: str) -> bool:
    """Characters kept as they are in an IRI path segment: letters and digits (any script)."""
    if ch.isascii():
        return ch.isalnum() or ch in "-._~"
    return unicodedata.category(ch)[0] in "LN"


def slug(text: str) -> str:
    """An IRI path segment from any text: NFKC, letters and digits kept, the rest %-encoded.

    >>> slug("市委 宣传部<x>")
    '%E5%B8%82%E5%A7%94%20%E5%AE%A3%E4%BC%A0%E9%83%A8%3Cx%3E'
    >>> slug("曹慧泉")
    '曹慧泉'
    """
    text = unicodedata.normalize("NFKC", text)
    if all(_safe(c) for c in text):
        return text
    return quote(text, safe="")


def iri(kind: str, key: str) -> URIRef:
    """The IRI of an entity of `kind` with identity `key`; the only IRI minter.

    >>> iri("Place", "430204")
    rdflib.term.URIRef('https://w3id.org/civic-kg/id/place/430204')
    """
    return CID[f"{KIND_PATH[kind]}/{slug(key)}"]
