"""Metric stage: the words that say what a figure measures, as canonical names.

One compiled regex does the work in a single pass over the text. It is assembled
from the word lists in ``lexicons/metrics.tsv`` (metric and change words) and
``lexicons/metric_modifiers.tsv`` (words kept inside a metric's span), each list
turned into a trie-shaped alternation so the longest word always wins
(营业收入 over 收入, 月活跃用户 over 用户).

A mention is one of:
- a metric word with its modifiers: ``[prefixes] base [suffix] [[period] [adverb] change]``
  e.g. 30 天留存率, 累计亏损, 营收同比增长, 股价大跌, 门店数量, 利润率目标;
- a change on its own: ``[period] [adverb] change`` e.g. 同比增长, 环比下降, 增速;
- a share: ``占 ... base`` e.g. 占总收入, 占去年总销量, or 占 right before a number.

Composite names follow one scheme: ``<modifier>_<base>`` for prefixes
(cumulative_net_loss, average_price), ``<base>_<period>_<change>`` for changes
(revenue_yoy_growth, net_profit_yoy_decline, yoy_growth), ``<base>_share`` and
``<base>_target`` for suffixes, ``share_of_<base>`` for 占 phrases. A base word may
override its change name (股价 + 涨 -> stock_price_change).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.mentions import MetricMention
from pipeline.text import normalise

LEXICON_DIR = Path(__file__).parent / "lexicons"
DEFAULT_LEXICON = LEXICON_DIR / "metrics.tsv"
DEFAULT_MODIFIERS = LEXICON_DIR / "metric_modifiers.tsv"

CHANGE_KIND = "change"            # growth / decline verbs: 增长, 下降
CHANGE_RATE_KIND = "change_rate"  # their nouns: 增速, 涨幅, 增长率
CHANGE_KINDS = (CHANGE_KIND, CHANGE_RATE_KIND)
NOT_A_METRIC = "not_metric"       # 应用商店, 投资人: matched so that 店/投资 inside them are not
SHARE_SUFFIX, NET_SUFFIX = "share", "net"  # suffix name parts with their own rule

# Time windows and quarters are written with digits, so they are patterns, not words:
# 30 天留存率, 7 日留存, 24 小时销量, 第三季度营收, Q4 营收, C 轮融资.
_CN_DIGITS = "一二三四五六七八九十两"
WINDOW = (rf"(?<![\d.月])(?<!月 )(?:\d+|[{_CN_DIGITS}]+)[ ]?(?:个[ ]?)?(?:天|日|周|小时|个月)")
QUARTER = r"(?:第?[一二三四1-4][ ]?季度|(?<![A-Za-z])Q[1-4](?![0-9]))"
FUNDING_ROUND = r"(?:(?<![A-Za-z])(?:Pre-?)?[A-H][+]{0,2}[ ]?轮|天使轮|种子轮|新一轮|上一轮|本轮|首轮)"
# A change verb followed by 至/到 gives the new level (增长至 55.6%), not the change.
NOT_A_LEVEL = r"(?![ ]?[至到])"
# A change word on its own is a metric only when a figure follows (上涨 17%, 下降了近 20%);
# 增长势头, 不断下降，由 ... are prose.
BARE_CHANGE_BEFORE_NUMBER = rf"(?=[ ]?[了约近超逾达到为过将接是]{{0,3}}[ ]?[\d{_CN_DIGITS}半百千万亿])"
# 占 starts a share (占总收入, 占去年总销量的) unless it is part of 占据/占领/占用/占有.
SHARE_GAP = r"[^\s，。；、,;：:！？!?\d（）()“”\"]{0,8}?"
SHARE_TAIL = r"总数|总量|总额|总和|比重|比例"
SHARE_BEFORE_NUMBER = rf"(?=[ ]?(?:约|近|超|了|到|达)?[ ]?[\d{_CN_DIGITS}半])"
# First characters of the pattern-made prefixes (windows, quarters, rounds), and of 占.
PREFIX_PATTERN_FIRST_CHARS = "0123456789" + _CN_DIGITS + "第QABCDEFGHP天种新上本首"
PATTERN_FIRST_CHARS = PREFIX_PATTERN_FIRST_CHARS + "占"


@dataclass(frozen=True, slots=True)
class MetricWord:
    """One row of metrics.tsv."""

    expression: str
    name: str | None
    kind: str
    direction: str | None = None
    change_name: str | None = None


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """What the linker may want to know about a mention beyond its name."""

    name: str | None
    kind: str                      # money count amount ratio price duration measure change change_rate
    direction: str | None = None   # up / down for change words
    base: str | None = None        # the name of the metric word without modifiers
    period: str | None = None      # yoy / qoq / mom / ytd when a period word is present


def _read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")),
                          delimiter="\t")
        return [[cell.strip() for cell in row] for row in rows]


def _optional(cell: str | None) -> str | None:
    return None if cell in (None, "", "-") else cell


def load_metric_words(path: Path) -> dict[str, MetricWord]:
    """Metric and change words keyed by their spelling without spaces."""
    words: dict[str, MetricWord] = {}
    for row in _read_rows(path):
        row += [""] * (5 - len(row))
        word = MetricWord(row[0], _optional(row[1]), row[2], _optional(row[3]), _optional(row[4]))
        key = _key(word.expression)
        if key in words and words[key] != word:
            raise ValueError(f"{path.name}: {word.expression!r} is listed twice with different values")
        words[key] = word
    return words


@dataclass(frozen=True, slots=True)
class Modifier:
    """One row of metric_modifiers.tsv."""

    expression: str
    role: str                      # prefix period suffix adverb
    name_part: str | None


MODIFIER_ROLES = ("prefix", "period", "suffix", "adverb")


def load_modifiers(path: Path) -> list[Modifier]:
    modifiers = [Modifier(expression, role, _optional(part)) for expression, role, part in _read_rows(path)]
    unknown = {m.role for m in modifiers} - set(MODIFIER_ROLES)
    if unknown:
        raise ValueError(f"{path.name}: unknown modifier roles {sorted(unknown)}")
    return modifiers


def _key(text: str) -> str:
    return "".join(text.split())


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-+&")


def trie_pattern(words: list[str]) -> str:
    """A regex alternation that always takes the longest word; spaces are optional
    where ASCII meets Chinese (GMV同比 / GMV 同比), and ASCII words do not match
    inside longer ASCII words (MAU not in MAUI)."""
    if not words:
        return "(?!)"  # matches nothing
    trie: dict = {}
    for word in words:
        node = trie
        for char in _key(word):
            node = node.setdefault(char, {})
        node[""] = True
    return _root_pattern(trie)


# The regex engine tries the branches of an alternation one after the other. A root with
# hundreds of first characters is split into groups, each behind a character class (one
# table look-up), so a position is checked against ~2 * sqrt(n) branches, not n.
_GROUP_SIZE = 16


def _root_pattern(trie: dict) -> str:
    chars = sorted(trie)
    if len(chars) == 1 or "" in trie:     # (an empty word matches without a first character)
        return _node_pattern(trie, prev=None)
    groups = []
    for at in range(0, len(chars), _GROUP_SIZE):
        part = chars[at:at + _GROUP_SIZE]
        groups.append(f"(?={_char_class(part)})" + _node_pattern({c: trie[c] for c in part}, prev=None))
    return f"(?={_char_class(chars)})" + ("(?:" + "|".join(groups) + ")" if len(groups) > 1 else groups[0])


def _char_class(chars) -> str:
    return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]"


def _node_pattern(node: dict, prev: str | None) -> str:
    branches = []
    for char in sorted(k for k in node if k):
        start_guard = "(?<![A-Za-z0-9])" if prev is None and _is_ascii_word(char) else ""
        gap = "[ ]?" if prev is not None and _is_ascii_word(prev) != _is_ascii_word(char) else ""
        branches.append(start_guard + gap + re.escape(char) + _node_pattern(node[char], char))
    if "" in node:  # the end of a word: tried after every longer continuation
        branches.append("(?![A-Za-z0-9])" if prev is not None and _is_ascii_word(prev) else "")
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


class MetricFinder:
    """Finds metric mentions; build once, call ``find`` per text."""

    def __init__(self, lexicon_path: str | Path | None = None,
                 modifiers_path: str | Path | None = None) -> None:
        self.words = load_metric_words(Path(lexicon_path or DEFAULT_LEXICON))
        modifiers = load_modifiers(Path(modifiers_path or DEFAULT_MODIFIERS))
        # role -> spelling without spaces -> name part; role -> spellings as written
        self.modifiers = {role: {_key(m.expression): m.name_part for m in modifiers if m.role == role}
                          for role in MODIFIER_ROLES}
        self._spellings = {role: [m.expression for m in modifiers if m.role == role]
                           for role in MODIFIER_ROLES}
        self.bases = {k: w for k, w in self.words.items() if w.kind not in CHANGE_KINDS}
        self.changes = {k: w for k, w in self.words.items() if w.kind in CHANGE_KINDS}
        self._pattern = re.compile(self._build_pattern(in_context=True))
        # Mention texts are read out of context: no look at what follows them.
        self._bare_pattern = re.compile(self._build_pattern(in_context=False))
        self._change_pattern = re.compile(trie_pattern([w.expression for w in self.changes.values()]))
        self._prefix_pattern = re.compile(trie_pattern(self._spellings["prefix"]))
        self._described: dict[tuple, MetricInfo] = {}   # match groups -> their meaning
        self._kinds: dict[str, str] = {}
        for word in self.words.values():
            if word.name:
                self._kinds.setdefault(word.name, word.kind)

    # -- pattern -------------------------------------------------------------------------------
    def _build_pattern(self, in_context: bool) -> str:
        spellings = self._spellings
        not_a_level = NOT_A_LEVEL if in_context else ""
        before_number = BARE_CHANGE_BEFORE_NUMBER if in_context else ""
        base = "(?>" + trie_pattern([w.expression for w in self.bases.values()]) + ")"
        change = "(?>" + trie_pattern([w.expression for w in self.changes.values()]) + ")"
        verbs = "(?>" + trie_pattern([w.expression for w in self.changes.values()
                                      if w.kind == CHANGE_KIND and len(_key(w.expression)) > 1]) + ")"
        rates = "(?>" + trie_pattern([w.expression for w in self.changes.values()
                                      if w.kind == CHANGE_RATE_KIND]) + ")"
        prefix = "(?:" + "|".join([WINDOW, QUARTER, FUNDING_ROUND, trie_pattern(spellings["prefix"])]) + ")"
        period = trie_pattern(spellings["period"])
        suffix = "(?>" + trie_pattern(spellings["suffix"]) + ")"
        adverb = trie_pattern(spellings["adverb"])
        sp = "[ ]?"
        change_tail = (rf"(?:{sp}(?P<per>{period})?{sp}(?P<adv>(?:{adverb}{sp}){{0,3}})"
                       rf"(?P<chg>{change}){not_a_level})")
        # ``(?:(?=[first]) X+)?`` is ``X*`` that does not enter the loop where no prefix starts.
        prefix_first = _char_class(set(PREFIX_PATTERN_FIRST_CHARS) | {w[0] for w in spellings["prefix"]})
        metric = (rf"(?P<pre>(?:(?={prefix_first})(?:{prefix}{sp})+)?)(?P<base>{base})(?:{sp}(?P<suf>{suffix})(?![据字]))?{change_tail}?")
        period_change = (rf"(?P<per2>{period}){sp}(?P<adv2>(?:{adverb}{sp}){{0,3}})(?P<chg2>{change}){not_a_level}")
        bare_change = rf"(?P<chg3>{rates}{not_a_level}|{verbs}{not_a_level}{before_number})"
        share = (rf"占(?![据领用有])(?:{SHARE_GAP}(?P<sbase>{base}|{SHARE_TAIL})(?:{sp}{suffix})?"
                 rf"|{SHARE_BEFORE_NUMBER})")
        # Every branch starts with one of these characters; checking it first makes the
        # scan several times faster than trying each branch at every position.
        first_chars = {w[0] for w in self._all_spellings()} | set(PATTERN_FIRST_CHARS)
        first = _char_class(first_chars)
        branches = "|".join(f"(?:{p})" for p in (metric, period_change, bare_change, share))
        return f"(?={first})(?:{branches})"

    def _all_spellings(self) -> list[str]:
        spellings = [w.expression for w in self.words.values()]
        for role in MODIFIER_ROLES:
            spellings += self._spellings[role]
        return spellings

    # -- public API ------------------------------------------------------------------------------
    def find(self, text: str) -> list[MetricMention]:
        """Metric mentions, sorted and non-overlapping, with offsets into ``text``."""
        return [mention for mention, _ in self.find_detailed(text)]

    def find_detailed(self, text: str) -> list[tuple[MetricMention, MetricInfo]]:
        """Like ``find``, with each mention's kind, direction, base and period."""
        out = []
        described = self._described
        if len(described) > MAX_DESCRIBED:
            described.clear()
        for match in self._pattern.finditer(normalise(text)):
            # What a match means depends only on its groups: the same words come back often.
            key = match.groups()
            info = described.get(key)
            if info is None:
                info = described[key] = self._describe(match)
            if info.kind == NOT_A_METRIC:
                continue
            start, end = match.span()
            out.append((MetricMention(start, end, text[start:end], info.name), info))
        return out

    def info(self, mention: MetricMention | str) -> MetricInfo | None:
        """Kind, direction, base and period of a mention (or of a metric text)."""
        text = mention.text if isinstance(mention, MetricMention) else mention
        match = self._bare_pattern.fullmatch(normalise(text))
        info = self._describe(match) if match else None
        return None if info is None or info.kind == NOT_A_METRIC else info

    def compose(self, base: MetricMention | str, change: MetricMention | str) -> str | None:
        """The name of a metric and a change word written apart from it:
        营收 ... 同比增加 -> revenue_yoy_growth; 股价 ... 下跌 -> stock_price_change."""
        base_info, change_info = self.info(base), self.info(change)
        if base_info is None or change_info is None:
            return None
        if change_info.kind not in CHANGE_KINDS or base_info.kind in CHANGE_KINDS:
            return change_info.name or base_info.name
        override = self._change_override(base)
        if override:
            return override
        return _join(base_info.name, None, change_info.name)  # the change's name holds its period

    def direction_of(self, text: str) -> str | None:
        """``up``/``down`` from the last change word in ``text`` (同比下降 -> down), else None."""
        direction = None
        for match in self._change_pattern.finditer(normalise(text)):
            direction = self.changes[_key(match.group())].direction
        return direction

    def kind_of(self, name: str | None) -> str | None:
        """The kind of a canonical name from the lexicon (composite names: see ``info``)."""
        return self._kinds.get(name) if name else None

    def user_dictionary(self) -> list[str]:
        """Metric and change words for the segmenter (jieba words cannot hold spaces)."""
        words = {w.expression for w in self.words.values() if w.kind != NOT_A_METRIC}
        words.update(self._spellings["prefix"])
        words.update(self._spellings["period"])
        return sorted(w for w in words if " " not in w and len(w) > 1)

    # -- naming ----------------------------------------------------------------------------------
    def _describe(self, match: re.Match) -> MetricInfo:
        groups = match.groupdict()
        if groups["base"] is not None:
            return self._describe_metric(groups)
        if groups["chg2"] is not None or groups["chg3"] is not None:
            period = self.modifiers["period"].get(_key(groups["per2"] or ""))
            change = self.changes[_key(groups["chg2"] or groups["chg3"])]
            return MetricInfo(_join(None, period, change.name), change.kind, change.direction,
                              None, period)
        share_base = groups["sbase"]
        word = self.bases.get(_key(share_base)) if share_base else None
        name = f"share_of_{word.name}" if word and word.name else "share"
        return MetricInfo(name, "ratio", None, word.name if word else None)

    def _describe_metric(self, groups: dict) -> MetricInfo:
        word = self.bases[_key(groups["base"])]
        if word.kind == NOT_A_METRIC:
            return MetricInfo(None, NOT_A_METRIC)
        prefix_text, suffix_text = groups["pre"] or "", groups["suf"] or ""
        whole = self.bases.get(_key(prefix_text + groups["base"] + suffix_text))
        if whole is not None:
            name, kind, change_name = whole.name, whole.kind, whole.change_name
        else:
            name, kind = self._apply_suffix(word.name, word.kind, suffix_text)
            name = self._apply_prefixes(name, prefix_text)
            change_name = word.change_name
        if groups["chg"] is None:
            return MetricInfo(name, kind, None, word.name)
        period = self.modifiers["period"].get(_key(groups["per"] or ""))
        change = self.changes[_key(groups["chg"])]
        composite = change_name or _join(name, period, change.name)
        return MetricInfo(composite, change.kind, change.direction, name, period)

    def _apply_suffix(self, name: str | None, kind: str, suffix_text: str) -> tuple[str | None, str]:
        part = self.modifiers["suffix"].get(_key(suffix_text)) if suffix_text else None
        if part is None or name is None:
            return name, kind
        if part == NET_SUFFIX:
            return (name if name.startswith("net_") else f"net_{name}"), kind
        if part == SHARE_SUFFIX:
            return f"{name}_share", "ratio"
        return f"{name}_{part}", kind

    def _apply_prefixes(self, name: str | None, prefix_text: str) -> str | None:
        if name is None or not prefix_text:
            return name
        parts = [self.modifiers["prefix"].get(_key(m.group()))
                 for m in self._prefix_pattern.finditer(prefix_text)]
        for part in reversed(parts):  # the prefix nearest the word applies first
            if part and not name.startswith(part):
                name = f"{part}_{name}"
        return name

    def _change_override(self, base: MetricMention | str) -> str | None:
        text = base.text if isinstance(base, MetricMention) else base
        match = self._bare_pattern.fullmatch(normalise(text))
        if match is None or match.group("base") is None:
            return None
        return self.bases[_key(match.group("base"))].change_name


MAX_DESCRIBED = 20_000


def _join(base: str | None, period: str | None, change: str | None) -> str | None:
    parts = [p for p in (base, period, change) if p]
    return "_".join(parts) or None


@lru_cache(maxsize=1)
def default_finder() -> MetricFinder:
    """The finder over the packaged lexicon, built on first use."""
    return MetricFinder()


def direction_of(text: str) -> str | None:
    """``up``/``down`` of the change words in ``text`` (packaged lexicon)."""
    return default_finder().direction_of(text)
