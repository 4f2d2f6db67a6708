"""The chart of accounts as the published statements see it: sections, lines, details.

Accounts follow the contract ``Root:<section>:…:<line>[:<detail>]:<business>``:
every component but the root is ``<code>-<name>``; the ``open`` of a leaf
carries ``label:`` (the published line) and, below a line, ``detail:``
(取得価額, 減価償却累計額, a purpose of 長期前受金 …).  A section's label is its
component name without the code, so a published heading (流動資産, 営業収益)
finds its section, and a published line finds its account by label under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from beancount.core import account as account_lib

from jlis_ledger.core.accounts import Roots, label_of, split

if TYPE_CHECKING:
    from jlis_ledger.books import Books

#: The published headings of the balance sheet's roots (資産の部 …), by the root they name.
HEADINGS = ("資産の部", "負債の部", "純資産の部")
#: The first release's mapping, for the default root names.
ROOT_HEADINGS = {"資産の部": "Assets", "負債の部": "Liabilities", "純資産の部": "Equity"}


def root_headings(roots: Roots) -> dict[str, str]:
    """The published heading of each balance sheet root -> the root's name in this ledger."""
    return dict(zip(HEADINGS, roots.balance_sheet, strict=False))


component_label = label_of


@dataclass
class Node:
    """A section or a published line of the chart (accounts without the business)."""

    account: str
    label: str
    children: dict[str, Node] = field(default_factory=dict)
    is_line: bool = False  # a published line: below it only details and businesses
    details: dict[str, str] = field(default_factory=dict)  # detail account -> detail label

    def walk(self):
        yield self
        for child in self.children.values():
            yield from child.walk()


class ChartError(LookupError):
    pass


class Chart:
    """The sections and lines of a ledger's accounts, from its ``open`` entries."""

    def __init__(self, books: Books) -> None:
        self.books = books
        self.headings = root_headings(books.roots)
        self.roots: dict[str, Node] = {}
        for account, entry in books.opens.items():
            item, business = split(account)
            if business not in books.businesses:
                continue
            detail = entry.meta.get("detail")
            line = (account_lib.parent(item) or "") if detail else item  # a detail is posted below its line (None: empty name)
            node = self._node(line)
            node.is_line = True
            node.label = entry.meta.get("label", node.label)
            if detail:
                node.details[item] = detail

    def _node(self, account: str) -> Node:
        parts = account.split(":")
        root = self.roots.setdefault(parts[0], Node(parts[0], parts[0]))
        node = root
        for i in range(1, len(parts)):
            prefix = ":".join(parts[: i + 1])
            node = node.children.setdefault(prefix, Node(prefix, label_of(parts[i])))
        return node

    def section(self, headings: list[str]) -> Node:
        """The section named by a path of published headings (資産の部 › 流動資産 …)."""
        node: Node | None = None
        for heading in headings:
            if heading in self.headings:
                node = self.roots[self.headings[heading]]
                continue
            pool = node.walk() if node is not None else (n for r in self.roots.values() for n in r.walk())
            matches = [n for n in pool if n.label == heading and not n.is_line]
            if len(matches) != 1:
                raise ChartError(f"heading {heading!r} names {len(matches)} sections")
            node = matches[0]
        if node is None:
            raise ChartError("no heading")
        return node

    def line(self, label: str, within: Node | None = None) -> Node:
        """The published line labelled ``label`` (under ``within`` if given)."""
        pool = within.walk() if within is not None else (n for r in self.roots.values() for n in r.walk())
        matches = [n for n in pool if n.is_line and n.label == label]
        if len(matches) != 1:
            where = f" under {within.account}" if within is not None else ""
            raise ChartError(f"line {label!r}{where} names {len(matches)} accounts")
        return matches[0]
