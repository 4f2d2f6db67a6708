"""The one rule that keeps the derived openings possible: the split nearest to proportional.

A consolidated figure (a CF line) is split over the businesses in proportion to a seed (their related
revenue or cost).  The openings derived from such splits (closing less the year's flows) can come out
negative for a business (a negative 未収金, 未払金 or cash at the start of the year), which no balance
sheet shows.  The rule then takes, among the splits that keep every opening non-negative, the one
**nearest to the proportional split**: the least squares of each share's relative deviation,

    minimise  Σ_lines Σ_businesses (x − p)² / p   subject to   Σ_businesses x = T (each line)
                                                             Σ_lines x ≥ F (each business: its floor)

where ``p`` is the exact proportional share and ``F`` the column total below which the business's
opening would be negative.  Its solution moves every share in proportion to its own size,
``x = p (1 + λ_line + μ_business)``: only the businesses at their floor have ``μ > 0`` (raised exactly
to the floor: an opening of zero), every line gives up what they receive in proportion to its other
shares (``λ``), a business with no seed in a line never gets any of it (``p = 0``), and a split that
needs no raise is the proportional one.  The active businesses are found by the usual active-set
iteration (add a business below its floor, drop one whose ``μ`` would be negative); the multipliers
solve a small linear system exactly (fractions).

Yen: a raised business's shares are rounded up (its opening stays at or above zero), the rest of each
line goes to the other businesses by largest remainder of their exact shares (ties to the earlier
column), as every split of the books.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

from fy2022_parts.books import share


def _solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction]:
    """Gaussian elimination, exact."""
    n = len(rhs)
    a = [[*row, rhs[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if a[r][col] != 0)
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col] != 0:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def nearest_split(totals: dict[str, int], seeds: dict[str, list[int]], floors: list[int]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Split each line's total over the businesses nearest to proportional (``seeds``) with every column at
    least its floor: ``(split, proportional)``, the split and the plain largest-remainder split of the
    seeds it departs from (their difference is what the rule moves)."""
    lines = [line for line in totals if totals[line]]
    n = len(floors)
    p = {line: [Fraction(totals[line] * s, sum(seeds[line])) for s in seeds[line]] for line in lines}
    column = [sum((p[line][b] for line in lines), Fraction(0)) for b in range(n)]
    active: list[int] = [b for b in range(n) if column[b] < floors[b]]
    mu: dict[int, Fraction] = {}
    for _ in range(4 * n):
        if active:
            matrix = [[(column[a] if a == b else Fraction(0)) - sum((p[line][a] * p[line][b] / totals[line] for line in lines), Fraction(0))
                       for b in active] for a in active]
            mu = dict(zip(active, _solve(matrix, [floors[a] - column[a] for a in active]), strict=True))
        lam = {line: -sum((p[line][b] * mu[b] for b in active), Fraction(0)) / totals[line] for line in lines}
        x = {line: [p[line][b] * (1 + lam[line] + mu.get(b, 0)) for b in range(n)] for line in lines}
        negative = [b for b in active if mu[b] < 0]
        below = [b for b in range(n) if b not in active and sum(x[line][b] for line in lines) < floors[b]]
        if not negative and not below:
            break
        active = sorted((set(active) - set(negative[:1])) | set(below[:1]))
    else:
        raise AssertionError("the nearest split that keeps every opening non-negative was not found")
    out: dict[str, list[int]] = {}
    for line, total in totals.items():
        if line not in x:
            out[line] = [0] * n
            continue
        values = x[line]
        assert all(v >= 0 for v in values), (line, values)
        raised = {b: -(-values[b].numerator // values[b].denominator) for b in active}  # rounded up
        rest = total - sum(raised.values())
        others = [b for b in range(n) if b not in raised]
        scale = lcm(*(values[b].denominator for b in others)) if others else 1
        weights = [int(values[b] * scale) for b in others]
        parts = share(rest, weights) if rest and sum(weights) else [0] * len(others)
        row = [0] * n
        for b, v in raised.items():
            row[b] = v
        for b, v in zip(others, parts, strict=True):
            row[b] = v
        assert sum(row) == total and all(v >= 0 for v in row), (line, row)
        out[line] = row
    for b in range(n):
        assert sum(out[line][b] for line in totals) >= floors[b], (b, floors[b])
    proportional = {line: share(totals[line], seeds[line]) if totals[line] else [0] * n for line in totals}
    return out, proportional
