"""The reserves report as tables (text, CSV and workbook through :mod:`jlis_ledger.render`) and as data (JSON).

    >>> print(render(report(b, b.fiscal_year(2022))))           # text; "csv", "json"
    >>> jlis_ledger.render.xlsx.write(tables(rep), "reserves.xlsx")

:func:`tables` gives the report's tables in order: 積立金の増減 (each reserve by business), the
振替・利益の処分 lines, 利益の処分, 計画と実績 and the check of the opening balances against the
published history.  :func:`csv_table` is the long form (one figure per row) that the CSV holds.
"""

from __future__ import annotations

import json
from decimal import Decimal

from jlis_ledger.core.numbers import exact, figure
from jlis_ledger.reserves.report import CLOSING, NET_INCOME, OPENING, OTHER, PROVISIONS, RELEASES, Report, Row
from jlis_ledger.table import Column, Table

ZERO = Decimal(0)
CSV_HEADER = ["表", "積立金", "事業", "項目", "開始日", "終了日", "金額", "備考"]


def _text_columns(*labels: str) -> list[Column]:
    return [Column(label, text=True) for label in labels]


def _amounts(*labels: str) -> list[Column]:
    return [Column(label) for label in labels]


def tables(rep: Report) -> list[Table]:
    """The report's tables, in the order of the text rendering."""
    fy = rep.fiscal_year
    out = []
    main = Table("reserves-report", "積立金の増減", _text_columns("事業") + _amounts(OPENING, PROVISIONS, RELEASES, "振替・処分", NET_INCOME, OTHER, CLOSING),
                 label_header="積立金", caption=f"積立金の増減 {fy.japanese} ({fy.start} .. {fy.end})  単位: 円",
                 period=(fy.start.isoformat(), fy.end.isoformat()))
    details = Table("reserves-transfers", "振替・利益の処分の内訳", _text_columns("事業", "項目") + _amounts("金額"), label_header="積立金",
                    caption="振替・利益の処分の内訳")
    for kind in ("負債性積立金", "利益剰余金"):
        for res in (r for r in rep.reserves if r.kind == kind):
            rows = res.rows + ([res.total] if len(res.rows) != 1 else [])
            for i, r in enumerate(rows or [res.total]):
                values = [r.name, r.opening, r.provisions, r.releases, r.transfers_total, r.net_income, r.other, r.closing]
                if r.business is None and rows:
                    main.subtotal(res.label if i == 0 else "", 0, values, res.account)
                else:
                    main.line(res.label if i == 0 else "", 0, values, res.account)
                for label, amount in r.transfers.items():
                    details.line(res.label, 0, [r.name, label, amount])
    general = next((r for r in rep.reserves if r.general), None)
    if general is not None:
        main.notes += ["", f"({general.label}は公表どおり未処分の利益を含む: the year's 当期純利益 is a movement line, as published.)"]
    out.append(main)
    if details.rows:
        out.append(details)
    if rep.appropriation is not None:
        a = rep.appropriation
        labels = list(dict.fromkeys(label for row in [*a.rows, a.total] for label in row.parts))
        t = Table("reserves-appropriation", "利益の処分", _amounts(NET_INCOME, *labels), label_header="事業",
                  caption=f"利益の処分 ({fy.japanese}の当期純利益; {a.date}, {a.filename}:{a.lineno})")
        for row in a.rows:
            t.line(row.name, 0, [row.net_income, *(row.parts.get(label, ZERO) for label in labels)])
        t.subtotal(a.total.name, 0, [a.total.net_income, *(a.total.parts.get(label, ZERO) for label in labels)])
        out.append(t)
    if rep.plans:
        t = Table("reserves-plans", "計画と実績", _text_columns("期間", "区分") + _amounts("積立 計画", "積立 計上", "積立 差異", "取崩 計画", "取崩 計上", "取崩 差異")
                  + _text_columns("精度", "状況"), label_header="積立金", caption="計画と実績 (積立・取崩の計画額、計上額、差異)")
        for p in rep.plans:
            t.line(p.label, 0, [f"{p.start}..{p.end}", p.kind, p.planned_provision, p.booked_provision, p.provision_deviation,
                                p.planned_release, p.booked_release, p.release_deviation, f"±{figure(p.precision / 2)}", p.status])
        t.notes += [f"  {p.label} {p.start}..{p.end}: {p.explanation}" for p in rep.plans if p.explanation]
        out.append(t)
    if rep.history:
        t = Table("reserves-history", "期首残高と公表実績の照合", _text_columns("期間") + _amounts("残高", "公表実績", "差異") + _text_columns("許容差", "状況"),
                  label_header="積立金", caption="期首残高と公表実績の照合")
        for h in rep.history:
            t.line(h.label, 0, [f"{h.start}..{h.date}", h.balance, h.planned, h.deviation, f"±{figure(h.tolerance)}", h.status])
        out.append(t)
    if rep.errors:
        out[-1].notes += ["", f"{len(rep.errors)} error(s) of the reserves plugin:"] + [f"  {e}" for e in rep.errors]
    return out


def csv_table(rep: Report) -> Table:
    """The long form: one figure per row (表, 積立金, 事業, 項目, 開始日, 終了日, 金額, 備考)."""
    fy = rep.fiscal_year
    t = Table("reserves-figures", "積立金の増減", [Column(c, text=c != "金額") for c in CSV_HEADER[1:]], label_header=CSV_HEADER[0])
    start, end = fy.start.isoformat(), fy.end.isoformat()
    for res in rep.reserves:
        for r in [*res.rows, res.total]:
            t.line("増減", 0, [res.label, r.name, OPENING, start, end, r.opening, res.kind])
            for label, amount in r.lines():
                t.line("増減", 0, [res.label, r.name, label, start, end, amount, res.kind])
            t.line("増減", 0, [res.label, r.name, CLOSING, start, end, r.closing, res.kind])
    if rep.appropriation is not None:
        a = rep.appropriation
        date = a.date.isoformat()
        for row in [*a.rows, a.total]:
            t.line("利益の処分", 0, ["", row.name, NET_INCOME, date, date, row.net_income, ""])
            for label, amount in row.parts.items():
                t.line("利益の処分", 0, [label, r.name, "処分額", date, date, amount, ""])
    for p in rep.plans:
        for item, value in (("積立 計画", p.planned_provision), ("積立 計上", p.booked_provision), ("積立 差異", p.provision_deviation),
                            ("取崩 計画", p.planned_release), ("取崩 計上", p.booked_release), ("取崩 差異", p.release_deviation)):
            t.line(p.kind, 0, [p.label, "", item, p.start.isoformat(), p.end.isoformat(), value,
                               p.status + (f": {p.explanation}" if p.explanation else "")])
    for h in rep.history:
        for item, value in (("期首残高", h.balance), ("公表実績", h.planned), ("差異", h.deviation), ("許容差", h.tolerance)):
            t.line("期首残高照合", 0, [h.label, "", item, h.start.isoformat(), h.date.isoformat(), value, h.status])
    return t


def render(rep: Report, fmt: str = "text") -> str:
    """The report as ``text`` (aligned for a terminal, East Asian wide characters counted two), ``csv`` or ``json``
    (a workbook: :func:`jlis_ledger.render.xlsx.write` of :func:`tables`)."""
    from jlis_ledger import render as render_lib  # here: the plugin imports this package, never the renderers

    if fmt == "text":
        return render_lib.text(tables(rep))
    if fmt == "csv":
        return render_lib.csv_text(csv_table(rep))
    if fmt == "json":
        return json.dumps(as_dict(rep), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}: text, csv or json")


def _int(value: Decimal | None) -> int | str | None:
    """An amount for JSON: an integer, or the exact decimal as a string (never truncated)."""
    if value is None:
        return None
    number = exact(value)
    return str(number) if isinstance(number, Decimal) else number


def _row_dict(r: Row) -> dict:
    return {
        "business": r.business, "name": r.name, "opening": _int(r.opening), "provisions": _int(r.provisions),
        "releases": _int(r.releases), "transfers": {k: _int(v) for k, v in r.transfers.items()},
        "net_income": _int(r.net_income), "other": _int(r.other), "change": _int(r.change), "closing": _int(r.closing),
    }


def as_dict(rep: Report) -> dict:
    """The report as plain JSON data (integer yen, ISO dates)."""
    fy = rep.fiscal_year
    a = rep.appropriation
    return {
        "fiscal_year": fy.year, "name": fy.japanese, "start": fy.start.isoformat(), "end": fy.end.isoformat(),
        "currency": rep.currency,
        "reserves": [
            {"account": res.account, "label": res.label, "kind": res.kind, "business": res.business, "general": res.general,
             "rows": [_row_dict(r) for r in res.rows], "total": _row_dict(res.total)}
            for res in rep.reserves
        ],
        "appropriation": None if a is None else {
            "date": a.date.isoformat(), "filename": a.filename, "lineno": a.lineno,
            "rows": [{"business": r.business, "name": r.name, "net_income": _int(r.net_income),
                      "parts": {k: _int(v) for k, v in r.parts.items()}} for r in a.rows],
            "total": {"net_income": _int(a.total.net_income), "parts": {k: _int(v) for k, v in a.total.parts.items()}},
        },
        "plans": [
            {"reserve": p.reserve, "label": p.label, "start": p.start.isoformat(), "end": p.end.isoformat(), "kind": p.kind,
             "planned_provision": _int(p.planned_provision), "planned_release": _int(p.planned_release),
             "booked_provision": _int(p.booked_provision), "booked_release": _int(p.booked_release),
             "provision_deviation": _int(p.provision_deviation), "release_deviation": _int(p.release_deviation),
             "precision": _int(p.precision), "status": p.status, "explanation": p.explanation, "source": p.source}
            for p in rep.plans
        ],
        "history": [
            {"reserve": h.reserve, "label": h.label, "start": h.start.isoformat(), "date": h.date.isoformat(),
             "balance": _int(h.balance), "planned": _int(h.planned), "deviation": _int(h.deviation),
             "tolerance": _int(h.tolerance), "status": h.status}
            for h in rep.history
        ],
        "errors": rep.errors,
    }


__all__ = ["CSV_HEADER", "as_dict", "csv_table", "render", "tables"]
