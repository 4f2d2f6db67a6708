"""Moved to :mod:`jlis_ledger.statements.chart` (kept for one release)."""

from jlis_ledger.core.accounts import label_of as component_label
from jlis_ledger.statements.chart import ROOT_HEADINGS, Chart, ChartError, Node

__all__ = ["ROOT_HEADINGS", "Chart", "ChartError", "Node", "component_label"]
