"""Tables (:class:`jlis_ledger.table.Table`) to text, CSV, JSON and workbooks: the one renderer.

- :func:`text` — aligned columns for a terminal (East Asian wide characters count two), amounts
  in 円, 千円, 百万円 or 億円 rounded half up as published, negatives ``-``, ``△`` or ``▲``;
- :func:`csv_text` — the contract: UTF-8, a header row, ``科目`` then one column per value
  column, rows in published order, signed integer yen; a text cell that a spreadsheet would
  evaluate (``=``, ``+``, ``-``, ``@``, tab, CR) is neutralised;
- :func:`json_text` — :meth:`Table.to_dict`;
- :mod:`.xlsx` — one sheet per table, numbers as numbers, texts never formulas;
- :func:`write` — any of these to a file, atomically (nothing is left half-written).
"""

from jlis_ledger.core.numbers import NEGATIVES, UNITS, figure, scaled
from jlis_ledger.render.csv import csv_text, neutralise
from jlis_ledger.render.files import OutputError, write
from jlis_ledger.render.json import json_text
from jlis_ledger.render.text import grid, pad, text, width

#: The first release's name for :func:`jlis_ledger.core.numbers.figure`.
number = figure

FORMATS = ("text", "csv", "json", "xlsx")

__all__ = ["FORMATS", "NEGATIVES", "UNITS", "OutputError", "csv_text", "figure", "grid", "json_text", "neutralise",
           "number", "pad", "scaled", "text", "width", "write"]
