"""Link stage: each figure becomes a Fact — who (subject), what (metric), when (time).

The rules follow Chinese topic-comment structure:
- the subject of a figure is the first name of its clause (``X 的 Y 为 Z``,
  ``X 以 Z 的 Y``; ``A 投资的 B`` takes B), else the name opening an earlier clause
  of its sentence, else the topic carried over from earlier sentences; a name right
  before the figure (``TikTok 50%``) is its subject when nothing opens the clause;
  sources (据 X, X 数据显示), objects (与 X 合作) and the thing compared against
  (``A 的 6.4 倍``) are never subjects; people are never topics; a bare place name is
  a subject only when it opens the clause and no name does;
- pronouns and definite references (其, 该公司, 这家, 后者) resolve to the name opening
  the sentence, else to the topic;
- a count of companies (``23 家获得融资的 AI 公司``) is about that kind of company;
- the metric is the metric word modified by the figure (``70% 的营业收入``) or attached
  to it (``1 万元补贴``), else the nearest before it in its clause, else the figure's own
  measure noun, else the nearest before it in the sentence (``收入分别为 a，b，c``);
- ``分别`` lists pair values with the metrics they enumerate, in order;
- a figure with no believable subject gets ``None`` rather than a guess.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Callable
import re

import regex

from pipeline.times import sentence_times, time_for_fact
from pipeline.mentions import EntityMention, MetricMention, Quantity, Sentence, TimeMention
from schemas import Evidence, Fact, MetricRef, SubjectRef

_START = attrgetter("start")
SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
         "\u2028\u2029\u202f\u205f\u3000"   # what the patterns' \s matches (Unicode White_Space)
MONEY_KINDS = {"money", "price"}
_CLASSIFIER_AFTER = regex.compile(r"\s*[张台辆家个杯单件部次名位条款只人户座艘架套份笔项轮期批届款种类层]")
CHANGE_KINDS = {"change", "change_rate"}
RATIO_UNITS = {"%", "pp", "x"}
DEFAULT_CURRENCY = "CNY"
_PLACE_LEAD = regex.compile(r"[\s\d年月日季度、,，:：]*")
PLACE = "region"          # the entity stage's source for bare place names: weak subjects, never topics
SUBJECT_LABELS = {"ORG", "PRODUCT", "PERSON", "WORK", "MARKET", "OTHER"}
PRONOUN = regex.compile(
    r"(?<![尤极与及])其(?![中他它实余次后])|该(?:公司|平台|品牌|集团|企业|产品|应用|机构)|这家(?:公司|企业)?"
    r"|(?<![\p{Han}A-Za-z])公司(?=[\p{Han}0-9])|它们|它|后者|前者", regex.V1)
_COMPARED_AGAINST = regex.compile(r"\s*的\s*$")     # used with match(text, pos, endpos): no ^
# Words that end right before a name (spaces between allowed): tested with rstrip + endswith.
_LISTED_OBJECT_BEFORE = ("与", "和", "跟", "同", "比", "对比", "相比", "较", "竞品", "对手", "超过", "超越", "落后",
                         "落后于", "不如", "低于", "高于")
_ESTIMATED = regex.compile(r"预计|预期|预测|有望|计划|目标|或将|可能|将(?=\s*(?:达|超|突破|增|降|在|会|于|成为|投|有|推出|部署|耗资|实现|提升|下降|持续))")
_UP = regex.compile(r"(?:增长|增加|上涨|上升|提升|提高|增至|涨至|升至|大涨|上调|回升|增|涨|升)")
_DOWN = regex.compile(r"(?:下降|下跌|减少|下滑|降低|降至|跌至|回落|缩减|大跌|下调|收窄|减|降|跌)")
_DIRECTION_CHARS = frozenset("增长加上涨升提高至大调回下降跌减少滑低落缩收窄")    # every character of the two above
_DURATION_MEASURE_BEFORE = regex.compile(r"(?:耗时|历时|用时|时长|工时|工作|宽限期?|缓征期?|期限|周期|寿命|续航|保质期|账期|任期|年龄|约耗时)\s*(?:约|为|达|长达|仅|只有|是)?\s*$")
_DURATION_MEASURE_AFTER = regex.compile(r"^\s*(?:[（(][^）)]{0,20}[）)])?\s*(?:的)?\s*(?:宽限期|缓征期|关税缓征期|期限|周期|工作时间|工时|续航|保质期|账期|任期)")
_MAX_METRIC_AFTER_GAP = 4
# A figure that names a window, a kind or a price bracket rather than measuring something.
_WINDOW_OR_KIND_AFTER = regex.compile(r"\s*(?:(?:公司|企业|俱乐部)(?!的)|个?(?:港股|A股|美股)?(?:交易日|工作日|自然日))")
_WINDOW_OR_KIND_FIRST = frozenset("公企俱个港A美交工自")   # what can follow the spaces in the pattern above
_PRICE_BRACKET_AFTER = regex.compile(r"\s*(?:以下|以上|以内|及以下|及以上)的")
_PRICE_BRACKET_FIRST = frozenset("以及" + SPACES)      # what the pattern above can start with


def _is_currency(unit: str | None) -> bool:
    return unit is not None and len(unit) == 3 and unit.isupper()


def link_facts(text: str, sentences: list[Sentence], quantities: list[Quantity],
               entities: list[EntityMention], metrics: list[MetricMention],
               times: list[TimeMention], metric_kind: Callable[[MetricMention], str | None] | None = None,
               original: str | None = None) -> list[Fact]:
    """Every fact-bearing quantity of the article, linked to subject, metric and time.

    ``metric_kind`` tells what a metric measures (``money``, ``price``, ``ratio``...): a
    money metric with a bare figure (``累计亏损 27 亿``) is in yuan, as Chinese articles write.
    ``text`` is the normalised article; ``original`` (same length) gives the words as written.
    """
    written = original if original is not None else text
    entities = [e for e in entities if e.label in SUBJECT_LABELS]
    checks = _NameChecks(text)
    parts = _Parts(written)
    facts: list[Fact] = []
    topic: EntityMention | None = None
    carried: tuple[tuple[int, int], EntityMention] | None = None   # clause, subject read off a figure
    entity_starts = [e.start for e in entities]
    metric_starts = [m.start for m in metrics]
    quantity_starts = [q.start for q in quantities]
    # Only a sentence holding a figure or a name does anything (sorted: bisect the starts).
    sentence_starts = [sentence.start for sentence in sentences]
    busy = sorted({bisect_right(sentence_starts, position) - 1 for position in (*quantity_starts, *entity_starts)})
    for index in busy:
        if index < 0:
            continue
        sentence = sentences[index]
        start, end = sentence.start, sentence.end
        in_sentence = _between(quantities, quantity_starts, start, end)
        first_metric, after_metrics = bisect_left(metric_starts, start), bisect_left(metric_starts, end)
        sentence_metrics = metrics[first_metric:after_metrics]
        sentence_entities = _between(entities, entity_starts, start, end)
        if sentence_entities and (in_sentence or sentence_metrics):
            sentence_entities = [e for e in sentence_entities if not _inside_a_figure(e, in_sentence)
                                 and not _is_metric_word(e, sentence_metrics)]
        if not in_sentence:
            if sentence_entities:
                topic = _next_topic(text, sentence, sentence_entities, topic, checks)
            continue
        candidates = [q for q in in_sentence if _is_fact(q, text, sentence_entities)]
        if not candidates:
            topic = _next_topic(text, sentence, sentence_entities, topic, checks)
            continue
        sentence_metric_starts = metric_starts[first_metric:after_metrics]
        listed = _respectively_metrics(text, sentence, candidates, sentence_metrics)
        names = [e for e in sentence_entities if e.source != PLACE]
        places = [e for e in sentence_entities if e.source == PLACE] if len(names) < len(sentence_entities) else []
        last_figure = candidates[-1].start
        subject_names = [e for e in names if e.end <= last_figure and not checks.never_subject(e)]
        estimated = _ESTIMATED.search(text, start, end) is not None   # else no figure's lead is
        moments = sentence_times(times, start, end, text)
        previous: tuple[str | None, MetricRef] | None = None    # unit and metric of the last figure
        evidence = parts.evidence(sentence)
        for quantity in candidates:
            clause = _clause_of(sentence, quantity.start)
            counted = _counted_kind(text, quantity, clause)
            if counted is not None:
                subjects, metric = [(counted[0], False)], counted[1]
            else:
                if carried and carried[0] == clause and not any(
                        carried[1].end <= e.start < quantity.start for e in sentence_entities):
                    subjects = [(carried[1], False)]  # ``TikTok 50% 的首日留存率和 32% 的 30 天留存率``
                else:
                    subjects = _subjects(text, quantity, clause, sentence, names, places, subject_names,
                                         topic, checks)
                    if subjects[0][0] is not None and not text[subjects[0][0].end:quantity.start].strip():
                        carried = (clause, subjects[0][0])
                metric = listed.get(id(quantity)) or _metric(text, quantity, clause, sentence_metrics, metric_kind,
                                                                sentence_metric_starts)
            time = time_for_fact(times, start, end, quantity.start, text, moments)
            unit = quantity.unit
            if unit is None and metric is not None and metric_kind is not None and quantity.kind != "duration" \
                    and not _CLASSIFIER_AFTER.match(text, quantity.end) and metric_kind(metric) in MONEY_KINDS:
                unit = DEFAULT_CURRENCY
            # ``每天工作 8 小时，每周 48 小时``: a figure with no metric word of its own continues
            # the one before it in the sentence.
            same_measure = previous[1] if metric is None and previous and previous[0] == unit else None
            for subject, resolved in subjects:
                facts.append(_fact(text, parts, quantity, unit, subject, resolved, metric, time, clause,
                                   sentence, evidence, same_measure, estimated))
            previous = (unit, facts[-1].metric)
        topic = _next_topic(text, sentence, sentence_entities, topic, checks)
    return facts


# --- which quantities are facts -------------------------------------------------------------

def _inside_a_figure(e: EntityMention, quantities: list[Quantity]) -> bool:
    """``199 亿欧元`` holds the name 亿欧: a name that starts inside a figure is no name."""
    return any(q.start < e.start < q.end for q in quantities)


def _is_metric_word(e: EntityMention, metrics: list[MetricMention]) -> bool:
    """``ARR``, ``GMV`` read as a Latin name by the entity stage are metric words."""
    return any(m.start <= e.start and e.end <= m.end for m in metrics)


_DIGIT = regex.compile(r"[0-9]")


def _window_or_kind_after(text: str, end: int) -> bool:
    after = text[end:end + 1]
    if after not in _WINDOW_OR_KIND_FIRST and not (after and after in SPACES):
        return False        # the pattern cannot start here: no need to try it
    return _WINDOW_OR_KIND_AFTER.match(text, end) is not None


def _is_fact(q: Quantity, text: str, entities: list[EntityMention]) -> bool:
    if any(e.start <= q.start < e.end for e in entities):
        return False                       # digits inside a name: Sora2, Grok 3
    if q.kind == "duration":
        if q.per is not None:              # 每周 48 小时: a rate of time is a measure
            return True
        before = text[max(0, q.start - 8):q.start]
        after = text[q.end:q.end + 30]
        return bool(_DURATION_MEASURE_BEFORE.search(before) or _DURATION_MEASURE_AFTER.search(after))
    if _window_or_kind_after(text, q.end) or (
            _is_currency(q.unit) and text[q.end:q.end + 1] in _PRICE_BRACKET_FIRST
            and _PRICE_BRACKET_AFTER.match(text, q.end)):
        return False                       # 30 个交易日, 百亿美元公司, 10 元以下的消费占比
    if q.kind == "count" and q.qualifier == "exact" and q.unit is None and q.value is not None \
            and q.value < 10 and not _DIGIT.search(q.text):
        return False                       # 三条路径, 两家公司, 一位导演: wording, not a measure
    return True


# --- subject ----------------------------------------------------------------------------------

def _subjects(text: str, q: Quantity, clause: tuple[int, int], sentence: Sentence,
              entities: list[EntityMention], places: list[EntityMention],
              candidates: list[EntityMention], topic: EntityMention | None, checks: "_NameChecks"
              ) -> list[tuple[EntityMention | None, bool]]:
    """(subject, resolved-from-context) pairs; several when ``A、B`` share one figure.

    ``entities`` are the sentence's names but places, ``candidates`` those of them that
    ``_NameChecks.never_subject`` lets through (the same for every figure of the sentence).
    """
    figure_start = q.start
    gap_start = figure_start                       # where the white space right before the figure starts
    while gap_start and text[gap_start - 1].isspace():
        gap_start -= 1
    adjacent = None
    for e in reversed(entities):
        if gap_start <= e.end <= figure_start:
            adjacent = e
            break
    if adjacent is not None and not any(clause[0] <= e.start < adjacent.start for e in entities):
        return [(adjacent, False)]                 # ``与 TikTok 50% 的首日留存率``; not ``X 持有大众 31.9%``
    if q.unit in ("x", "%"):                       # ``竞品 PixVerse 的 6.4 倍``: the thing compared against
        before = [e for e in candidates if e.end <= figure_start
                  and not (text.find("的", e.end, figure_start) >= 0        # (a cheap test first)
                           and _COMPARED_AGAINST.match(text, e.end, figure_start))]
    else:
        before = [e for e in candidates if e.end <= figure_start]
    if any(e.label != "PERSON" for e in before) or topic is not None:
        before = [e for e in before if e.label != "PERSON"]   # 董事长朱江明: the company's figures
    in_clause = [e for e in before if e.start >= clause[0]]
    if not in_clause:     # ``上海 GMV 同比增速为 16.8%``: a place opening the clause, when no name does
        in_clause = [e for e in places if clause[0] <= e.start and e.end <= q.start]
        if in_clause and not _PLACE_LEAD.fullmatch(text, clause[0], in_clause[0].start):
            in_clause = []
    pronoun_at = _pronoun_before(text, clause[0], in_clause[0].start if in_clause else q.start)
    if in_clause and pronoun_at is None:
        first = _head_of_phrase(text, _appositive(text, in_clause[0], in_clause), in_clause)
        return [(e, False) for e in _coordinated(text, first, in_clause)]
    if pronoun_at is None:
        for clause_start, _ in reversed([c for c in sentence.clauses if c[1] <= clause[0]]):
            head = checks.first_in_subject_position(before, clause_start, clause[0])
            if head is not None and _pronoun_before(text, clause_start, head.start) is not None:
                break                              # ``这家快手旗下的平台``: the pronoun's referent
            if head is not None:
                return [(_head_of_phrase(text, _appositive(text, head, before), before), False)]
    else:
        # ``中国电建 6 月 21 日公告，公司新签合同金额 3862 亿元``: the pronoun points back to the
        # name that opened an earlier clause of the same sentence.
        opened = [e for e in before if e.end <= pronoun_at and e.label != "PERSON"
                  and checks.in_subject_position(e, _clause_of(sentence, e.start)[0])]
        if opened:
            return [(opened[0], True)]
    return [(topic, True)] if topic is not None else [(None, False)]


_COUNTED_KIND = regex.compile(
    r"\s*家\s*(?:(?P<what>[^，,。；;：:]{1,16}?)的\s*)?(?P<kind>(?:[A-Za-z][A-Za-z0-9]*\s*)?\p{Han}{0,6}?"
    r"(?:公司|企业|品牌|车企|厂商|机构|银行|券商))(?P<after>[^，,。；;：:0-9]{0,6})", regex.V1)
COMPANY_COUNT = "company_count"


def _counted_kind(text: str, q: Quantity, clause: tuple[int, int]
                  ) -> tuple[EntityMention, MetricMention] | None:
    """``23 家获得融资的 AI 公司``: a count of companies is about that kind of company,
    and what is counted (获得融资, or 卖了 in ``3 家 AI 公司卖了超 1 亿美元``) is its metric."""
    if q.unit is not None or q.is_range:
        return None
    if text[q.end:clause[1]].lstrip(SPACES)[:1] != "家":
        return None                        # the pattern cannot match: no need to try it
    match = _COUNTED_KIND.match(text, q.end, clause[1])
    if match is None:
        return None
    kind = EntityMention(match.start("kind"), match.end("kind"), match.group("kind"), "MARKET", source="count")
    what = "what" if match.group("what") else "after"
    start, end = match.span(what)
    words = text[start:end].strip()
    if words:
        start = text.index(words, start)
        metric = MetricMention(start, start + len(words), words, COMPANY_COUNT)
    else:
        metric = MetricMention(kind.start, kind.end, kind.text, COMPANY_COUNT)
    return kind, metric




_SOURCE_BEFORE = ("据", "根据", "援引", "来自", "引述", "参考")
_MODIFIER_GAP = regex.compile(r"^[^，,。；;：:]{0,6}的[^，,。；;：:]{0,12}$")




def _head_of_phrase(text: str, e: EntityMention, in_clause: list[EntityMention]) -> EntityMention:
    """``英伟达投资的 GPU 算力租赁公司 CoreWeave``: the name after ``X 的`` is the head."""
    for other in in_clause:
        if other.start >= e.end and "的" in (gap := text[e.end:other.start]) and _MODIFIER_GAP.match(gap):
            e = _appositive(text, other, in_clause)
    return e


def _appositive(text: str, e: EntityMention, following: list[EntityMention]) -> EntityMention:
    """``付费短剧《兴安岭诡事》``: a generic name right before a specific one yields to it."""
    for other in following:
        if other.start >= e.end and not text[e.end:other.start].strip("《“\" "):
            return other
    return e


_PREPOSITIONS = ("在", "于", "对", "向", "从", "与", "和", "跟", "比", "据", "根据", "被", "把", "给", "让", "使", "由",
                 "即", "如", "像", "以", "受")
_SOURCE_AFTER = regex.compile(r"^[\sA-Za-z]{0,8}(?:品牌|官方|研究院|公司)?(?:数据显示|显示|报道|表示|称|指出|透露|统计|援引|公布|披露|发布的|的数据|的报告|研究报告|消息|监测)")




_SPACES_AND_LATIN = SPACES + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_SOURCE_AFTER_FIRST = frozenset("品官研公数显报表称指透统援披发的消监")   # first characters of _SOURCE_AFTER's words


class _NameChecks:
    """The checks on a name that depend only on where it stands, each done once per article
    (a sentence with several figures asks them of the same names again and again)."""

    def __init__(self, text: str):
        self.text = text
        self._after_preposition: dict[int, bool] = {}
        self._before_source_words: dict[int, bool] = {}
        self._never_subject: dict[tuple[int, int], bool] = {}
        self._in_subject_position: dict[tuple[int, int, int], bool] = {}

    def after_preposition(self, start: int) -> bool:
        found = self._after_preposition.get(start)
        if found is None:
            # ``(?:在|于|...)\s*$`` in the 3 characters before, as plain string tests
            found = self._after_preposition[start] = \
                self.text[max(0, start - 3):start].rstrip(SPACES).endswith(_PREPOSITIONS)
        return found

    def before_source_words(self, end: int) -> bool:
        """``X 数据显示``."""
        found = self._before_source_words.get(end)
        if found is None:
            after = self.text[end:end + 16]
            # the pattern's words start after spaces and Latin letters: test that character first
            found = self._before_source_words[end] = \
                after.lstrip(_SPACES_AND_LATIN)[:1] in _SOURCE_AFTER_FIRST and bool(_SOURCE_AFTER.match(after))
        return found

    def near_clause_start(self, start: int, clause_start: int) -> bool:
        """At most 8 characters but spaces from the clause start; false for every later start
        once false (the stripped words before only grow)."""
        return start - clause_start <= 8 or len(self.text[clause_start:start].strip()) <= 8

    def in_subject_position(self, e: EntityMention, clause_start: int) -> bool:
        key = (clause_start, e.start, e.end)
        found = self._in_subject_position.get(key)
        if found is None:
            found = self._in_subject_position[key] = (
                self.near_clause_start(e.start, clause_start)
                and not self.after_preposition(e.start) and not self.before_source_words(e.end))
        return found

    def first_in_subject_position(self, names: list[EntityMention], clause_start: int,
                                  limit: int) -> EntityMention | None:
        """The first of ``names`` (sorted) starting in ``[clause_start, limit)`` in subject
        position for the clause starting at ``clause_start``."""
        for index in range(bisect_left(names, clause_start, key=_START), len(names)):
            e = names[index]
            if e.start >= limit or not self.near_clause_start(e.start, clause_start):
                return None
            if self.in_subject_position(e, clause_start):
                return e
        return None

    def never_subject(self, e: EntityMention) -> bool:
        """A listed object (``与小米、网易等合作``), a source (``据 X``) or after a preposition,
        whatever figure follows."""
        key = (e.start, e.end)
        found = self._never_subject.get(key)
        if found is None:
            text = self.text
            found = self._never_subject[key] = bool(
                text[max(0, e.start - 4):e.start].rstrip(SPACES).endswith(_LISTED_OBJECT_BEFORE)
                or text[max(0, e.start - 3):e.start].rstrip(SPACES).endswith(_SOURCE_BEFORE)
                or self.before_source_words(e.end)
                or self.after_preposition(e.start))
        return found


_COORDINATOR = regex.compile(r"\s*(?:、|和|及|与)\s*")


def _coordinated(text: str, first: EntityMention, in_clause: list[EntityMention]) -> list[EntityMention]:
    """``C10、C16 月销过万``: names joined by 、/和/及 before the figure all share it."""
    group = [first]
    for e in in_clause[1:]:
        if _COORDINATOR.fullmatch(text, group[-1].end, e.start):
            group.append(e)
        else:
            break
    return group


_PRONOUN_FIRST = re.compile("[其该这公它后前]")     # what each PRONOUN word starts with (stdlib re: cheaper)


def _pronoun_before(text: str, start: int, end: int) -> int | None:
    if _PRONOUN_FIRST.search(text, start, end) is None:
        return None                        # most clauses: no need to run the pattern
    match = PRONOUN.search(text, start, end)
    return match.start() if match else None


def _next_topic(text: str, sentence: Sentence, entities: list[EntityMention],
                topic: EntityMention | None, checks: _NameChecks | None = None) -> EntityMention | None:
    """The topic later sentences without a name talk about: the first name in subject position.

    People are not topics: ``朱江明对 2025 年有信心`` does not make him the subject of the
    company's figures that follow.

    A sentence that opens with a pronoun (``使其在快手内部...``) keeps the current topic.
    """
    entities = [e for e in entities if e.source != PLACE]
    if not entities:
        return topic
    if checks is None:
        checks = _NameChecks(text)
    starts = [e.start for e in entities]            # names are sorted
    first_start, last_start = starts[0], starts[-1]
    for clause_start, clause_end in sentence.clauses:
        if clause_end <= first_start:
            continue
        if clause_start > last_start:
            break
        in_clause = entities[bisect_left(starts, clause_start):bisect_left(starts, clause_end)]
        if not in_clause:
            continue
        first_pronoun = _pronoun_before(text, clause_start, clause_end)
        for e in in_clause:
            if first_pronoun is not None and first_pronoun < e.start:
                return topic
            if e.label != "PERSON" and checks.in_subject_position(e, clause_start):
                return _head_of_phrase(text, e, in_clause)
    return topic


# --- metric -----------------------------------------------------------------------------------

_ATTACHED = regex.compile(r"\s*[张台辆家个杯单件部次名位条款只人户座艘架套份笔项轮]?\s*$")
# A noun of measure right before the figure (合同金额, 结算价, 渗透率): the figure's own metric words.
_OWN_MEASURE_WORD = regex.compile(
    r"\p{Han}(?:金额|总额|余额|额|量|数|率|价|费|值|规模|收入|利润|指数|比重|占比)\s*"
    r"(?:为|达|是|约|约为|达到|超过|仅|仅为|有)?\s*$", regex.V1)
_OF = regex.compile(r"\s*(?:左右|以上|以下|多)?\s*的\s*$")
_LEVEL_AFTER_CHANGE = regex.compile(r"[、，,]?\s*(?:至|到)\s*$")


_NO_SPACES = str.maketrans("", "", SPACES)
_MOST_WORDS_OF_OR_ATTACHED = 3     # characters but spaces _OF (``左右的``) or _ATTACHED allow


def _metric(text: str, q: Quantity, clause: tuple[int, int], metrics: list[MetricMention],
            metric_kind: Callable[[MetricMention], str | None] | None,
            starts: list[int]) -> MetricMention | None:
    """``starts``: the metrics' starts (they are sorted)."""
    figure_end = q.end
    following = metrics[bisect_left(starts, figure_end):]
    # A gap only grows with the next metric: once it holds more words than _OF or _ATTACHED
    # allow, no later metric can match them (in a long list of figures, most are that far).
    near = []
    for m in following:
        gap = text[figure_end:m.start].strip(SPACES)
        if len(gap) > _MOST_WORDS_OF_OR_ATTACHED and \
                len(gap.translate(_NO_SPACES)) > _MOST_WORDS_OF_OR_ATTACHED:
            break
        near.append((m, gap))
    # (a gap that cannot match is told by a string test, before the pattern is tried)
    for m, gap in near:
        if gap.endswith("的") and _OF.match(text, figure_end, m.start):    # ``贡献了将近 70% 的营业收入``
            return m
    for m, gap in near:
        if len(gap) <= 1 and _ATTACHED.match(text, figure_end, m.start):  # ``享受 2000 元至 1 万元补贴``, ``百万下载``
            return m
    # a metric starting after the figure's start cannot end before it
    before = bisect_right(starts, q.start)
    chosen = None
    for index in range(before - 1, -1, -1):
        m = metrics[index]
        if m.start < clause[0]:
            break
        if m.end <= q.start:
            chosen = m
            break
    if chosen is not None:
        if metric_kind is not None and q.unit not in RATIO_UNITS and metric_kind(chosen) in CHANGE_KINDS \
                and _LEVEL_AFTER_CHANGE.search(text, chosen.end, q.start):
            # ``营收同比增长 0.7%、至 3246.6 亿欧元``: the level belongs to 营收, not to 增长
            levels = [m for m in metrics if m.end <= chosen.start and metric_kind(m) not in CHANGE_KINDS]
            if levels:
                return levels[-1]
        return chosen
    # (the first metric after the figure is the nearest: a later one's gap only grows)
    if following and following[0].start < clause[1] \
            and len(text[figure_end:following[0].start].strip()) <= _MAX_METRIC_AFTER_GAP:
        return following[0]
    if _OWN_MEASURE_WORD.search(text, clause[0], q.start):
        return None      # ``境外合同金额 574 亿元``: its own (unknown) metric words, not the last clause's
    for index in range(before - 1, -1, -1):
        if metrics[index].end <= q.start:
            return metrics[index]
    return None


_GAP_PUNCTUATION = regex.compile(r"[\s,，:：;；、\"“”]+")
_WORD_AFTER = regex.compile(r"\s*([\p{Han}A-Za-z]{1,6})")


def _fallback_metric_text(text: str, q: Quantity, clause: tuple[int, int], subject_end: int) -> str:
    """No metric word known: the words between the subject and the figure, as written."""
    start = max(clause[0], subject_end)
    words = _GAP_PUNCTUATION.sub("", text[start:q.start])
    if not words:
        tail = _WORD_AFTER.match(text, q.end, clause[1])
        words = tail.group(1) if tail else ""
    return words[-12:]


# --- 分别 lists -------------------------------------------------------------------------------

_RESPECTIVELY = "分别"


def _respectively_metrics(text: str, sentence: Sentence, quantities: list[Quantity],
                         metrics: list[MetricMention]) -> dict[int, MetricMention]:
    """``ARPU、平均订单量均有上涨，涨幅分别为 3.7% 和 3%``: metrics paired with values in order.

    (Times of such lists, ``2018-2021 年...分别为 a，b，c，d``, are paired by ``time_for_fact``.)
    """
    at = text.find(_RESPECTIVELY, sentence.start, sentence.end)
    if at < 0:
        return {}
    values = [q for q in quantities if q.start >= at + len(_RESPECTIVELY)]
    enumerated = _enumeration(text, [m for m in metrics if m.end <= at])
    if len(values) < 2 or len(enumerated) != len(values):
        return {}
    return {id(q): m for q, m in zip(values, enumerated)}


_LIST_JOINER = regex.compile(r"\s*(?:、|和|及|与|以及)\s*")


def _enumeration(text: str, mentions: list) -> list:
    """The last run of two or more mentions joined by 、/和/及."""
    runs: list[list] = []
    for m in mentions:
        if runs and _LIST_JOINER.fullmatch(text, runs[-1][-1].end, m.start):
            runs[-1].append(m)
        else:
            runs.append([m])
    runs = [r for r in runs if len(r) > 1]
    return runs[-1] if runs else []


# --- assembling -------------------------------------------------------------------------------

_validate_fact = Fact.__pydantic_validator__.validate_python    # Fact.model_validate without its Python wrapper
_validate_subject = SubjectRef.__pydantic_validator__.validate_python
_validate_metric = MetricRef.__pydantic_validator__.validate_python
_validate_evidence = Evidence.__pydantic_validator__.validate_python
_METRIC_REFS: dict[tuple[str | None, str], MetricRef] = {}     # (name, words) -> MetricRef, across articles
_MAX_METRIC_REFS = 50_000


class _Parts:
    """The parts of facts that many facts share (a sentence's names, its metric words, its span),
    each validated once: a Fact given a validated part keeps it as it is (pydantic does not
    validate a model instance again), so the facts are the same as if each part were validated
    in every fact."""

    def __init__(self, written: str):
        self.written = written
        self._subjects: dict[tuple[int, int, bool], SubjectRef] = {}
        if len(_METRIC_REFS) > _MAX_METRIC_REFS:
            _METRIC_REFS.clear()

    def subject(self, subject: EntityMention, resolved: bool) -> SubjectRef:
        key = (subject.start, subject.end, resolved)
        ref = self._subjects.get(key)
        if ref is None:
            ref = self._subjects[key] = _validate_subject(
                {"text": self.written[subject.start:subject.end], "type": subject.label,
                 "span": None if resolved else (subject.start, subject.end)})
        return ref

    def metric(self, name: str | None, words: str) -> MetricRef:
        key = (name, words)
        ref = _METRIC_REFS.get(key)
        if ref is None:
            ref = _METRIC_REFS[key] = _validate_metric({"name": name, "text": words})
        return ref

    @staticmethod
    def evidence(sentence: Sentence) -> Evidence:
        return _validate_evidence({"span": (sentence.start, sentence.end)})


def _fact(text: str, parts: _Parts, q: Quantity, unit: str | None, subject: EntityMention | None, resolved: bool,
          metric: MetricMention | None, time: str | None, clause: tuple[int, int],
          sentence: Sentence, evidence: Evidence, same_measure: MetricRef | None = None,
          estimated: bool = True) -> Fact:
    """``estimated=False``: the sentence holds no forecast word at all (saves the search)."""
    written = parts.written
    subject_ref = None if subject is None else parts.subject(subject, resolved)
    if metric is not None:
        metric_ref = parts.metric(metric.name, written[metric.start:metric.end])
    elif same_measure is not None:
        metric_ref = same_measure
    else:
        subject_end = subject.end if subject is not None and not resolved else clause[0]
        metric_ref = parts.metric(None, _fallback_metric_text(written, q, clause, subject_end))
    direction = q.direction
    if not direction:
        direction = _direction(text[max(clause[0], q.start - 6):q.start]) \
            if q.unit in RATIO_UNITS or q.kind == "change" else None
    return _validate_fact({
        "subject": subject_ref,
        "metric": metric_ref,
        "value": {"text": written[q.start:q.end], "span": (q.start, q.end), "value": q.value, "low": q.low,
                  "high": q.high, "unit": unit, "per": q.per, "qualifier": q.qualifier,
                  "direction": direction,
                  "estimated": q.estimated or (estimated and _ESTIMATED.search(text, sentence.start, q.start)
                                               is not None)},
        "time": time,
        "evidence": evidence,
    })


def _direction(tail: str) -> str | None:
    """增长/下降 in the last characters before a change figure; the number itself stays as written."""
    if _DIRECTION_CHARS.isdisjoint(tail):
        return None                        # neither pattern can match
    up, down = _UP.search(tail), _DOWN.search(tail)
    if up and (not down or up.start() > down.start()):
        return "up"
    if down:
        return "down"
    return None


def _clause_of(sentence: Sentence, position: int) -> tuple[int, int]:
    for clause in sentence.clauses:
        if clause[0] <= position < clause[1]:
            return clause
    return (sentence.start, sentence.end)


def _between(items: list, starts: list[int], start: int, end: int) -> list:
    return items[bisect_left(starts, start):bisect_left(starts, end)]
