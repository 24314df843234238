"""The text-safety rules of the output layer, without a database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kccperf.output.text import (
    TRUNCATED,
    XLSX_CELL_LIMIT,
    clean_text,
    escape_formula,
    spreadsheet_value,
    truncate,
    xlsx_text,
)
from tests.kccperf.hostile import CONTROLS, LONE_SURROGATE, NONCHARACTERS

# What XML 1.0 allows: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF.
XML_CHAR = re.compile("^[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$")
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()))


@given(any_text)
def test_clean_text_leaves_only_characters_xml_allows(text):
    assert XML_CHAR.match(clean_text(text))


@given(any_text)
def test_clean_text_is_idempotent_and_keeps_clean_text_whole(text):
    once = clean_text(text)
    assert clean_text(once) == once


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xD7FF)))
def test_ordinary_text_is_unchanged(text):
    assert clean_text(text) == text


@pytest.mark.parametrize(
    "char", [c for c in CONTROLS if c not in "\r\x0b\x0c"] + list(NONCHARACTERS)
)
def test_each_illegal_character_is_dropped(char):
    assert clean_text(f"a{char}b") == "ab"


def test_words_line_and_page_breaks_become_line_breaks_and_surrogates_show():
    assert clean_text("one\x0btwo\x0cthree") == "one\ntwo\nthree"
    assert clean_text(f"a{LONE_SURROGATE}b") == "a\ufffdb"
    assert clean_text("tab\tline\nreturn\r") == "tab\tline\nreturn\r"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "-3"])
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert escape_formula(text) == "'" + text


def test_numbers_dates_and_plain_text_are_left_alone():
    assert escape_formula(-3) == -3
    assert escape_formula(Decimal("-3.5")) == Decimal("-3.5")
    assert escape_formula("Customer Services") == "Customer Services"
    assert escape_formula(None) is None
    assert spreadsheet_value(-3) == -3
    assert spreadsheet_value(date(2019, 9, 30)) == date(2019, 9, 30)
    assert spreadsheet_value(True) is True


def test_control_characters_cannot_hide_a_formula():
    assert spreadsheet_value("\x01\x02=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0"


def test_aware_times_are_written_in_london_time():
    summer = datetime(2019, 7, 1, 11, 0, tzinfo=UTC)
    assert spreadsheet_value(summer) == datetime(2019, 7, 1, 12, 0)


def test_an_xlsx_cell_is_truncated_with_a_visible_marker():
    text = xlsx_text("x" * 100_000)
    assert len(text) == XLSX_CELL_LIMIT and text.endswith(TRUNCATED)
    assert xlsx_text("x" * XLSX_CELL_LIMIT) == "x" * XLSX_CELL_LIMIT


@given(st.text(alphabet=st.sampled_from("a😀é"), max_size=60), st.integers(50, 80))
def test_truncation_counts_what_excel_counts(text, limit):
    # Excel counts UTF-16 code units: an emoji counts twice.
    out = truncate(text, limit)
    assert len(out.encode("utf-16-le")) // 2 <= limit
    assert out == text or out.endswith(TRUNCATED)
