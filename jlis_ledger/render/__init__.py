"""Tables (:class:`jlis_ledger.table.Table`) to text, CSV, JSON, workbooks and PDF: the one renderer.

- :mod:`.present` — the printed form of a table (its presentation metadata read once), which
  text, workbooks and PDF share: the entity, 和暦 dates, （単位：円）, the published heads, each
  column's display sign, the negative and zero marks, the two-column form of 利益の処分;
- :func:`text` — aligned columns for a terminal (East Asian wide characters count two), amounts
  in 円, 千円, 百万円 or 億円 rounded half up as published, negatives ``-``, ``△`` or ``▲``;
- :func:`csv_text` — the contract: UTF-8, a header row, ``科目`` then one column per value
  column, rows in published order, signed integer yen; a text cell that a spreadsheet would
  evaluate (``=``, ``+``, ``-``, ``@``, tab, CR) is neutralised;
- :func:`json_text` — :meth:`Table.to_dict`;
- :mod:`.xlsx` — one sheet per table that prints like the report (A4, one page wide, heads and
  labels repeated, a stamped header and footer), exact yen in every cell, texts never formulas;
- :mod:`.pdf` — the PDF laid out like the published pages, the Japanese font embedded (:mod:`.fonts`);
- :mod:`.stamp` — what every printed page says about itself (revision, 照合, 作成日);
- :func:`write` — any of these to a file, atomically (nothing is left half-written).
"""

from jlis_ledger.core.numbers import NEGATIVES, UNITS, figure, scaled
from jlis_ledger.render.csv import csv_text, neutralise
from jlis_ledger.render.files import OutputError, write
from jlis_ledger.render.json import json_text
from jlis_ledger.render.text import grid, pad, text, width

#: The first release's name for :func:`jlis_ledger.core.numbers.figure`.
number = figure

FORMATS = ("text", "csv", "json", "xlsx", "pdf")

__all__ = ["FORMATS", "NEGATIVES", "UNITS", "OutputError", "csv_text", "figure", "grid", "json_text", "neutralise",
           "number", "pad", "scaled", "text", "width", "write"]
