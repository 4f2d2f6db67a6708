"""The mapping from an accounting tool's names to this ledger: 勘定科目[+補助科目] → item, 部門 → business.

The mapping is a CSV file kept in the ledger repository (UTF-8, ``#`` starts a
comment line, one header row)::

    種別,名前,補助科目,対応先
    科目,現金及び預金,預金,Assets:1-流動資産:11-現金及び預金:1-預金
    科目,未収金,,Assets:1-流動資産:12-未収金
    部門,一般事業,,B1-一般事業
    部門,,,B1-一般事業

- ``科目`` rows map a 勘定科目 (and optionally a 補助科目) to an account *item*:
  an account without its business component.  A line whose 補助科目 has no row
  of its own uses the row of its 勘定科目 without 補助科目 (the 補助科目 is then
  kept as posting metadata ``sub_account``).
- ``部門`` rows map a 部門 to a declared business label (the last component of
  its accounts).  A ``部門`` row with an empty name is the business of lines
  without 部門.  A common pool (a business with role ``"common"``) is mapped
  like any other business; the allocations plugin splits it, not the importer.
  The elimination column (role ``"elimination"``) cannot be a target: only the
  segments plugin posts there.

Two optional columns after 対応先 serve the tools that name 勘定科目 and 部門
by code (勘定奉行: :mod:`importers.bugyo`): ``コード`` (the 勘定科目コード of a
``科目`` row, the 部門コード of a ``部門`` row) and ``補助コード`` (the
補助科目コード of a ``科目`` row)::

    種別,名前,補助科目,対応先,コード,補助コード
    科目,現金及び預金,預金,Assets:1-流動資産:11-現金及び預金:1-預金,111,1
    部門,一般事業,,B1-一般事業,100

A file without them (the four columns above) stays valid; a row may leave its
code empty.  Codes follow the same rules as names: a 補助コード without a row
of its own uses the row of its コード alone (kept as ``sub_account_code``), a
line without 部門コード uses the default 部門 row (empty name), and a code
mapped twice is an error.

Anything not in the mapping is an error naming the file and row of the input
line.  Exporting uses the mapping backwards: the first row that names an item
or business gives its 勘定科目/補助科目 or 部門.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from beancount.core import account as account_lib

from .errors import InputError

HEADER = ["種別", "名前", "補助科目", "対応先"]
#: Optional columns after HEADER, in this order.
CODE_COLUMNS = ["コード", "補助コード"]
ACCOUNT_KIND = "科目"
DEPARTMENT_KIND = "部門"


@dataclass
class Mapping:
    """科目/補助科目 → item and 部門 → business, with the way back."""

    path: str
    items: dict[tuple[str, str], str] = field(default_factory=dict)  # (科目, 補助科目 or "") -> item
    departments: dict[str, str] = field(default_factory=dict)  # 部門 ("" = lines without one) -> business
    item_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # item -> (科目, 補助科目), first row wins
    business_names: dict[str, str] = field(default_factory=dict)  # business -> 部門, first named row wins
    item_codes: dict[tuple[str, str], str] = field(default_factory=dict)  # (コード, 補助コード or "") -> item
    department_codes: dict[str, str] = field(default_factory=dict)  # 部門コード -> business

    def item(self, name: str, sub: str) -> tuple[str, bool]:
        """The item of a 勘定科目 and 補助科目, and whether the 補助科目 had a row of its own; KeyError if unknown."""
        found = self.items.get((name, sub))
        if found is not None:
            return found, True
        return self.items[(name, "")], not sub

    def business(self, department: str) -> str:
        """The business of a 部門 (KeyError if unknown; "" is the default for lines without one)."""
        return self.departments[department]

    def item_by_code(self, code: str, sub: str) -> tuple[str, bool]:
        """The item of a 勘定科目コード and 補助科目コード, and whether the 補助コード had a row of its own; KeyError if unknown."""
        found = self.item_codes.get((code, sub))
        if found is not None:
            return found, True
        return self.item_codes[(code, "")], not sub

    def business_by_code(self, code: str) -> str:
        """The business of a 部門コード (KeyError if unknown; "" is the default for lines without one)."""
        return self.department_codes[code] if code else self.departments[""]


def load(path: str | Path, businesses=None) -> Mapping:
    """Read a mapping file.  ``businesses``: the ledger's declared businesses (label → Business), to check targets."""
    path = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, 1, f"the mapping file is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise InputError(path, 0, f"cannot read the mapping file: {exc.strerror}") from None
    lines = text.splitlines(keepends=True)
    reader = csv.reader(("\n" if line.startswith("#") else line) for line in lines)
    mapping = Mapping(path)
    header_seen = False
    width = len(HEADER)
    for row in reader:
        lineno = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        cells = [cell.strip() for cell in row]
        if not header_seen:
            if cells[:4] != HEADER or cells[4:] != CODE_COLUMNS[:len(cells) - 4]:
                raise InputError(path, lineno, f"the first row must be the header {','.join(HEADER)} (then optionally "
                                               f"{','.join(CODE_COLUMNS)}); got {','.join(cells)}")
            header_seen = True
            width = len(cells)
            continue
        if not len(HEADER) <= len(cells) <= width:  # the code columns may be left off at the end of a row
            names = ",".join((HEADER + CODE_COLUMNS)[:width])
            expected = f"{width}" if width == len(HEADER) else f"{len(HEADER)} to {width}"
            raise InputError(path, lineno, f"expected {expected} columns ({names}), found {len(cells)}")
        code, sub_code = ([*cells[4:], "", ""])[:2]
        cells = cells[:4]
        kind, name, sub, target = cells
        if kind == ACCOUNT_KIND:
            if not name and not code:
                raise InputError(path, lineno, "a 科目 row needs the 勘定科目 name (or its コード)")
            if not account_lib.is_valid(target):
                raise InputError(path, lineno, f"対応先 {target!r} is not a Beancount account (the item, without its business)")
            if businesses is not None and account_lib.leaf(target) in businesses:
                raise InputError(path, lineno, f"対応先 {target} ends with a business: give the item only ({account_lib.parent(target)}); the business comes from 部門")
            key = (name, sub)
            if name:
                if key in mapping.items:
                    raise InputError(path, lineno, f"科目 {name}{'/' + sub if sub else ''} is mapped twice")
                mapping.items[key] = target
                mapping.item_names.setdefault(target, key)
            if sub_code and not code:
                raise InputError(path, lineno, "a 補助コード needs the コード of its 勘定科目")
            if code:
                if (code, sub_code) in mapping.item_codes:
                    raise InputError(path, lineno, f"コード {code}{'/' + sub_code if sub_code else ''} is mapped twice")
                mapping.item_codes[(code, sub_code)] = target
        elif kind == DEPARTMENT_KIND:
            if sub:
                raise InputError(path, lineno, "a 部門 row has no 補助科目")
            if businesses is not None:
                business = businesses.get(target)
                if business is None:
                    raise InputError(path, lineno, f'business {target!r} is not declared in the ledger (custom "business")')
                if business.is_elimination:
                    raise InputError(path, lineno, f"{target} is the elimination column: only the segments plugin posts there")
            if sub_code:
                raise InputError(path, lineno, "a 部門 row has no 補助コード")
            if code:
                if code in mapping.department_codes:
                    raise InputError(path, lineno, f"部門コード {code} is mapped twice")
                mapping.department_codes[code] = target
            if not name and code:
                continue  # a row for the code only
            if name in mapping.departments:
                raise InputError(path, lineno, f"部門 {name or '(empty)'} is mapped twice")
            mapping.departments[name] = target
            if name:
                mapping.business_names.setdefault(target, name)
        else:
            raise InputError(path, lineno, f"種別 must be {ACCOUNT_KIND} or {DEPARTMENT_KIND}, not {kind!r}")
    if not header_seen:
        raise InputError(path, 1, f"the mapping file is empty; it starts with the header {','.join(HEADER)}")
    return mapping
