"""Entity stage: the subjects a figure can be about, found without a trained model.

Evidence, strongest first:

1. the lexicon (``lexicons/entities.jsonl``): names and aliases, each linked to one
   canonical subject, matched in one pass with an Aho-Corasick automaton;
2. named pattern rules (``PATTERN_RULES``): Latin-led names (OpenAI, Sora2, GPT-4o),
   titles in 《》, company suffixes (X科技, X有限公司, X银行), person cues
   (创始人张一鸣, 张一鸣表示, 埃隆·马斯克), markets (中国智能手机市场, AI 视频领域);
   then ``NAME_RULES`` extend the names found over a unit written after them
   (财政部|税政司, 交通银行|杭州分行, 汇丰|中国, 东亚银行|（中国）有限公司);
3. jieba POS tags the segmenter hands over (nr, nt, nrt), as weak candidates;
4. the document: a name found once by 2. or 3. is found everywhere else it is written,
   and the short forms of a company's legal name (浙江零跑科技有限公司 -> 零跑科技, 零跑)
   link back to it.

Overlaps are settled longest-first; the output never overlaps and is sorted by offset.
Pronouns and definite references (其, 该公司, 后者) are the linker's job, never a name here.
"""
from __future__ import annotations

import bisect
import json
import operator
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import regex

from pipeline.mentions import EntityMention, Sentence

try:  # pyahocorasick: one C pass over the text for every lexicon name.
    import ahocorasick
except ImportError:  # pragma: no cover - the fallback is only slower
    ahocorasick = None

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
DEFAULT_LEXICON = LEXICON_DIR / "entities.jsonl"
LABELS = ("ORG", "PRODUCT", "PERSON", "WORK", "MARKET", "OTHER")
JIEBA_FLAG = {"ORG": "nt", "PERSON": "nr", "PRODUCT": "nz", "WORK": "nz", "MARKET": "n", "OTHER": "nz"}

# Ranks break ties between candidates of equal length: a lower rank wins.
SOURCE_RANK = {"lexicon": 0, "pattern": 1, "pos": 2, "document": 3}
_RANK_BITS = {source: rank << 32 for source, rank in SOURCE_RANK.items()}  # its place in _Candidate.order
SCORE = {"lexicon": 1.0, "pattern": 0.8, "pos": 0.5, "document": 0.7, "region": 0.4}

_HAN = regex.compile(r"\p{Han}")
_LATIN_CHAR = regex.compile(r"[A-Za-z0-9]")
_LATIN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# Searched right to left ((?r)): where a run of name-like characters stops.
_NOT_NAME_CHAR = regex.compile(r"(?r)[^\p{Han}A-Za-z0-9&·\-]")


# _ONES[n]: n ones, to mark a span taken. Bytearrays, because ``bytearray[a:b] = bytes`` first
# copies the bytes into a new bytearray; a bytearray is copied in directly.
_ONES = tuple(bytearray(b"\x01" * n) for n in range(65))  # (_resolve relies on its length)
_NO_WORD = (0, "")
_START = operator.attrgetter("start")
_ORDER = operator.attrgetter("order")
_END = operator.attrgetter("end")


class _HanMemo(dict):
    """char -> whether it is a Han character (``_HAN.match``), remembered: it is asked per character."""

    def __missing__(self, ch: str) -> bool:
        self[ch] = is_han = _HAN.match(ch) is not None
        return is_han


_IS_HAN = _HanMemo()
# Compiled with ``re``, its lookbehind written after the first letter: a pattern that opens with
# a character class is searched for that class in C, several times faster than trying every position.
_LATIN_NAME = re.compile(
    r"[A-Za-z](?<![A-Za-z0-9_.\-][A-Za-z])"  # a letter not after a Latin character, digit, _ . -
    r"[A-Za-z0-9]*(?:[\-.'&+][A-Za-z0-9]+)*\+?"
    r"(?![A-Za-z0-9_])"
)
# A model or device number written apart from its family name: Grok 3, iPhone 16 Pro, Gemini 2.5.
_VERSION_TAIL = regex.compile(
    r" ?\d{1,3}(?:\.\d{1,2})?[a-z]?(?: ?(?:Pro|Max|Ultra|Plus|Mini|mini|Flash|Turbo|Air|Lite|SE|Opus|Sonnet|Haiku))*"
    r"(?![\d.%]|\s*(?:年|月|日|号|%|万|亿|千|百|个|款|家|位|倍|元|美元|天|小时|分钟|秒|辆|台|人|次|期|季度|nm|GB|TB))"
)
_DIGIT = regex.compile(r"\d")
_TITLE = regex.compile(r"《([^《》\n]{1,40})》")
# Characters used to write foreign names (埃隆·马斯克, 阿尔贝托·罗西); a name part is made of them only.
_TRANSLIT = ("阿埃艾爱安奥巴拜班邦保贝本比彼毕波伯博布查达戴丹道德迪蒂丁杜多厄恩法菲费芬冯弗福富盖甘冈高戈格古哈海汉豪赫黑亨"
             "胡华怀霍基吉加贾杰金卡凯坎康柯科克肯库拉莱赖兰朗劳勒雷蕾里理利莉丽连林琳卢鲁路伦罗洛马玛迈麦曼梅门蒙米明莫姆穆纳"
             "娜奈南内尼妮努诺欧帕佩彭皮普奇齐恰乔琼丘萨塞桑瑟森沙尚舍施什史舒斯松苏索塔泰坦汤唐特提托图瓦万威维温沃乌西希谢辛休"
             "雅亚扬耶伊因英尤于约赞泽扎詹珍朱卓兹佐宾娅茨蒂翰逊顿姆贝蒙沃尔夫娃列托")
_FOREIGN_PERSON = regex.compile(
    f"(?<![{_TRANSLIT}])[{_TRANSLIT}]{{1,6}}(?:[·•‧・][{_TRANSLIT}]{{1,6}})+")
_MEDIA_TITLE_END = ("报", "日报", "晚报", "时报", "周刊", "周报", "杂志", "财经", "新闻", "商报", "早报", "LatePost")
# Words around a title that make it a news outlet: 《X》报道, 《X》记者, 据《X》, 刊登于《X》.
_MEDIA_CUES_AFTER = ("报道", "援引", "独家", "记者", "消息", "披露", "发文", "专访", "采访", "刊文", "刊发", "社论")
_MEDIA_CUES_BEFORE = ("援引", "刊登于", "刊登在", "刊于", "发表于", "接受", "独家")
_NOT_MEDIA_JU = ("根据", "依据", "数据", "证据", "占据")  # 根据《X法》 is a law, not a paper
# Latin names typed PRODUCT when a cue word follows them.
_PRODUCT_CUES = ("模型", "大模型", "应用", "App", "APP", "产品", "芯片", "手机", "系列", "车型", "版本", "功能", "平台",
                 "游戏", "系统", "助手", "眼镜", "耳机", "电脑", "汽车")
_ORG_CUES_BEFORE = ("公司", "机构", "基金", "厂商", "初创", "企业", "巨头", "品牌", "实验室", "团队", "集团", "银行")
_ORG_CUES_AFTER = ("公司", "集团", "创始人", "CEO", "旗下", "官方", "团队", "估值", "融资", "股价", "市值", "营收", "Inc", "Labs")


# 北京时间, 中国人, 美国队: a place name inside a longer word is no subject.
_PLACE_NOT_SUBJECT_AFTER = re.compile(r"时间|人|队|籍|式|风|菜|话|口音|方面|本土|制造")
_NOT_PLACES = {"全球", "国内", "海外", "国际", "世界", "内地", "大陆", "城市", "县域", "农村", "城镇", "一线城市",
               "下沉", "亚太", "中东", "拉美", "美洲", "港澳"}


def _literals(words: Iterable[str]) -> re.Pattern:
    """An alternation of plain words, in the order given. Compiled with ``re``, not ``regex``:
    for a long alternation of literals ``re`` is several times faster and finds the same words."""
    return re.compile("|".join(map(re.escape, words)))


def _read_words(path: Path) -> list[str]:
    words: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        words.extend(line.split())
    return words


def _read_table(path: Path) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _is_latin(text: str) -> bool:
    return bool(_LATIN_CHAR.search(text)) and not _HAN.search(text)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    name: str
    label: str
    aliases: tuple[str, ...] = ()


def load_lexicon(path: str | Path) -> tuple[dict, list[LexiconEntry]]:
    """The lexicon's ``_meta`` header (or ``{}``) and its entries, checked."""
    meta: dict = {}
    entries: list[LexiconEntry] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        if "_meta" in record:
            meta = record["_meta"]
            continue
        label = record.get("type", "OTHER")
        if label not in LABELS:
            raise ValueError(f"{path}:{number}: unknown type {label!r}")
        entries.append(LexiconEntry(record["name"], label, tuple(record.get("aliases", ()))))
    return meta, entries


class _Candidate:
    """A possible name; ``order`` is its place in ``_resolve``: longest first, then the stronger
    source, then leftmost, packed in one int so the sort compares machine words."""

    __slots__ = ("start", "end", "label", "canonical", "source", "order")

    def __init__(self, start: int, end: int, label: str, canonical: str, source: str) -> None:
        self.start = start
        self.end = end
        self.label = label
        self.canonical = canonical
        self.source = source
        self.order = ((start - end) << 34) + _RANK_BITS[source] + start  # start < 2**32

    def __repr__(self) -> str:
        return f"_Candidate({self.start}, {self.end}, {self.label!r}, {self.canonical!r}, {self.source!r})"


# A boundary character inside a word at least this common (jieba frequency) is no boundary.
_BOUND_WORD_FREQ = 1000
# Head nouns that end a description before any name (注册管理部门|虹口区教育局).
_HEAD_NOUNS = frozenset({"部门", "单位"})
_PROPER_FLAGS = frozenset({"nr", "ns", "nt", "nz", "nrt", "nrfg", "j"})
# Word classes that never sit inside an organisation's name core (verbs, adverbs, prepositions,
# pronouns, numerals, time and place-relation words): 会全面支持|东亚银行, 此后|智利政府.
_NOT_IN_CORE_FLAGS = frozenset({"v", "vd", "d", "p", "c", "r", "rr", "rz", "f", "t", "k", "y", "e", "o",
                                "u", "ud", "ug", "uj", "ul", "uv", "uz", "zg", "ad"})
_LEFTOVER_FLAGS = frozenset({"v", "q"})
_EDGE_FLAGS = frozenset({"f", "d", "p", "c", "r"})
_VERB_FLAGS = frozenset({"v", "vd", "ad"})


def _dictionary_words(min_freq: int = 1) -> dict[str, tuple[int, str]]:
    """jieba's dictionary (1-4 characters, not rare): word -> (frequency, POS flag)."""
    try:
        import jieba
    except ImportError:  # pragma: no cover
        return {}
    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    if not path.exists():  # pragma: no cover
        return {}
    words: dict[str, tuple[int, str]] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            word, freq, flag = (line.split() + ["", ""])[:3]
            if len(word) <= 4 and freq.isdigit() and int(freq) >= min_freq:
                words[word] = (int(freq), flag)
    return words


def _boundary_holders(dictionary: dict[str, tuple[int, str]]) -> frozenset[str]:
    """Common 2-3 character words that may hold a boundary character inside a name's core
    (``_inside_word``): frequent, and no verb, function word or distinguishing word (所有)."""
    return frozenset(w for w, (freq, flag) in dictionary.items()
                     if 2 <= len(w) <= 3 and freq >= _BOUND_WORD_FREQ and flag not in _NOT_IN_CORE_FLAGS and flag != "b")


def _common_words(dictionary: dict[str, tuple[int, str]], min_freq: int = 50) -> frozenset[str]:
    """Ordinary words of jieba's dictionary (贷款, 船舶): a core made of one is no company name."""
    return frozenset(w for w, (freq, flag) in dictionary.items()
                     if len(w) >= 2 and flag not in _PROPER_FLAGS and freq >= min_freq)


class _WordLists:
    """The entity word lists (``lexicons/entity_*``), loaded once per finder."""

    def __init__(self, folder: Path = LEXICON_DIR) -> None:
        suffix_rows = _read_table(folder / "entity_suffixes.tsv")
        self.suffix_kind = {row[0]: row[1] for row in suffix_rows}
        self.suffix_label = {row[0]: row[2] for row in suffix_rows}
        self.market_words = _read_words(folder / "entity_market_words.txt")
        self.person_cues = _read_words(folder / "entity_person_cues.txt")
        self.speech_verbs = _read_words(folder / "entity_speech_verbs.txt")
        surnames = _read_words(folder / "entity_surnames.txt")
        self.surnames = {s for s in surnames if len(s) == 1}
        self.compound_surnames = {s for s in surnames if len(s) == 2}
        self.regions = set(_read_words(folder / "entity_regions.txt"))
        places = sorted((r for r in self.regions if len(r) >= 2 and r not in _NOT_PLACES), key=len, reverse=True)
        self.place_pattern = _literals(places)
        self.place_heads = frozenset(p[:2] for p in places)
        self.place_words = _WordSet(places)  # place_pattern.finditer, from one automaton pass
        self.latin_stop = set(_read_words(folder / "entity_latin_stop.txt"))
        self.generic = set(_read_words(folder / "entity_generic.txt"))
        self.core_stop = set(self.market_words) | {"公司", "企业", "平台", "机构", "厂商", "品牌"}
        self.dictionary = _dictionary_words()
        self.common = _common_words(self.dictionary)
        self.boundary_holders = _boundary_holders(self.dictionary)
        self.holder_pairs = frozenset(w[i:i + 2] for w in self.boundary_holders for i in range(len(w) - 1))
        boundaries = _read_words(folder / "entity_boundaries.txt")
        self.boundary = _literals(sorted(boundaries, key=len, reverse=True))
        self.suffix_words = _WordSet(self.suffix_kind)
        self.suffix_lengths = sorted({len(w) for w in self.suffix_kind}, reverse=True)
        self.suffix_last_chars = frozenset(w[-1] for w in self.suffix_kind)  # a cheap test before the lengths
        self.suffix_order = {w: number for number, w in enumerate(self.suffix_kind)}
        self.legal_suffixes = {w for w, kind in self.suffix_kind.items() if kind == "legal"}
        self.legal_lengths = sorted({len(w) for w in self.legal_suffixes})
        self.market_words_set = _WordSet(self.market_words)
        self.unit_words = _WordSet(_read_words(folder / "entity_units.txt"))
        self.bracketed_legal = regex.compile(
            r"\s?[(（](?:" + "|".join(sorted(map(regex.escape, self.regions), key=len, reverse=True)) + r")[)）]\s?(?:"
            + "|".join(sorted((regex.escape(w) for w, k in self.suffix_kind.items() if k == "legal" and len(w) > 2),
                              key=len, reverse=True)) + ")")
        self.cue_words = _WordSet(self.person_cues)
        self.speech_words = _WordSet(self.speech_verbs)
        self.speech_tuple = tuple(self.speech_verbs)
        self.veto: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        for row in _read_table(folder / "entity_ambiguous.tsv"):
            row += ["", ""]
            self.veto[row[0]] = (tuple(w for w in row[1].split(",") if w), tuple(w for w in row[2].split(",") if w))
        self.region_prefix = _literals(sorted(self.regions, key=len, reverse=True))
        self.listed_cue_heads = _WordSet(LISTED_CUE_HEADS)
        self.name_dots = _WordSet(NAME_DOTS)


# Characters that never sit inside a Chinese given name (张楠在 -> 张楠).
_NOT_IN_NAME = set("在的了是和与也曾对等说称表将已又并就还则被把向从于为及或而但即所其该这那此着过到都很更最不没无未"
                   "认指透介坦强提回直解告接先后今去年月日时上下中内外前称兼任及")
_NAME_END = set("，。、；：！？,.;:!?（）()“”\"' 　\n") | _NOT_IN_NAME


class _Surfaces:
    """Every lexicon name and alias -> (canonical, label)."""

    def __init__(self, entries: Iterable[LexiconEntry]) -> None:
        self.by_surface: dict[str, tuple[str, str]] = {}
        for entry in entries:
            for surface in (entry.name, *entry.aliases):
                surface = surface.strip()
                if len(surface) < 2 and not _is_latin(surface):
                    continue  # one Chinese character is never a safe name
                self.by_surface.setdefault(surface, (entry.name, entry.label))
        self.latin_casefold = {s.casefold(): v for s, v in self.by_surface.items() if _is_latin(s)}
        self.lengths = sorted({len(s) for s in self.by_surface}, reverse=True)

    def matches(self, text: str) -> Iterator[tuple[int, int]]:
        """Every (start, end) of a surface, without an automaton (``_Scanner`` is the fast way)."""
        for start in range(len(text)):
            for length in self.lengths:
                if text[start:start + length] in self.by_surface:
                    yield start, start + length

    def get(self, surface: str) -> tuple[str, str] | None:
        return self.by_surface.get(surface)


def _code_units(text: str) -> str:
    """``text`` as UTF-16 bytes, one Latin-1 character each (two per BMP character)."""
    return text.encode("utf-16-be").decode("latin-1")


class _WordSet:
    """Where a fixed set of words occurs, leftmost-longest and without overlap: what ``finditer``
    of a regex alternation sorted longest first gives, from one automaton pass (the regex engine
    tries every alternative at every character)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words), key=len, reverse=True)
        self.pattern = regex.compile("|".join(map(regex.escape, self.words)))
        self.automaton = None
        if ahocorasick is not None and self.words:
            automaton = ahocorasick.Automaton()
            for word in self.words:
                automaton.add_word(_code_units(word), len(word))
            automaton.make_automaton()
            self.automaton = automaton

    def ends_at(self, text: str) -> dict[int, list[int]]:
        """start -> the ends of every word starting there, longest first."""
        return _ends_by_start(self.pairs(text))

    def longest_at(self, text: str) -> dict[int, int]:
        """start -> end of the longest word starting there."""
        return dict(self.pairs(text))  # by end: a later pair with the same start is longer

    def spans(self, text: str, longest: dict[int, int] | None = None) -> list[tuple[int, int]]:
        """The non-overlapping (start, end) of the words, left to right."""
        return _spans(self.longest_at(text) if longest is None else longest)

    def pairs(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every word, by end, then longest first (an automaton's order)."""
        units = _code_units(text) if self.automaton is not None else ""
        if units and len(units) == 2 * len(text):
            return [(((last + 1) >> 1) - length, (last + 1) >> 1)
                    for last, length in self.automaton.iter(units) if last & 1]
        found = [(start, start + len(word)) for start in range(len(text)) for word in self.words
                 if text.startswith(word, start)]
        found.sort(key=lambda pair: (pair[1], pair[0]))
        return found


def _ends_by_start(pairs: list[tuple[int, int]]) -> dict[int, list[int]]:
    """start -> every end, longest first, from (start, end) pairs listed by end."""
    found: dict[int, list[int]] = {}
    get = found.get
    for start, end in pairs:
        ends = get(start)
        if ends is None:
            found[start] = [end]
        else:
            ends.insert(0, end)
    return found


def _spans(longest: dict[int, int]) -> list[tuple[int, int]]:
    """Leftmost-longest spans without overlap, from start -> end of the longest word there."""
    spans, free = [], 0
    for start in sorted(longest):
        if start >= free:
            spans.append((start, longest[start]))
            free = longest[start]
    return spans


# The entity word lists (attributes of _WordLists) looked up in every document.
_SCANNED = ("suffix_words", "market_words_set", "cue_words", "speech_words", "unit_words", "place_words",
            "listed_cue_heads", "name_dots")
_NOT_BMP = regex.compile("[^\u0000-\uffff]")
_NEVER = "\u0100"  # above any byte: no text's code units (``_code_units``) hold it
_OWN_PATHS = 1000  # the commonest characters given a path in the automaton (_Scanner)


class _Scanner:
    """Every lexicon surface and every word of the scanned lists, found in one automaton pass
    (a pass per list cost as much as this one pass each).

    The automaton runs over UTF-16 code units read as byte pairs: pyahocorasick looks a node's
    children up one by one, and ~900 distinct first characters at the root made every character
    of the text a long scan; ~80 high bytes are a short one. Two more things keep the scans short:

    - children are added commonest first (high bytes, then characters, by ``char_weight``);
    - a character no word starts with costs a full scan of its high byte's node and then of the
      root; so every character of a word and the commonest ones get a path of their own (the
      character, then ``_NEVER``, a unit no text holds): found in a few steps, never matched."""

    def __init__(self, surface_checks: dict[str, tuple], lists: dict[str, Iterable[str]],
                 char_weight: dict[str, int]) -> None:
        self.names = tuple(lists)
        # word -> (length, its lexicon checks or None, the numbers of the lists that hold it)
        values: dict[str, tuple[int, tuple | None, tuple[int, ...]]] = {
            surface: (len(surface), checks, ()) for surface, checks in surface_checks.items()}
        for number, words in enumerate(lists.values()):
            for word in words:
                length, checks, owners = values.get(word, (len(word), None, ()))
                values[word] = (length, checks, owners + (number,))
        self.usable = ahocorasick is not None
        self.astral_words = any(_NOT_BMP.search(w) for w in values)
        if self.usable:
            def commonness(ch: str) -> tuple[int, str]:
                return -char_weight.get(ch, 0), ch
            chars = {ch for word in values for ch in word} | set(sorted(char_weight, key=commonness)[:_OWN_PATHS])
            rank = {ch: number for number, ch in enumerate(sorted(chars, key=commonness))}
            high_weight: dict[int, int] = {}
            for ch in chars:
                high_weight[ord(ch) >> 8] = high_weight.get(ord(ch) >> 8, 0) + char_weight.get(ch, 0)

            def commonest_first(word: str) -> list[int]:
                return [key for ch in word for key in (-high_weight[ord(ch) >> 8], rank[ch])]
            entries = [(commonest_first(word), _code_units(word), values[word]) for word in values]
            entries += [(commonest_first(ch), _code_units(ch) + _NEVER, None) for ch in chars]
            automaton = ahocorasick.Automaton()
            for _, units, value in sorted(entries, key=operator.itemgetter(0)):
                automaton.add_word(units, value)
            automaton.make_automaton()
            self.automaton = automaton

    def scan(self, text: str) -> tuple[list[tuple[int, int, tuple]], list[list[tuple[int, int]]]] | None:
        """(start, end, checks) of the lexicon surfaces and, per list, (start, end) of its words,
        both by end and then longest first; None when the automaton cannot be used."""
        if not self.usable:
            return None
        units = _code_units(text)
        if len(units) != 2 * len(text):
            # A character outside the BMP (two code units) would shift every offset after it;
            # when no word holds one, a one-unit stand-in finds the same words.
            if self.astral_words:
                return None
            units = _code_units(_NOT_BMP.sub("\uffff", text))
        lexicon: list[tuple[int, int, tuple]] = []
        lists: list[list[tuple[int, int]]] = [[] for _ in self.names]
        add_surface = lexicon.append
        for last, (length, checks, owners) in self.automaton.iter(units):
            if last & 1:  # a match must end on a low byte, or it straddles two characters
                end = (last + 1) >> 1
                if checks is not None:
                    add_surface((end - length, end, checks))
                if owners:
                    for number in owners:
                        lists[number].append((end - length, end))
        return lexicon, lists


class _WordSpots:
    """Where the scanned word lists occur in one text: ``spots.pairs[name]`` is (start, end) of
    every word of ``finder.words.<name>``, by end and then longest first."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: dict[str, list[tuple[int, int]]]) -> None:
        self.pairs = pairs

    def ends_at(self, name: str) -> dict[int, list[int]]:
        return _ends_by_start(self.pairs[name])

    def longest_at(self, name: str) -> dict[int, int]:
        return dict(self.pairs[name])

    def spans(self, name: str, longest: dict[int, int] | None = None) -> list[tuple[int, int]]:
        return _spans(dict(self.pairs[name]) if longest is None else longest)


# Characters common in any text that jieba's dictionary barely holds: ASCII, line breaks, punctuation.
_COMMON_NON_HAN = frozenset(map(chr, range(0x20, 0x7f))) | frozenset("\n，。、；：！？（）《》“”‘’—…·【】「」％")
_COMMON_WEIGHT = 10 ** 9  # above any character's weight from the dictionary


def _char_weights(dictionary: dict[str, tuple[int, str]]) -> dict[str, int]:
    """How common each character is: the jieba frequencies of the words holding it."""
    weight: dict[str, int] = {}
    for word, (freq, _) in dictionary.items():
        for ch in word:
            weight[ch] = weight.get(ch, 0) + freq
    weight.update(dict.fromkeys(_COMMON_NON_HAN, _COMMON_WEIGHT))
    return weight


def _latin_edges_ok(text: str, start: int, end: int) -> bool:
    """A Latin name is not a piece of a longer Latin word (RED in REDUCE)."""
    if start > 0 and (text[start - 1] in _LATIN_CHARS) and (text[start] in _LATIN_CHARS):
        return False
    if end < len(text) and text[end].isascii() and text[end].isalpha() and text[end - 1].isascii():
        return False
    if end < len(text) and text[end].isdigit() and text[end - 1].isdigit():
        return False  # 360 in 3600
    return True


def _all_outranked(kept: list[_Candidate], document: list[_Candidate]) -> bool:
    """Every document candidate overlaps a ``kept`` one at least as long (which ranks before it).
    Then ``_resolve(kept + document)`` is ``kept``: a document candidate could only win after one
    of them had taken a kept one's place, and the first to try is blocked by its own kept one.
    ``kept`` is a ``_resolve`` result: sorted by start, no overlaps, no document candidate."""
    starts = [c.start for c in kept]
    for cand in document:
        length = cand.end - cand.start
        number = bisect.bisect_right(starts, cand.start) - 1
        number = number if number > 0 else 0
        while number < len(kept) and kept[number].start < cand.end:
            other = kept[number]
            if other.end > cand.start and other.end - other.start >= length:
                break
            number += 1
        else:
            return False
    return True


class EntityFinder:
    """Finds names in one article: ``finder.find(text, sentences, pos_tokens)``."""

    def __init__(self, lexicon_path: str | Path | None = None) -> None:
        path = Path(lexicon_path) if lexicon_path is not None else DEFAULT_LEXICON
        self.meta, self.entries = load_lexicon(path)
        self.words = _WordLists()
        self.surfaces = _Surfaces(self.entries)
        # surface -> (canonical, label, Latin at an edge, veto words or None, own dictionary
        # frequency for a two-character surface else -1): what each lexicon match is checked by.
        self._surface_checks = {
            surface: (canonical, label, surface[0] in _LATIN_CHARS or surface[-1] in _LATIN_CHARS,
                      self.words.veto.get(surface),
                      self.words.dictionary.get(surface, _NO_WORD)[0] if len(surface) == 2 else -1)
            for surface, (canonical, label) in self.surfaces.by_surface.items()}
        self._scanner = _Scanner(self._surface_checks, {name: getattr(self.words, name).words for name in _SCANNED},
                                 _char_weights(self.words.dictionary))

    @property
    def version(self) -> str:
        return str(self.meta.get("version", ""))

    def user_dictionary(self) -> list[tuple[str, str]]:
        """(word, jieba POS flag) for every name and alias jieba can hold as one token."""
        seen: dict[str, str] = {}
        for entry in self.entries:
            for surface in (entry.name, *entry.aliases):
                if len(surface) >= 2 and not any(ch.isspace() for ch in surface):
                    seen.setdefault(surface, JIEBA_FLAG[entry.label])
        return list(seen.items())

    def lookup(self, surface: str) -> tuple[str, str] | None:
        """(canonical, label) of a lexicon name or alias, else None."""
        return self.surfaces.get(surface)

    # -- the stage ---------------------------------------------------------------------------

    def find(self, text: str, sentences: list[Sentence] | None = None,
             pos_tokens: list[tuple[int, int, str]] | None = None) -> list[EntityMention]:
        surfaces, spots = self._scan(text)
        lexicon = self._resolve(list(self._lexicon_candidates(text, surfaces)))
        found = list(lexicon)
        for rule in PATTERN_RULES:
            found.extend(rule(self, text, lexicon, spots))
        names = self._resolve(list(found))
        settled = len(found)
        for rule in NAME_RULES:
            found.extend(rule(self, text, names, spots))
        if pos_tokens:
            found.extend(self._pos_candidates(text, pos_tokens))
        # Nothing added since: resolving the same candidates again would give ``names`` again.
        chosen = self._resolve(found) if len(found) > settled else names
        names = self._document_names(text, chosen)
        # A document candidate on a chosen span never wins: it ranks below the chosen one, and
        # whatever would beat that one blocks it as well. Without the rest, nothing changes.
        chosen_spans = {(c.start, c.end) for c in chosen}
        more = list(self._document_candidates(text, names, chosen_spans))
        if more and not _all_outranked(chosen, more):
            chosen = self._resolve(chosen + more)
        for cand in chosen:  # one canonical per subject: 云帆智能 -> 浙江云帆智能科技有限公司
            if cand.source != "lexicon" and text[cand.start:cand.end] in names:
                cand.canonical = names[text[cand.start:cand.end]][0]
        mentions = [EntityMention(c.start, c.end, surface, c.label, c.canonical or surface, c.source, SCORE[c.source])
                    for c in chosen for surface in (text[c.start:c.end],)]
        return sorted(mentions + self._places(text, chosen, spots), key=_START)

    def _scan(self, text: str) -> tuple[list[tuple[int, int, tuple]], _WordSpots]:
        """The lexicon surfaces in ``text`` (start, end, checks) and where the word lists occur."""
        scanned = self._scanner.scan(text)
        if scanned is None:
            checks = self._surface_checks
            return ([(start, end, checks[text[start:end]]) for start, end in self.surfaces.matches(text)],
                    _WordSpots({name: getattr(self.words, name).pairs(text) for name in _SCANNED}))
        surfaces, lists = scanned
        return surfaces, _WordSpots(dict(zip(_SCANNED, lists)))

    def _places(self, text: str, chosen: list[_Candidate], spots: _WordSpots) -> list[EntityMention]:
        """Place names (美国, 江苏) that stand alone: weak subjects, source ``region``, type OTHER."""
        taken = bytearray(len(text))
        for c in chosen:
            taken[c.start:c.end] = _ONES[c.end - c.start] if c.end - c.start <= 64 else bytearray(b"\x01" * (c.end - c.start))
        places = []
        for start, end in spots.spans("place_words"):
            if taken.find(1, start, end) >= 0 or _PLACE_NOT_SUBJECT_AFTER.match(text, end):
                continue
            place = text[start:end]
            places.append(EntityMention(start, end, place, "OTHER", place, "region", SCORE["region"]))
        return places

    @staticmethod
    def _resolve(candidates: list[_Candidate]) -> list[_Candidate]:
        """Longest first, then the stronger source; the kept spans never overlap."""
        taken = bytearray(max(map(_END, candidates), default=0))
        kept: list[_Candidate] = []
        find_taken = taken.find
        ones = _ONES
        for cand in sorted(candidates, key=_ORDER):
            start, end = cand.start, cand.end
            if end <= start or find_taken(1, start, end) >= 0:
                continue
            taken[start:end] = ones[end - start] if end - start <= 64 else bytearray(b"\x01" * (end - start))
            kept.append(cand)
        kept.sort(key=_START)
        return kept

    def _lexicon_candidates(self, text: str, surfaces: list[tuple[int, int, tuple]]) -> Iterator[_Candidate]:
        """The lexicon surfaces found in ``text`` (start, end, ``_surface_checks`` value) that pass their checks."""
        dictionary = self.words.dictionary
        for start, end, (canonical, label, latin_edge, veto, own) in surfaces:
            if latin_edge and not _latin_edges_ok(text, start, end):
                continue
            if veto is not None and self._vetoed(text, start, end, *veto):
                continue
            if own >= 0:  # a two-character name read across a more common word (_crosses_word)
                limit = own if own > 100 else 100
                if start and dictionary.get(text[start - 1:start + 1], _NO_WORD)[0] > limit:
                    continue
                word = text[end - 1:end + 1]
                if len(word) == 2 and dictionary.get(word, _NO_WORD)[0] > limit:
                    continue
            yield _Candidate(start, end, label, canonical, "lexicon")

    @staticmethod
    def _vetoed(text: str, start: int, end: int, not_after: tuple[str, ...], not_before: tuple[str, ...]) -> bool:
        """An ambiguous alias used as an ordinary word: 大众|市场, 很|美的, 可灵|活."""
        for word in not_after:
            if word == "DIGIT" and text[end:end + 2].strip()[:1].isdigit() or text.startswith(word, end):
                return True
        for word in not_before:
            if word == "DIGIT" and text[start - 2:start].strip()[-1:].isdigit() or text.endswith(word, 0, start):
                return True
        return False

    # -- pattern helpers -----------------------------------------------------------------------

    def _run_start(self, text: str, end: int, max_len: int) -> int:
        """Start of the stretch of name-like characters (Han, Latin, digits, inner spaces) before ``end``."""
        limit = end - max_len if end > max_len else 0
        start = end
        while True:
            stop = _NOT_NAME_CHAR.search(text, limit, start)  # the last character that is no name character
            if stop is None:
                return limit
            pos = stop.start()
            if text[pos] == " " and pos > limit and (text[pos - 1] in _LATIN_CHARS or text[pos + 1] in _LATIN_CHARS):
                start = pos  # "smart 机器人", "AI 视频"
                continue
            return pos + 1

    def _core_start(self, text: str, start: int, end: int) -> int:
        """After the last boundary word (的, 在, 旗下, 宣布...) of text[start:end]."""
        last = start
        for match in reversed(list(self.words.boundary.finditer(text, start, end))):
            left, right = match.span()
            if right - left == 1 and self._inside_word(text, left, start, end):
                continue
            last = right
            break
        while last < end and text[last] == " ":
            last += 1
        return last

    def _plain_word_end(self, text: str, start: int, end: int) -> bool:
        """text[start:end] (one character) closes a dictionary word more common than the word
        before it: 关|系, 场|所 (but 民政|局)."""
        dictionary = self.words.dictionary
        word = dictionary.get(text[start - 1:end], (0, ""))[0]
        return word > 0 and dictionary.get(text[start - 2:start], (0, ""))[0] < word

    def _inside_word(self, text: str, pos: int, start: int, end: int) -> bool:
        """The boundary character at ``pos`` is part of a common noun of the run (房|地|产, 地|方),
        not of a function word or verb (没有, 转让)."""
        pairs = self.words.holder_pairs
        if not (pos > start and text[pos - 1:pos + 1] in pairs or pos + 2 <= end and text[pos:pos + 2] in pairs):
            return False  # (cheap test first) each word tried below holds one of these two pairs
        holders = self.words.boundary_holders
        for left, right in ((pos - 1, pos + 2), (pos - 2, pos + 1), (pos, pos + 3), (pos - 1, pos + 1), (pos, pos + 2)):
            if start <= left and right <= end and text[left:right] in holders:
                return True
        return False

    def _words_before(self, text: str, start: int, end: int) -> list[tuple[int, int, str]]:
        """text[start:end] cut into dictionary words from the right (longest first): (start, end, flag)."""
        get = self.words.dictionary.get
        tokens = []
        pos = end
        while pos > start:
            ch = text[pos - 1]
            if not ("\u4e00" <= ch <= "\u9fff" or _IS_HAN[ch]):  # (the common ideographs are all Han)
                left = pos - 1
                while left > start and not _IS_HAN[text[left - 1]]:
                    left -= 1
                tokens.append((left, pos, "eng"))
                pos = left
                continue
            # The longest dictionary word of 4, 3 or 2 characters ending here, else the character.
            span = pos - start
            entry = get(text[pos - 4:pos]) if span >= 4 else None
            length = 4
            if entry is None and span >= 3:
                entry, length = get(text[pos - 3:pos]), 3
            if entry is None and span >= 2:
                entry, length = get(text[pos - 2:pos]), 2
            if entry is None:
                entry, length = get(ch), 1
            tokens.append((pos - length, pos, entry[1] if entry is not None else "x"))
            pos -= length
        return tokens

    def _trim_core(self, text: str, start: int, end: int, heads_stop: bool = True, edges: bool = True) -> int:
        """Move a name core's left edge past the last verb, adverb, pronoun or head noun in it:
        会全面支持东亚 -> 东亚, 此后智利 -> 智利, 香港市场占 -> 占 (then too short to be a name).
        The word next to the suffix may be a verb (开发有限公司, 建设银行)."""
        tokens = self._words_before(text, start, end)
        for number, (left, right, flag) in enumerate(tokens):
            word = text[left:right]
            if len(word) < 2 or word[0] == "第":  # 第一中级人民法院
                continue
            if heads_stop and (word in self.words.core_stop or word[-2:] in self.words.core_stop) \
                    or word[-2:] in _HEAD_NOUNS:
                return right  # 机构, 金融机构, 管理部门: a head noun ends a description before the name
            if flag in _NOT_IN_CORE_FLAGS and (number > 0 or flag not in _VERB_FLAGS):
                return right
            if flag == "vn" and number > 0 and number == len(tokens) - 1:
                return right  # 重组|宣工机械: an action noun opening the core is the clause's verb
        if not edges:  # a short name's first character may be anything (正海生物, 中曼石油)
            return start
        if len(tokens) > 1 and tokens[-1][1] - tokens[-1][0] == 1 and tokens[-1][2] in _LEFTOVER_FLAGS \
                and tokens[-2][1] - tokens[-2][0] > 1:
            return tokens[-1][1]  # 所|有外国使馆, 这|个完整家居: a verb or classifier left over by a boundary
        if len(tokens) > 1 and tokens[-1][1] - tokens[-1][0] == 1 and tokens[-1][2] in _EDGE_FLAGS \
                and text[start:start + 2] not in self.words.dictionary:
            return tokens[-1][1]  # 此|后智利: the rest of a word cut by a boundary character (but 中储|粮)
        return start

    def _descriptive(self, text: str, start: int, end: int, single_suffix: bool = False,
                     company: bool = True) -> bool:
        """Every word of the core (after a leading region) is an ordinary word or a function character."""
        words = self.words
        region = words.region_prefix.match(text, start, end)
        if region:
            start = region.end()
        tokens = [t for t in self._words_before(text, start, end) if text[t[0]:t[1]].strip()]
        if not tokens:
            return False
        last = tokens[0]
        if single_suffix and (last[1] - last[0] < 2 or last[2] in _NOT_IN_CORE_FLAGS):
            return True  # 入局, 布局: a one-character suffix needs a whole word before it (民政局)
        if not company:
            return False  # an institution is often named with ordinary words (中国标准化研究院)
        for left, right, flag in tokens:
            word = text[left:right].strip()
            if len(word) == 1 and _IS_HAN[word]:
                if flag not in _NOT_IN_CORE_FLAGS and flag not in ("a", "b"):
                    return False
            elif not (word in words.common or self._is_generic(word)):
                return False
        return True

    def _is_generic(self, core: str) -> bool:
        core = core.strip()
        return not core or core in self.words.generic or core in self.words.latin_stop

    def canonical_for(self, surface: str) -> tuple[str, str] | None:
        """Lexicon (canonical, label) for a surface or its form without legal suffix and region."""
        for form in self._short_forms(surface, keep_self=True):
            hit = self.surfaces.get(form)
            if hit:
                return hit
        return None

    def _short_forms(self, surface: str, keep_self: bool = False) -> list[str]:
        """浙江云帆科技有限公司 -> [浙江云帆科技, 云帆科技, 浙江云帆, 云帆]: forms a company is also called by."""
        forms = [surface] if keep_self else []
        current = surface
        for _ in range(4):
            if current[-1:] not in self.words.suffix_last_chars:
                break
            suffix = next((current[-k:] for k in self.words.suffix_lengths
                           if len(current) > k + 1 and current[-k:] in self.words.suffix_kind), None)
            if suffix is None:
                break
            current = current[: -len(suffix)].rstrip()
            region = self.words.region_prefix.match(current)
            variants = [current]
            if region and len(current) - region.end() >= 2:
                variants.append(current[region.end():].lstrip())
            forms.extend(v for v in variants if len(v) >= 2 and not self._is_generic(v) and v not in forms)
        if not keep_self or len(forms) == 1:
            region = self.words.region_prefix.match(surface)
            if region and len(surface) - region.end() >= 2 and surface[region.end():] not in forms:
                forms.append(surface[region.end():].lstrip())
        return forms

    def _has_legal_form(self, surface: str) -> bool:
        legal = self.words.legal_suffixes
        return any(surface[-k:] in legal for k in self.words.legal_lengths if k <= len(surface))

    def _pos_candidates(self, text: str, pos_tokens: list[tuple[int, int, str]]) -> Iterator[_Candidate]:
        for start, end, flag in pos_tokens:
            word = text[start:end]
            if len(word) < 2 or self._is_generic(word) or not _HAN.search(word):
                continue
            if flag == "nr" and 2 <= len(word) <= 4 and (word[0] in self.words.surnames
                                                          or word[:2] in self.words.compound_surnames):
                if not (set(word[1:]) & _NOT_IN_NAME):
                    yield _Candidate(start, end, "PERSON", word, "pos")
            elif flag == "nrt" and len(word) >= 3:
                yield _Candidate(start, end, "PERSON", word, "pos")
            elif flag == "nt" and len(word) >= 3:
                yield _Candidate(start, end, "ORG", word, "pos")

    def _document_names(self, text: str, chosen: list[_Candidate]) -> dict[str, tuple[str, str]]:
        """Names found by pattern or POS, and a company's short forms -> (canonical, label)."""
        names: dict[str, tuple[str, str]] = {}
        chosen = sorted((c for c in chosen if c.source != "lexicon" and c.label != "MARKET"),
                        key=lambda c: c.start - c.end)  # full legal names first
        for cand in chosen:
            surface = text[cand.start:cand.end]
            canonical = cand.canonical or surface
            if len(surface) >= 2 and not self._is_generic(surface):
                names.setdefault(surface, (canonical, cand.label))
            if cand.label == "ORG" and cand.source == "pattern" and self._has_legal_form(surface):
                for form in self._short_forms(surface):
                    if len(form) >= 2 and _HAN.search(form) and form not in self.words.regions:
                        names.setdefault(form, (canonical, "ORG"))
        return names

    def _document_candidates(self, text: str, names: dict[str, tuple[str, str]],
                             skip: set[tuple[int, int]] | frozenset = frozenset()) -> Iterator[_Candidate]:
        """Every other place a document name is written (but the (start, end) spans in ``skip``)."""
        for surface, (canonical, label) in names.items():
            latin = _is_latin(surface)
            start = text.find(surface)
            while start >= 0:
                end = start + len(surface)
                if (start, end) in skip or latin and not _latin_edges_ok(text, start, end):
                    pass
                else:
                    yield _Candidate(start, end, label, canonical, "document")
                start = text.find(surface, end)


# -- pattern rules: each takes (finder, text, lexicon hits, word spots) and yields candidates ---

def latin_names(finder: EntityFinder, text: str, lexicon: list[_Candidate],
                spots: _WordSpots) -> Iterator[_Candidate]:
    """OpenAI, Sora2, a16z, GPT-4o, Veo3.1, DeepSeek-R1, Grok 3: Latin-led tokens kept whole."""
    known_end = {c.end: c for c in lexicon}
    surface_of, casefolded = finder.surfaces.by_surface.get, finder.surfaces.latin_casefold.get
    for match in _LATIN_NAME.finditer(text):
        start, end = match.span()
        token = match.group()
        exact = hit = surface_of(token) or casefolded(token.casefold())
        family = known_end.get(end)
        if family is not None and family.start != start:
            family = None
        if hit is None and not token.isalpha():  # (a token of letters only has no cut to try)
            # The longest lexicon prefix decides the type of a longer token: Sora2 is a Sora.
            for cut in range(len(token) - 1, 1, -1):
                if not token[cut - 1].isalnum() or token[cut].isalpha() and token[cut - 1].isalpha():
                    continue
                hit = surface_of(token[:cut])
                if hit:
                    break
        if (hit or family) and (hit or (family.canonical, family.label))[1] == "PRODUCT":
            tail = _VERSION_TAIL.match(text, end)
            if tail and tail.end() > end:
                end = tail.end()
                token = text[start:end]
                yield _Candidate(start, end, "PRODUCT", token, "pattern")
                continue
        if hit:
            if family is not None:
                continue  # the lexicon's own name on this very span outranks it in _resolve, always
            canonical, label = hit
            yield _Candidate(start, end, label, exact[0] if exact else token, "pattern")
            continue
        if text.find("》", start - 3 if start > 3 else 0, start) >= 0 and _TITLE_GLOSS.search(text, max(0, start - 3), start) \
                and _GLOSS_END.match(text, end):
            continue  # 《超人归来》(Superman Returns): the work's original title, not a name of its own
        if token in finder.words.latin_stop or len(token) < 2 or token.isdigit() or token[0] in "IVX" and _ROMAN.match(token):
            continue
        if token.isupper() and len(token) <= 2:
            continue
        if token.islower() and not _ASCII_DIGIT.search(token):
            continue  # dota, imba: a lower-case word is no name unless the lexicon knows it
        plain_word = token[0].isupper() and token[1:].islower()
        if plain_word and not _has_name_cue(text, start, end):
            continue  # Vehicle, Control: an English gloss, unless a cue calls it a name
        yield _Candidate(start, end, _latin_label(text, start, end, token), token, "pattern")


_TITLE_GLOSS = regex.compile(r"》\s?[(（]\s?$")
_GLOSS_END = regex.compile(r"[^()（）\n]{0,40}[)）]")
_ROMAN = regex.compile(r"[IVX]{2,5}$")
_ASCII_DIGIT = re.compile("[0-9]")  # a Latin token is ASCII: its digits are these


def _has_name_cue(text: str, start: int, end: int) -> bool:
    after = text[end:end + 6].lstrip()
    before = text[max(0, start - 6):start].rstrip()
    return after.startswith(_ORG_CUES_AFTER) or before.endswith(_ORG_CUES_BEFORE) or after.startswith(_PRODUCT_CUES)


def _latin_label(text: str, start: int, end: int, token: str) -> str:
    after = text[end:end + 6].lstrip()
    before = text[max(0, start - 6):start].rstrip()
    if after.startswith(_ORG_CUES_AFTER) or before.endswith(_ORG_CUES_BEFORE):
        return "ORG"
    if after.startswith(_PRODUCT_CUES) or _ASCII_DIGIT.search(token):
        return "PRODUCT"
    return "ORG"


def titles(finder: EntityFinder, text: str, lexicon: list[_Candidate],
           spots: _WordSpots) -> Iterator[_Candidate]:
    """《流浪地球》 is a WORK; 《晚点 LatePost》 next to 报道/援引, or named like a paper, is media (ORG)."""
    for match in _TITLE.finditer(text):
        inner = match.group(1).strip()
        if not inner:
            continue
        start, end = match.start(1), match.end(1)
        hit = finder.surfaces.get(inner)
        if hit:
            yield _Candidate(start, end, hit[1], hit[0], "pattern")
            continue
        before, after = text[max(0, match.start() - 4):match.start()], text[match.end():match.end() + 6].lstrip()
        cited = before.endswith("据") and not before.endswith(_NOT_MEDIA_JU)
        is_media = inner.endswith(_MEDIA_TITLE_END) or cited or after.startswith(_MEDIA_CUES_AFTER) \
            or before.endswith(_MEDIA_CUES_BEFORE)
        yield _Candidate(start, end, "ORG" if is_media else "WORK", inner, "pattern")


MAX_SUFFIX_CHAIN = 4


def company_suffixes(finder: EntityFinder, text: str, lexicon: list[_Candidate],
                     spots: _WordSpots) -> Iterator[_Candidate]:
    """X有限公司, X集团, X银行, X科技, 浙江X汽车: a name core before a legal form or industry word."""
    words = finder.words
    lexicon_end = {c.end: c for c in lexicon}
    longest = spots.longest_at("suffix_words")
    for suffix_start, end in spots.spans("suffix_words", longest):
        suffix = text[suffix_start:end]
        if end - suffix_start == 1 and text[suffix_start - 1:end] in words.dictionary and \
                words.dictionary.get(text[suffix_start - 2:suffix_start], (0, ""))[0] \
                < words.dictionary[text[suffix_start - 1:end]][0]:
            continue  # 格局, 全部: the suffix character is part of an ordinary word (but 民政|局)
        if _starts_word(words, text, suffix_start, end):
            continue  # 公安部门, 政协委员: the suffix character begins the next word
        # Extend over a chain of suffixes: 医药辅料股份有限公司, 控股集团. A few at most: every
        # suffix of a long run (公司公司公司…) would otherwise walk the whole rest of the run.
        for _ in range(MAX_SUFFIX_CHAIN):
            more = longest.get(end)
            if not more or _starts_word(words, text, end, more):
                break
            end = more
        kind = words.suffix_kind[suffix]
        hit_before = lexicon_end.get(suffix_start)
        run_start = finder._run_start(text, suffix_start, 14)
        core_start = finder._core_start(text, run_start, suffix_start)
        if hit_before and hit_before.start < core_start:
            core_start = hit_before.start  # the lexicon name is the core: 腾讯 + 控股
        if kind == "legal":
            core_start = _legal_name_start(finder, text, run_start, core_start, suffix_start)
        if hit_before is None and suffix_start - core_start < 2:
            continue  # the steps below only move the core's start right: too short (_bad_core) already
        core_start = finder._trim_core(text, core_start, suffix_start, heads_stop=kind in ("legal", "sector"))
        if hit_before and hit_before.start < core_start:
            core_start = hit_before.start
        known = lexicon_end.get(end)  # 利用|吉利集团: a known name is not stretched to the left
        if known and known.label == "ORG" and core_start < known.start < suffix_start \
                and text[core_start:known.start] not in words.regions:
            core_start = known.start
        core_start = _skip_former(finder, text, core_start, suffix_start)
        core = text[core_start:suffix_start].strip()
        surface = text[core_start:end]
        named = hit_before is not None and hit_before.start == core_start and hit_before.label == "ORG" \
            and not hit_before.canonical.endswith(suffix)  # 招行|银行 is a slip for 招行 (招商银行)
        if named and kind == "legal":
            yield _Candidate(core_start, end, "ORG", surface, "pattern")  # 中国邮政|集团公司
            continue
        if _bad_core(finder, core, kind) or finder._is_generic(surface):
            continue
        if suffix in _REGION_LED_SUFFIXES and not words.region_prefix.match(core):
            continue  # 内部, 总部: a ministry is named with its country (美国国土安全部)
        if finder._descriptive(text, core_start, suffix_start, len(suffix) == 1, kind in ("legal", "sector")):
            continue  # 视频 AI 公司, 中国大模型公司, 要做机器人, 新玩家入局: a description, not a name
        hit = finder.canonical_for(surface)
        yield _Candidate(core_start, end, "ORG", hit[0] if hit else surface, "pattern")


_REGION_LED_SUFFIXES = ("部",)
_FORMER = "原前现"


def _skip_former(finder: EntityFinder, text: str, start: int, end: int) -> int:
    """原中国书法研究院, 前CCM俱乐部: 'former' or 'current' before a name is no part of it
    (but 前海, 现代 are words)."""
    if end - start > 3 and text[start] in _FORMER and text[start:start + 2] not in finder.words.dictionary:
        return start + 1
    return start
_HEAD_OF = "长"  # 局长, 部长: the head of the body, whose name still ends at the suffix


def _starts_word(words: _WordLists, text: str, start: int, end: int) -> bool:
    """A one-character suffix read with the character after it is a dictionary word (部门, 委员)."""
    return end - start == 1 and end < len(text) and text[end] != _HEAD_OF \
        and text[start:end + 1] in words.dictionary
_STRONG_BOUNDARY = re.compile(r"[的在与和及是为被对将向从由把据等、]")


def _legal_name_start(finder: EntityFinder, text: str, run_start: int, core_start: int, suffix_start: int) -> int:
    """A registered name runs from its region: 北京学而思教育科技有限公司, not 思教育科技有限公司."""
    for region in finder.words.region_prefix.finditer(text, run_start, core_start):
        between = text[region.start():suffix_start]
        if not _STRONG_BOUNDARY.search(between) and not any(
                len(m.group()) > 1 for m in finder.words.boundary.finditer(between)):
            return region.start()
    return core_start


_LISTED_CUE = regex.compile(
    r"(?:[(（]\s*(?:\d{6}|(?:SH|SZ|HK|BJ)\s*\.?\d{4,6}|\d{4,6}\s*\.?\s*(?:SH|SZ|HK|BJ))"
    r"|[:：](?=\S)|公告|发布公告|晚间公告|披露"
    r"|(?:发布|公布|披露|发布了|公布了)(?=[^，,。\n]{0,10}(?:业绩|财报|年报|半年报|季报|快报|财务报告))"
    r"|(?:(?:大|暴|收)?[涨跌](?:超|逾|近)?|高开|低开)(?=\s*\d)|(?:涨停|跌停)(?=[，,。；;\s]|$))")


# Every _LISTED_CUE match begins with one of these (one per alternative, its optional 大|暴|收
# spelled out): the cues are only tried where the automaton pass found one, not at every character.
LISTED_CUE_HEADS = ("(", "（", ":", "：", "公告", "发布", "晚间", "披露", "公布",
                    "大涨", "大跌", "暴涨", "暴跌", "收涨", "收跌", "涨", "跌", "高开", "低开")


def _listed_cues(text: str, spots: _WordSpots) -> Iterator[regex.Match]:
    """``_LISTED_CUE.finditer(text)``, tried only where a cue head starts."""
    free = 0
    for start in sorted(spots.longest_at("listed_cue_heads")):
        if start >= free:
            match = _LISTED_CUE.match(text, start)
            if match:
                yield match
                free = match.end()


_LISTED_MAX = 8  # a listed company's short name is found in the 8 characters before its cue
# What a headline's company (X：) or a clause's mover (X涨超 3%) follows, when not the text's start.
_HEADLINE_OPENERS = frozenset("\n。！？；】」 ")
_CLAUSE_OPENERS = frozenset("\n。！？；，,、】」 ")
_MOVERS = {"股价", "股票", "大盘", "指数", "价格", "金价", "油价", "汇率", "美元", "个股", "板块", "期货",
           "市值", "收益", "利润", "营收", "销量", "公司", "全天", "盘中", "早盘", "午后", "尾盘", "今日", "昨日"}


def listed_companies(finder: EntityFinder, text: str, lexicon: list[_Candidate],
                     spots: _WordSpots) -> Iterator[_Candidate]:
    """A listed company's short name before its code or a filing cue: 东方电热(300xxx), X公告, (headline) X：."""
    for match in _listed_cues(text, spots):
        end = match.start()
        cue = match.group()
        if cue[0] in ":：":
            opens = _HEADLINE_OPENERS
        elif cue[0] in "发公大暴涨跌收高低" and cue != "公告":
            opens = _CLAUSE_OPENERS
        else:
            opens = None
        if opens is not None and end > _LISTED_MAX and opens.isdisjoint(text[end - _LISTED_MAX - 1:end]):
            continue  # (cheap test first) no character the name could follow is near: see below
        run_start = finder._run_start(text, end, _LISTED_MAX)
        last_word = finder._words_before(text, run_start, end)[:1]
        if last_word and last_word[0][1] - last_word[0][0] >= 2 and (
                last_word[0][2] == "d" or text[last_word[0][0]] == text[last_word[0][0] + 1]):
            end = last_word[0][0]  # X|双双涨停, X|至少涨超: an adverb before the mover is no part of the name
        start = finder._core_start(text, run_start, end)
        start = finder._trim_core(text, start, end, heads_stop=False, edges=False)  # FTC|达成|信息披露
        if opens is _HEADLINE_OPENERS and not (start == 0 or text[start - 1] in opens):
            continue  # a colon names a company only as a headline's first word
        if opens is _CLAUSE_OPENERS and not (start == 0 or text[start - 1] in opens):
            continue  # X发布业绩快报, X涨超 3%: X opens its clause (or a list of movers)
        name = text[start:end].strip()
        han = len(_HAN.findall(name))
        if not 2 <= han <= 6 or finder._is_generic(name) or name in finder.words.common \
                or name in finder.words.regions or _DIGIT.search(name):
            continue
        if name[-2:] in finder.words.core_stop:
            continue  # 监管机构披露: a kind of body, not a company's name
        if cue in ("公告", "披露") and han < 3:
            continue
        if cue[-1] in "涨跌超逾近开停" and (name in finder.words.common or name[-2:] in _MOVERS
                                          or name[:2] in _MOVERS or name[:1] in "该此其这那"
                                          or name[-1] in "上下回反微小略再续均"):
            continue  # 股价大涨, 公司股票涨停, 该股涨: a common word moving, not a company
        if cue[0] in ":：" and not (3 <= han <= 4 or _LATIN_CHAR.search(name)):
            continue  # a headline's company is written by its 3-4 character short name (大北农：, 立昂微：)
        if cue[0] in ":：" and (name[:2] in finder.words.common or name[-2:] in finder.words.common
                                or _chinese_name_length(finder, text, start) == len(name)):
            continue  # 赔率统计：, 张三： are a column's topic or a speaker, not a company
        hit = finder.canonical_for(name)
        yield _Candidate(start, end, hit[1] if hit else "ORG", hit[0] if hit else name, "pattern")


_CORE_LIMIT = {"sector": 4, "legal": 6, "org": 6, "gov": 8}  # a core's most characters (after a region), by suffix kind


def _bad_core(finder: EntityFinder, core: str, kind: str) -> bool:
    words = finder.words
    if len(core) < 2 or finder._is_generic(core) or core.isdigit():
        return True
    region = words.region_prefix.match(core)
    bare = core[region.end():].strip() if region else core
    if kind == "sector" and (len(bare) < 2 or finder._is_generic(bare)) and not finder.surfaces.get(core):
        return True  # 中国汽车, 新能源汽车 are not companies
    if kind == "legal" and not bare and len(core) < 3:
        return True
    rest = bare
    while rest:
        tails = [rest[-k:] for k in words.suffix_lengths if k < len(rest) and rest[-k:] in words.suffix_kind] \
            if rest[-1] in words.suffix_last_chars else ()
        tail = min(tails, key=words.suffix_order.__getitem__) if tails else None  # the list's order decides
        if tail is None:
            break
        rest = rest[: -len(tail)].strip()
    if finder._is_generic(rest) or rest in words.regions or _DIGIT.search(core):
        return True
    if (kind == "sector" or core == bare) and rest in words.common and not finder.surfaces.get(rest):
        return True  # 贷款公司, 船舶公司: an ordinary noun before the suffix
    limit = _CORE_LIMIT[kind] + (4 if region else 0)
    return len(bare) > limit + (2 if kind == "legal" else 0)


_MARKET_STOP = {"二级", "一级", "资本", "大众", "证券", "股票", "金融", "整个", "这个", "那个", "相关", "有关", "其他",
                "其它", "所有", "部分", "不同", "各个", "多个", "主要", "传统", "新兴", "细分", "整体", "我们", "他们"}


def markets(finder: EntityFinder, text: str, lexicon: list[_Candidate],
            spots: _WordSpots) -> Iterator[_Candidate]:
    """中国智能手机市场, 同城货运市场, 新能源汽车行业, AI 视频领域 -> MARKET."""
    words = finder.words
    name_ends = {c.end: c for c in lexicon if c.label != "MARKET"}
    for suffix_start, end in spots.spans("market_words_set"):
        run_start = finder._run_start(text, suffix_start, 12)
        core_start = finder._core_start(text, run_start, suffix_start)
        # A company or product name ends a market's left edge: 特斯拉|中国市场.
        for pos in range(suffix_start, core_start, -1):
            if pos in name_ends and name_ends[pos].start >= core_start:
                core_start = pos
                break
        while core_start < suffix_start and text[core_start] == " ":
            core_start += 1
        core = text[core_start:suffix_start].strip()
        if len(core) > 7:
            continue
        if len(core) < 2 or core.isdigit() or core in _MARKET_STOP or core[0] in "该这那此各其每某":
            continue
        yield _Candidate(core_start, end, "MARKET", text[core_start:end], "pattern")


def persons(finder: EntityFinder, text: str, lexicon: list[_Candidate],
            spots: _WordSpots) -> Iterator[_Candidate]:
    """创始人张一鸣, CEO 梁汝波, 张一鸣表示, 埃隆·马斯克 -> PERSON."""
    words = finder.words
    for start, end in _foreign_names(text, spots):
        yield _Candidate(start, end, "PERSON", text[start:end], "pattern")
    free = 0
    for cue_start, ends in sorted(spots.ends_at("cue_words").items()):
        if cue_start < free:
            continue
        for cue_end in ends:  # the longest cue a name can follow: 首席执行官，| 首席|执行官
            tail = _CUE_TAIL.match(text, cue_end)
            if tail:
                break
        else:
            continue
        start = free = tail.end()
        length = _chinese_name_length(finder, text, start)
        if length and not _ordinary_word(finder, text[start:start + length]):
            yield _Candidate(start, start + length, "PERSON", text[start:start + length], "pattern")
    for verb_start, _ in spots.spans("speech_words"):
        for length in (3, 2):
            start = verb_start - length
            if start < 0:
                continue
            before = text[start - 1] if start > 0 else "，"
            if _IS_HAN[before] and before not in _NOT_IN_NAME:
                continue
            if _chinese_name_length(finder, text, start) == length and not _ordinary_word(finder, text[start:verb_start]):
                yield _Candidate(start, verb_start, "PERSON", text[start:verb_start], "pattern")
                break


_CUE_TAIL = regex.compile(r"\s?(?=\p{Han})")
NAME_DOTS = ("·", "•", "‧", "・")  # found in the automaton pass (spots "name_dots")


def _foreign_names(text: str, spots: _WordSpots) -> Iterator[tuple[int, int]]:
    """``_FOREIGN_PERSON.finditer`` tried only just before each dot: a match holds one, and its
    first dot is at most 6 characters after its start."""
    free = 0
    for dot, _ in spots.spans("name_dots"):
        for start in range(max(free, dot - 6), dot):
            match = _FOREIGN_PERSON.match(text, start)
            if match:
                yield match.span()
                free = match.end()
                break


def _ordinary_word(finder: EntityFinder, word: str) -> bool:
    return finder._is_generic(word) or word in finder.words.common or word in finder.words.regions


def _chinese_name_length(finder: EntityFinder, text: str, start: int) -> int:
    """Length of a Chinese personal name starting at ``start`` (2-4), or 0."""
    words = finder.words
    if text[start:start + 2] in words.compound_surnames:
        surname = 2
    elif start < len(text) and text[start] in words.surnames:
        surname = 1
    else:
        return 0
    verbs = words.speech_tuple
    options = [surname + 2, surname + 1]
    valid = []
    for length in options:
        given = text[start + surname:start + length]  # one or two characters: given[0] and given[-1] are all
        if len(given) != length - surname or not (_IS_HAN[given[0]] and _IS_HAN[given[-1]]):
            continue
        if given[0] in _NOT_IN_NAME or given[-1] in _NOT_IN_NAME:
            continue
        valid.append(length)
    for length in valid:  # a speech verb right after settles it: 王兴|认为
        if text.startswith(verbs, start + length):
            return length
    for length in valid:
        after = text[start + length:start + length + 1]
        if not after or after in _NAME_END or not _IS_HAN[after]:
            return length
    return 0


_TEAM = "队"  # 利物浦队: the one unit written right after a name, with nothing between
_UNIT_FILLER_MAX = 10
_UNIT_FILLER = regex.compile(r"[\p{Han}A-Za-z0-9]{0,%d}" % _UNIT_FILLER_MAX)
_GOVERNMENT_END = ("部", "局", "会", "委", "院", "署", "厅", "政府", "法院")


def organisation_units(finder: EntityFinder, text: str, names: list[_Candidate],
                       spots: _WordSpots) -> Iterator[_Candidate]:
    """An organisation with its branch, department or country: 交通银行深圳分行, 财政部金融司,
    清华大学心理学系, 印度外交部. ``names`` are the names found so far (lexicon and patterns)."""
    regions, place_heads, bracketed_legal = finder.words.regions, finder.words.place_heads, finder.words.bracketed_legal.match
    unit_ends = spots.ends_at("unit_words") if any(c.label == "ORG" for c in names) else {}
    unit_starts = sorted(unit_ends)
    for cand in names:
        if cand.label != "ORG":
            continue
        start, end = cand.start, cand.end
        near = bisect.bisect_left(unit_starts, end)
        if near < len(unit_starts) and unit_starts[near] <= end + _UNIT_FILLER_MAX:
            end = _unit_after(finder, text, end, unit_ends) or end
        after = text[end:end + 2]
        registered = ("（" in after or "(" in after) and bracketed_legal(text, end)  # (cheap test first)
        if registered:
            end = registered.end()  # 渣打银行（香港）有限公司
        elif end == cand.end and after in place_heads:
            end = _country_arm(finder, text, end) or end
        if text.endswith(_GOVERNMENT_END, cand.start, cand.end):
            for length in range(5, 1, -1):
                if text[start - length:start] in regions:
                    start -= length
                    break
        if (start, end) != (cand.start, cand.end):
            yield _Candidate(start, end, "ORG", text[start:end], "pattern")


_AFTER_COUNTRY_ARM = set("的昨今近日将已也在和与及对向称宣表于")


def _country_arm(finder: EntityFinder, text: str, end: int) -> int:
    """汇丰中国, 苹果中国区: a company's arm in a country, when the place ends the phrase
    (not 苹果|中国市场, 华为|中国手机)."""
    if text[end:end + 2] not in finder.words.place_heads:
        return 0
    place = finder.words.place_pattern.match(text, end)
    if not place:
        return 0
    after = place.end()
    if text[after:after + 1] == "区":
        return after + 1
    if after == len(text) or text[after] in _AFTER_COUNTRY_ARM \
            or not (_IS_HAN[text[after]] or text[after].isdigit()):  # 新华社北京3月5日电 is a dateline
        return after
    return 0


def _unit_after(finder: EntityFinder, text: str, end: int, unit_ends: dict[int, list[int]]) -> int:
    """End of the unit written right after a name ending at ``end`` (a few name words, then a unit
    word), or 0. The words between hold no boundary, verb or pronoun: 财政部|金融|司, not 公安部|表示该|局."""
    limit = _UNIT_FILLER.match(text, end).end()
    for unit_start in range(end, limit + 1):
        for unit_end in unit_ends.get(unit_start, ()):
            single = unit_end - unit_start == 1
            team = text[unit_start] in _TEAM
            if team and unit_start > end:
                continue  # 战队|队长
            if single and (unit_start - end < (0 if team else 2) or _starts_word(finder.words, text, unit_start, unit_end)
                           or finder._plain_word_end(text, unit_start, unit_end)):
                continue  # 系统, 关系, 场所: the unit character belongs to an ordinary word
            if unit_start > end and (finder._core_start(text, end, unit_start) != end
                                     or finder._trim_core(text, end, unit_start, heads_stop=False) != end):
                continue
            return unit_end
    return 0


PATTERN_RULES = (latin_names, titles, company_suffixes, listed_companies, markets, persons)
# Rules that build on the names the pattern rules found.
NAME_RULES = (organisation_units,)
