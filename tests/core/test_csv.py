"""The one CSV writer: what a spreadsheet would run as a formula arrives as text."""

import csv
import io
from decimal import Decimal

import pytest

from kiezwerk.core.csv import cell, csv_lines


@pytest.mark.parametrize("first", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_gets_a_leading_apostrophe(first):
    assert cell(f"{first}SUM(A1:A9)") == f"'{first}SUM(A1:A9)"


def test_harmless_text_and_empty_values_stay():
    assert cell("Müll - bitte abholen") == "Müll - bitte abholen"
    assert cell("a=b, c@d") == "a=b, c@d"
    assert cell("") == cell(None) == ""


def test_numbers_stay_numbers_but_text_like_a_number_is_neutralised():
    # A number opens as a number and runs nothing; text cannot be told from "-3+A1" without parsing it.
    assert (cell(-3), cell(-2.5), cell(Decimal("-1.25")), cell(0)) == ("-3", "-2.5", "-1.25", "0")
    assert cell("-3") == "'-3"


def test_lines_are_csv_and_read_back_with_the_apostrophe():
    lines = list(csv_lines([["title", "count"], ["=1+1", -3], ['Komma, "Zitat"', 4]], delimiter=";"))
    assert lines[0] == "title;count\r\n"
    assert list(csv.reader(io.StringIO("".join(lines)), delimiter=";")) == [
        ["title", "count"],
        ["'=1+1", "-3"],
        ['Komma, "Zitat"', "4"],
    ]
