"""UK financial years (1 April - 31 March) and their quarters.

Pure arithmetic, no database: "Q2 2019/20" is 1 July - 30 September 2019, its slug is
``2019-20-q2``; Q4 2019/20 is January - March 2020.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_QUARTER_LABEL = re.compile(
    r"^\s*(?:Q(?P<q1>[1-4])\s+(?P<y1>\d{4})\s*[/-]\s*(?P<e1>\d{2})"
    r"|(?P<y2>\d{4})\s*[/-]\s*(?P<e2>\d{2})\s*[-\s]\s*Q(?P<q2>[1-4]))\s*$",
    re.IGNORECASE,
)
_YEAR_LABEL = re.compile(r"^\s*(?P<y>\d{4})\s*[/-]\s*(?P<e>\d{2})\s*$")

#: The financial years a label, slug or URL may name: 2000/01 to 2099/00. Arithmetic
#: (``previous()``, ``window()``) may step outside; parsing what people type may not.
FIRST_YEAR = 2000
LAST_YEAR = 2099


def _check_end(start_year: int, end: str, text: str) -> None:
    if int(end) != (start_year + 1) % 100:
        raise ValueError(f"{text!r}: {start_year}/{end} is not a financial year")
    if not FIRST_YEAR <= start_year <= LAST_YEAR:
        raise ValueError(
            f"{text!r}: the portal holds financial years {FIRST_YEAR}/{(FIRST_YEAR + 1) % 100:02d}"
            f" to {LAST_YEAR}/{(LAST_YEAR + 1) % 100:02d}"
        )


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The financial year starting 1 April ``start_year``."""

    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """From ``2019/20`` or ``2019-20``."""
        match = _YEAR_LABEL.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a financial year like 2019/20")
        start_year = int(match["y"])
        _check_end(start_year, match["e"], text)
        return cls(start_year)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def slug(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    def quarters(self) -> list[Quarter]:
        return [Quarter(self.start_year, number) for number in (1, 2, 3, 4)]

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``number`` (1-4) of the financial year starting in ``start_year``."""

    start_year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"quarter number must be 1-4, got {self.number}")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        year = FinancialYear.containing(day)
        # April-June is Q1, ..., January-March is Q4.
        return cls(year.start_year, ((day.month - 4) % 12) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """From a label (``Q2 2019/20``, ``2019/20 Q2``) or a slug (``2019-20-q2``)."""
        match = _QUARTER_LABEL.match(text or "")
        if not match:
            raise ValueError(f"{text!r} is not a quarter like Q2 2019/20")
        if match["q1"]:
            year, end, number = match["y1"], match["e1"], match["q1"]
        else:
            year, end, number = match["y2"], match["e2"], match["q2"]
        _check_end(int(year), end, text)
        return cls(int(year), int(number))

    from_slug = parse

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.financial_year.label}"

    @property
    def slug(self) -> str:
        return f"{self.financial_year.slug}-q{self.number}"

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        year = self.start_year
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    @property
    def months_label(self) -> str:
        """``July - September 2019``."""
        return f"{self.start:%B} – {self.end:%B %Y}"

    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.start_year - 1, 4)
        return Quarter(self.start_year, self.number - 1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.start_year + 1, 1)
        return Quarter(self.start_year, self.number + 1)

    def same_quarter_last_year(self) -> Quarter:
        return Quarter(self.start_year - 1, self.number)

    def rolling_12_months(self) -> tuple[date, date]:
        """The twelve months ending with this quarter: (first day, last day)."""
        return self.window(4)[0].start, self.end

    def window(self, length: int) -> list[Quarter]:
        """The ``length`` quarters ending with this one, oldest first ("the last n quarters")."""
        if length < 1:
            raise ValueError(f"a window holds at least one quarter, got {length}")
        last = self._index()
        return [Quarter._from_index(index) for index in range(last - length + 1, last + 1)]

    def _index(self) -> int:
        """Quarters since Q1 of year 0: consecutive quarters have consecutive indexes."""
        return self.start_year * 4 + self.number - 1

    @classmethod
    def _from_index(cls, index: int) -> Quarter:
        year, offset = divmod(index, 4)
        return cls(year, offset + 1)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from ``first`` to ``last`` inclusive."""
    return last.window(last._index() - first._index() + 1) if first <= last else []
