"""One CSV writer for every download, with spreadsheet formulas neutralised ("CSV injection").

A text cell starting with what a spreadsheet runs as a formula gets a leading ', which the
spreadsheet shows as text; the network's import takes it off again.
"""

import csv
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """The text of one cell: empty for None, a leading ' before text that starts like a formula.

    Numbers stay as they are: -3 opens as a number and runs nothing. Text is neutralised whatever
    follows its first character, "-3" included, because "-3+A1" would run too.
    """
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a StreamingHttpResponse."""

    def write(self, value):
        return value


def csv_lines(rows, delimiter=","):
    """Rows as CSV lines (CRLF), one at a time, for a StreamingHttpResponse or joined."""
    writer = csv.writer(_Echo(), delimiter=delimiter)
    return (writer.writerow([cell(value) for value in row]) for row in rows)
