"""Text stage: length-preserving normalisation, decoding errors, sentences and clauses."""
import pytest

from pipeline.text import InputError, decode, normalise, split_sentences


@pytest.mark.parametrize("raw, expected", [
    ("１２００万", "1200万"),
    ("ＡＲＰＵ达到６．４倍", "ARPU达到6.4倍"),
    ("收入\u30001.4 亿", "收入 1.4 亿"),
    ("增长５０％", "增长50%"),
    ("其一，收入增长", "其一，收入增长"),    # full-width comma kept: it separates clauses
])
def test_normalise_folds_full_width_and_odd_spaces(raw, expected):
    assert normalise(raw) == expected
    assert len(normalise(raw)) == len(raw)


def test_decode_utf8_with_bom_and_gb18030():
    assert decode("收入".encode("utf-8-sig")) == "收入"
    assert decode("收入".encode("gb18030"), "gb18030") == "收入"


@pytest.mark.parametrize("data, encoding, message", [
    ("收入".encode("gb18030"), None, "not valid utf-8-sig"),
    (b"\x00\x01\x02binary", None, "binary"),
    (b"abc", "no-such-codec", "unknown encoding"),
])
def test_decode_errors_are_one_line(data, encoding, message):
    with pytest.raises(InputError) as err:
        decode(data, encoding, name="a.txt")
    assert message in str(err.value) and "\n" not in str(err.value)


def test_sentences_and_clauses_keep_offsets():
    text = "星河的营收为 1,200 万元，同比增长 5%。\n\n其净利润为 3 亿元!"
    sentences = split_sentences(text)
    assert [text[s.start:s.end] for s in sentences] == ["星河的营收为 1,200 万元，同比增长 5%。", "其净利润为 3 亿元!"]
    assert [text[a:b] for a, b in sentences[0].clauses] == ["星河的营收为 1,200 万元，", "同比增长 5%。"]
