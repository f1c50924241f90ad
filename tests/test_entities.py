"""Entity stage: our own example sentences, one table per evidence family."""
from __future__ import annotations

import json

import pytest

from pipeline.entities import DEFAULT_LEXICON, LABELS, EntityFinder, load_lexicon
from pipeline.text import normalise, split_sentences


@pytest.fixture(scope="module")
def finder() -> EntityFinder:
    return EntityFinder()


def find(finder: EntityFinder, text: str, pos_tokens=None):
    text = normalise(text)
    return finder.find(text, split_sentences(text), pos_tokens)


def spans(finder: EntityFinder, text: str, pos_tokens=None) -> dict[str, tuple[str, str, str]]:
    return {m.text: (m.label, m.canonical, m.source) for m in find(finder, text, pos_tokens)}


# name as written -> (label, canonical), and the sentences it stands in.
LEXICON_EXAMPLES = {
    ("字节", "ORG", "字节跳动"): ["背靠字节的即梦推出了新功能。"],
    ("ByteDance", "ORG", "字节跳动"): ["ByteDance 在海外招聘工程师。"],
    ("可灵", "PRODUCT", "可灵"): ["可灵的付费用户持续增加。"],
    ("快手", "ORG", "快手"): ["消息一出，快手股价上涨。"],
    ("即梦", "PRODUCT", "即梦"): ["即梦负责人接受了采访。"],
    ("豆包", "PRODUCT", "豆包"): ["豆包的日活仍在增长。"],
    ("NIO", "ORG", "蔚来"): ["NIO 发布了新车。"],
    ("张一鸣", "PERSON", "张一鸣"): ["这是张一鸣早年的判断。"],
    ("中国智能手机市场", "MARKET", "中国智能手机市场"): ["中国智能手机市场继续回暖。"],
}


@pytest.mark.parametrize("written,label,canonical,sentence", [
    (w, lab, can, s) for (w, lab, can), sentences in LEXICON_EXAMPLES.items() for s in sentences])
def test_lexicon_names_and_aliases_link_to_one_canonical(finder, written, label, canonical, sentence):
    found = spans(finder, sentence)
    assert written in found, found
    assert found[written][:2] == (label, canonical)


PATTERN_EXAMPLES = {
    # Latin-led names, digits kept whole
    "据风险投资机构 a16z 的数据，留存率下降。": ("a16z", "ORG"),
    "OpenAI 的 Sora2 应用上线五天。": ("Sora2", "PRODUCT"),
    "谷歌发布了 Veo3.1 视频模型。": ("Veo3.1", "PRODUCT"),
    "新模型 GPT-4o 的调用量翻倍。": ("GPT-4o", "PRODUCT"),
    "初创公司 Zentrova 完成了新一轮融资。": ("Zentrova", "ORG"),
    "xAI 推出的 Grok 3 表现不俗。": ("Grok 3", "PRODUCT"),
    # titles
    "电影《山海长歌》上映首周票房过亿。": ("山海长歌", "WORK"),
    "据《晚风财经》报道，该公司营收增长。": ("晚风财经", "ORG"),
    # company suffixes
    "浙江云帆智能科技有限公司成立于 2019 年。": ("浙江云帆智能科技有限公司", "ORG"),
    "蓝湾控股发布了中期业绩。": ("蓝湾控股", "ORG"),
    "青禾银行的不良率有所下降。": ("青禾银行", "ORG"),
    # person cues
    "公司创始人周明远表示，明年将继续扩张。": ("周明远", "PERSON"),
    "即梦负责人张楠在访谈中谈到了产品。": ("张楠", "PERSON"),
    "据悉，林晓峰认为市场仍有空间。": ("林晓峰", "PERSON"),
    "阿尔贝托·罗西出任首席执行官。": ("阿尔贝托·罗西", "PERSON"),
    # markets
    "同城货运市场的规模持续扩大。": ("同城货运市场", "MARKET"),
    "新能源汽车行业竞争激烈。": ("新能源汽车行业", "MARKET"),
    "多家公司正在进入 AI 视频领域。": ("AI 视频领域", "MARKET"),
    # titles: a paper cited with 据 is media, a law cited with 根据 is a work
    "据《远山周末》报道，该项目已经停工。": ("远山周末", "ORG"),
    "根据《数据安全条例》，平台需要备案。": ("数据安全条例", "WORK"),
    # listed companies named before their code
    "晨曦材料(600123)发布公告称，拟投资新项目。": ("晨曦材料", "ORG"),
}


@pytest.mark.parametrize("sentence,expected", PATTERN_EXAMPLES.items())
def test_pattern_rules(finder, sentence, expected):
    name, label = expected
    found = spans(finder, sentence)
    assert name in found, found
    assert found[name][0] == label
    assert found[name][2] in ("pattern", "lexicon")


NOT_NAMES = {
    "其月活用户突破一千万。": ["其"],
    "该公司表示将继续投入研发。": ["该公司", "公司"],
    "一家公司宣布裁员，这家公司随后回应。": ["一家公司", "这家公司", "公司"],
    "后者的收入更高。": ["后者"],
    "AI 和 GPU 的需求都很旺盛，CEO 也这么认为。": ["AI", "GPU", "CEO"],
    "大众市场对价格更敏感。": ["大众"],
    "这款产品可灵活调整参数。": ["可灵"],
    "这家贷款公司和一家船舶公司合作。": ["贷款公司", "船舶公司"],
    "他在二级市场买入了股票。": ["二级市场"],
    "这是一款 RPG 游戏，也支持 MOD 和 PVP。": ["RPG", "MOD", "PVP"],
    "电影《星海迷途》(StarQuest)下月上映。": ["StarQuest"],
    "魔兽争霸III的玩家仍然很多。": ["III"],
}


def assert_not_found(finder, sentence, words):
    found = spans(finder, sentence)
    for word in words:
        assert word not in found, found


@pytest.mark.parametrize("sentence,words", NOT_NAMES.items())
def test_pronouns_and_ordinary_words_are_not_names(finder, sentence, words):
    assert_not_found(finder, sentence, words)


def test_mentions_are_sorted_non_overlapping_and_offsets_hold(finder):
    text = "字节跳动旗下的抖音和今日头条，与快手在短视频市场竞争；OpenAI 的 ChatGPT 用户增长。"
    mentions = find(finder, text)
    assert mentions, "expected names"
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    for first, second in zip(mentions, mentions[1:]):
        assert first.end <= second.start
    for m in mentions:
        assert text[m.start:m.end] == m.text
        assert m.label in LABELS


def test_longest_match_wins(finder):
    found = spans(finder, "字节跳动发布了新模型。")
    assert "字节跳动" in found and "字节" not in found


def test_latin_name_is_typed_by_its_cue_everywhere(finder):
    text = "初创公司 Zentrova 完成融资。投资人看好 Zentrova 的前景，Zentrova 计划扩张。"
    mentions = [m for m in find(finder, text) if m.text == "Zentrova"]
    assert [m.label for m in mentions] == ["ORG", "ORG", "ORG"]


def test_document_consistency_spreads_a_cue_name(finder):
    text = "创始人沈知远表示将扩张。沈知远去年加入，投资人也认可沈知远。"
    mentions = [m for m in find(finder, text) if m.text == "沈知远"]
    assert len(mentions) == 3
    assert {m.source for m in mentions} == {"pattern", "document"}


def test_document_consistency_links_short_forms_of_a_legal_name(finder):
    text = "浙江云帆智能科技有限公司今日上市。云帆智能的收入主要来自海外，云帆的利润也在增长。"
    found = {m.text: m for m in find(finder, text)}
    assert found["云帆智能"].canonical == "浙江云帆智能科技有限公司"
    assert found["云帆"].canonical == "浙江云帆智能科技有限公司"
    assert found["云帆"].source == "document"


def test_person_found_once_is_found_again(finder):
    text = "公司创始人周明远表示将扩张。此前周明远曾在大厂任职。"
    people = [m for m in find(finder, text) if m.label == "PERSON"]
    assert [m.text for m in people] == ["周明远", "周明远"]


def test_pos_tokens_are_weak_candidates(finder):
    text = "白若溪对此并不意外。"
    assert "白若溪" not in spans(finder, text)
    found = spans(finder, text, [(0, 3, "nr"), (3, 4, "p")])
    assert found["白若溪"] == ("PERSON", "白若溪", "pos")
    # a short or generic word is never a name on POS evidence alone
    assert "公司" not in spans(finder, "公司很好。", [(0, 2, "nt")])


def test_user_dictionary_holds_names_and_aliases(finder):
    words = dict(finder.user_dictionary())
    assert words["字节跳动"] == "nt"
    assert words["字节"] == "nt"
    assert words["可灵"] == "nz"
    assert words["张一鸣"] == "nr"
    assert all(len(w) >= 2 and " " not in w for w in words)


def test_packaged_lexicon_is_large_typed_and_versioned():
    meta, entries = load_lexicon(DEFAULT_LEXICON)
    assert meta.get("version")
    assert len(entries) >= 1500
    assert {e.label for e in entries} <= set(LABELS)
    names = [e.name for e in entries]
    assert len(names) == len(set(names))


def test_custom_lexicon_path(tmp_path):
    path = tmp_path / "mini.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"_meta": {"version": "t1"}},
        {"name": "青鸟云", "type": "ORG", "aliases": ["Qingniao"]},
    ]), encoding="utf-8")
    mini = EntityFinder(path)
    assert mini.version == "t1"
    found = {m.text: m.canonical for m in mini.find("Qingniao 与青鸟云是同一家。", [])}
    assert found == {"Qingniao": "青鸟云", "青鸟云": "青鸟云"}


# left edges, units and descriptions of organisation names found by a suffix
ORG_EDGE_EXAMPLES = {
    "监管部门会全面支持青禾银行渡过难关。": "青禾银行",
    "此后智利政府开始了救援。": "智利政府",
    "交通银行杭州分行的负责人回应了质疑。": "交通银行杭州分行",
    "俄罗斯国防部周二发表声明。": "俄罗斯国防部",
    "沧澜市民政局公布了新规。": "沧澜市民政局",
    # a boundary character inside a common word is no boundary (房|地|产)
    "对于中国房地产协会的倡议，业内反响热烈。": "中国房地产协会",
    # a department, branch or country arm written after a known or found name
    "财政部税政司回应了问题。": "财政部税政司",
    "青禾大学心理学系发布了研究。": "青禾大学心理学系",
    "沧澜县政府办公室发布通知。": "沧澜县政府办公室",
    "沧澜市公安局经济犯罪侦查支队破获一案。": "沧澜市公安局经济犯罪侦查支队",
    "汇丰中国昨日表示将扩张。": "汇丰中国",
    # a known name with its legal form, or its region in brackets
    "中国邮政集团公司已在全国开设网点。": "中国邮政集团公司",
    "东亚银行（中国）有限公司发布公告。": "东亚银行（中国）有限公司",
    # 'former' is no part of the name
    "原沧澜书画研究院副院长出席。": "沧澜书画研究院",
}


@pytest.mark.parametrize("sentence,name", ORG_EDGE_EXAMPLES.items())
def test_organisation_edges(finder, sentence, name):
    found = spans(finder, sentence)
    assert name in found, found
    assert found[name][0] == "ORG"


NOT_ORGS = {
    "他沿着南京东路散步。": ["京东"],
    "行业格局正在改变，内部调整也在进行。": ["行业格局", "格局", "内部"],
    "这是一家视频 AI 公司。": ["视频 AI 公司"],
    "新玩家入局后竞争更激烈。": ["新玩家入局", "玩家入局"],
    "我们要做机器人。": ["要做机器人"],
    "沧澜市公安部门发布了通报。": ["沧澜市公安部"],
    "区政协委员出席了会议。": ["区政协委", "政协委"],
    "已经是板上钉钉的事。": ["钉钉"],
    "这部小说堪与名著媲美的作品。": ["美的"],
    "游客在沙滩收集贝壳。": ["贝壳"],
    "积分约为3600分。": ["360"],
    "该事项被相关监管机构披露。": ["监管机构", "相关监管机构"],
    "这个完整家居方案很贵。": ["个完整家居"],
    "新华社北京3月5日电，会议召开。": ["新华社北京"],
    "腾讯系统升级，财政部表示该局已知悉。": ["腾讯系", "财政部表示该局"],
    "点评：市场回暖。": ["点评"],
}


@pytest.mark.parametrize("sentence,words", NOT_ORGS.items())
def test_descriptions_and_crossed_words_are_not_organisations(finder, sentence, words):
    assert_not_found(finder, sentence, words)


WORD_SET_TEXTS = ["青禾科技有限公司和蓝湾集团股份有限公司", "有限公司公司集团", "表情😀之后的青禾科技有限公司", ""]


@pytest.mark.parametrize("text", WORD_SET_TEXTS)
def test_word_set_finds_what_a_longest_first_alternation_finds(text):
    import regex

    from pipeline.entities import _WordSet

    words = ["公司", "有限公司", "股份有限公司", "集团", "科技", "司集"]
    alternation = regex.compile("|".join(sorted(words, key=len, reverse=True)))
    assert _WordSet(words).spans(text) == [m.span() for m in alternation.finditer(text)]


def test_a_name_that_opens_a_results_announcement_is_an_organisation(finder):
    found = finder.find("青禾燃气发布上半年业绩快报，营业收入 14 亿元。")
    assert [(e.text, e.label) for e in found] == [("青禾燃气", "ORG")]
    assert finder.find("我们发布了新的业绩目标。") == []


@pytest.mark.parametrize("text, names", [
    ("青禾科创涨超 18%，沧澜园林涨超 12%。", ["青禾科创", "沧澜园林"]),
    ("青禾超净大涨超 12%，公司预计上半年净利润 3 亿元。", ["青禾超净"]),
    ("股价大涨超 5%，该股涨 3%，大盘低开 1%。", []),
    ("青禾大地双双涨停，沧澜园林至少涨超 5%。", ["青禾大地", "沧澜园林"]),
])
def test_a_name_that_moves_on_the_market_is_an_organisation(finder, text, names):
    assert [e.text for e in finder.find(text)] == names


def test_bare_place_names_are_weak_other_mentions(finder):
    found = finder.find("江苏、浙江两省增速最快，北京时间周一，中国智能手机市场回暖。")
    assert [(e.text, e.label, e.source) for e in found if e.source == "region"] == [
        ("江苏", "OTHER", "region"), ("浙江", "OTHER", "region")]


PLACE_TEXTS = ["美国和中国香港、江苏南京的企业，北京时间周一", "浙江省杭州市与上海市", "表情😀之后的广东深圳"]


@pytest.mark.parametrize("text", PLACE_TEXTS)
def test_place_word_set_finds_what_the_place_pattern_finds(finder, text):
    words = finder.words
    assert words.place_words.spans(text) == [m.span() for m in words.place_pattern.finditer(text)]


def test_word_set_lists_every_end_longest_first():
    from pipeline.entities import _WordSet

    found = _WordSet(["有限", "有限公司", "公司", "限公"]).ends_at("某有限公司")
    assert found == {1: [5, 3], 2: [4], 3: [5]}


# Texts for the scan-driven helpers: cues, dots, the scanner's own paths.
SCAN_TEXTS = [
    "晨曦材料(600123)发布公告称，青禾科创涨超 18%，沧澜园林跌停。",
    "公告：青禾燃气晚间公告，公布了上半年业绩快报，大盘低开 1%，高开 2%。",
    "阿尔贝托·罗西与玛丽•安托瓦内特在北京的浙江云帆智能科技有限公司表示，",
    "他在上海市和美国旗下的公司宣布，中国香港、江苏南京的银行",
    "表情😀之后的广东深圳\n换行后的文字，还有\u0100和\uffff这样的字符。",
]


def _scan_spots(finder, text):
    return finder._scan(text)[1]


@pytest.mark.parametrize("text", SCAN_TEXTS)
def test_listed_cues_are_the_cue_pattern_matches(finder, text):
    from pipeline.entities import _LISTED_CUE, _listed_cues

    spots = _scan_spots(finder, text)
    assert [m.span() for m in _listed_cues(text, spots)] == [m.span() for m in _LISTED_CUE.finditer(text)]


@pytest.mark.parametrize("text", SCAN_TEXTS)
def test_the_scanner_finds_what_the_plain_lookups_find(finder, text):
    """The automaton's extra paths (common characters) never show up as matches."""
    surfaces, lists = finder._scanner.scan(text)
    assert sorted((start, end) for start, end, _ in surfaces) == sorted(finder.surfaces.matches(text))
    for name, pairs in zip(finder._scanner.names, lists):
        assert pairs == getattr(finder.words, name).pairs(text.replace("😀", "\uffff")), name


def test_foreign_names_are_found_at_their_dots(finder):
    text = SCAN_TEXTS[2]
    from pipeline.entities import _FOREIGN_PERSON, _foreign_names

    assert list(_foreign_names(text, _scan_spots(finder, text))) == [m.span() for m in _FOREIGN_PERSON.finditer(text)]
    assert [text[a:b] for a, b in _foreign_names(text, _scan_spots(finder, text))] == ["阿尔贝托·罗西", "玛丽•安托瓦内特"]
