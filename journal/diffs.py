"""Diffs that stay bounded at the body limit, for History, Compare and the conflict view.

Lines are matched first: the common start and end are set aside, then lines found once on
each side anchor the rest (as in patience diff), and only small stretches without anchors are
compared exactly. Words are compared only inside changed lines of bounded size. Each step
counts its work against a budget; past it, what is left shows as whole changed lines and the
diff says so (`coarse`). difflib alone is quadratic or worse on repetitive text.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import fields
from .models import PUBLISHED

# Element visits for matching the lines of one pair of texts (a second or so at most).
LINE_BUDGET = 1_000_000
# A stretch without anchors is compared exactly only when it is this small (lines x lines).
EXACT_CELLS = 2_500
# Word detail: tokens of one changed line pair at most, and token visits over one diff.
WORD_LINE_TOKENS = 4_000
WORD_BUDGET = 400_000
# Rows one diff shows at most; the rest is summed up in one line.
MAX_ROWS = 3_000

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")

Op = tuple[str, int, int, int, int]  # difflib's opcodes: (tag, i1, i2, j1, j2)


@dataclass
class Budget:
    left: int
    spent: int = 0

    def take(self, amount: int) -> bool:
        """Spend `amount` if there is that much left."""
        if amount > self.left:
            self.left = 0
            return False
        self.left -= amount
        self.spent += amount
        return True


def opcodes(a: Sequence[Hashable], b: Sequence[Hashable], budget: Budget) -> tuple[list[Op], bool]:
    """difflib-style opcodes from `a` to `b`, and whether the budget ran out on the way
    (what was not matched then shows as replaced)."""
    if len(a) * len(b) <= EXACT_CELLS and budget.take(len(a) * len(b) + 1):
        return difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes(), False
    pairs: list[tuple[int, int]] = []
    short = False
    regions = [(0, len(a), 0, len(b))]
    while regions:
        alo, ahi, blo, bhi = regions.pop()
        if not budget.take((ahi - alo) + (bhi - blo)):
            short = True
            continue
        alo0, blo0, ahi0 = alo, blo, ahi
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo, blo = alo + 1, blo + 1
        pairs.extend((alo0 + k, blo0 + k) for k in range(alo - alo0))
        while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
        pairs.extend((ahi + k, bhi + k) for k in range(ahi0 - ahi))
        if alo == ahi or blo == bhi:
            continue
        anchors = _unique_anchors(a, b, alo, ahi, blo, bhi)
        if anchors:
            pairs.extend(anchors)
            bounds = [(alo - 1, blo - 1), *anchors, (ahi, bhi)]
            for (i1, j1), (i2, j2) in zip(bounds, bounds[1:], strict=False):
                if i2 - i1 > 1 or j2 - j1 > 1:
                    regions.append((i1 + 1, i2, j1 + 1, j2))
        elif (ahi - alo) * (bhi - blo) <= EXACT_CELLS and budget.take((ahi - alo) * (bhi - blo)):
            matcher = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
            for i, j, size in matcher.get_matching_blocks():
                pairs.extend((alo + i + k, blo + j + k) for k in range(size))
        else:
            short = True
    return _pairs_to_opcodes(sorted(pairs), len(a), len(b)), short


def _unique_anchors(a, b, alo, ahi, blo, bhi) -> list[tuple[int, int]]:
    """Elements found exactly once on each side, the longest run of them in the same order."""
    count_a = Counter(a[alo:ahi])
    count_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if count_b[b[j]] == 1}
    candidates = [
        (i, where_b[a[i]]) for i in range(alo, ahi) if count_a[a[i]] == 1 and a[i] in where_b
    ]
    # Longest increasing run of b positions (patience sorting).
    tails: list[int] = []
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(candidates)
    for n, (_, j) in enumerate(candidates):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k], tail_index[k] = j, n
        previous[n] = tail_index[k - 1] if k else -1
    run, n = [], tail_index[-1] if tail_index else -1
    while n >= 0:
        run.append(candidates[n])
        n = previous[n]
    return run[::-1]


def _pairs_to_opcodes(pairs: list[tuple[int, int]], n: int, m: int) -> list[Op]:
    ops: list[Op] = []
    i = j = 0
    k = 0
    while k < len(pairs):
        pi, pj = pairs[k]
        if pi > i or pj > j:
            tag = "replace" if pi > i and pj > j else ("delete" if pi > i else "insert")
            ops.append((tag, i, pi, j, pj))
        size = 1
        while k + size < len(pairs) and pairs[k + size] == (pi + size, pj + size):
            size += 1
        ops.append(("equal", pi, pi + size, pj, pj + size))
        i, j, k = pi + size, pj + size, k + size
    if i < n or j < m:
        tag = "replace" if i < n and j < m else ("delete" if i < n else "insert")
        ops.append((tag, i, n, j, m))
    return ops


@dataclass
class DiffLine:
    kind: str  # "equal", "insert", "delete", "change" or "skip"
    segments: list[tuple[str, str]]  # (equal|insert|delete, text)


@dataclass
class Diff:
    lines: list[DiffLine] = field(default_factory=list)
    coarse: bool = False  # some changes are shown as whole lines: too large for word detail
    work: int = 0  # elements visited, for tests and benchmarks

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, index):
        return self.lines[index]


def line_diff(a: list[str], b: list[str], context: int = 3) -> Diff:
    """Line diff with word-level marks inside changed lines; long unchanged stretches folded."""
    line_budget, word_budget = Budget(LINE_BUDGET), Budget(WORD_BUDGET)
    ops, short = opcodes(a, b, line_budget)
    result = Diff(coarse=short)
    rows = result.lines
    cut = False
    for op, i1, i2, j1, j2 in ops:
        if len(rows) >= MAX_ROWS:
            cut = True
            break
        if op == "equal":
            rows += _equal_rows(a, i1, i2, context)
        elif op == "replace" and i2 - i1 == j2 - j1:
            shown = min(i2 - i1, MAX_ROWS - len(rows))
            cut = cut or shown < i2 - i1
            for old_line, new_line in zip(a[i1 : i1 + shown], b[j1 : j1 + shown], strict=True):
                if len(rows) >= MAX_ROWS:
                    cut = True
                    break
                segments = _word_diff(old_line, new_line, word_budget)
                if segments is None:
                    result.coarse = True
                    rows += [DiffLine("delete", [("delete", old_line)])]
                    rows += [DiffLine("insert", [("insert", new_line)])]
                else:
                    rows.append(DiffLine("change", segments))
        else:
            deleted = a[i1 : min(i2, i1 + MAX_ROWS - len(rows))]
            rows += [DiffLine("delete", [("delete", line)]) for line in deleted]
            inserted = b[j1 : min(j2, j1 + max(0, MAX_ROWS - len(rows)))]
            rows += [DiffLine("insert", [("insert", line)]) for line in inserted]
            cut = cut or len(deleted) < i2 - i1 or len(inserted) < j2 - j1
    if cut:
        result.coarse = True
        rows.append(DiffLine("skip", [("equal", "… more changes, too many to show here")]))
    result.work = line_budget.spent + word_budget.spent
    return result


def _equal_rows(a: list[str], i1: int, i2: int, context: int) -> list[DiffLine]:
    block = a[i1:i2]
    if len(block) <= 2 * context + 1:
        return [DiffLine("equal", [("equal", line)]) for line in block]
    head, tail = block[:context], block[-context:]
    skipped = len(block) - 2 * context
    if i1 == 0:
        head, skipped = [], skipped + context
    if i2 == len(a):
        tail, skipped = [], skipped + context
    unit = "line" if skipped == 1 else "lines"
    return [
        *(DiffLine("equal", [("equal", line)]) for line in head),
        DiffLine("skip", [("equal", f"… {skipped} unchanged {unit}")]),
        *(DiffLine("equal", [("equal", line)]) for line in tail),
    ]


def _word_diff(old: str, new: str, budget: Budget) -> list[tuple[str, str]] | None:
    """Word marks for one changed line, or None when it is too large to compare word by word."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    start = end = 0
    if len(a) * len(b) > EXACT_CELLS:  # a long line: set its common ends aside first
        while start < min(len(a), len(b)) and a[start] == b[start]:
            start += 1
        while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
            end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    if len(middle_a) + len(middle_b) > WORD_LINE_TOKENS:
        return None
    ops, short = opcodes(middle_a, middle_b, budget)
    if short:
        return None
    segments: list[tuple[str, str]] = [("equal", "".join(a[:start]))] if start else []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            segments.append(("equal", "".join(middle_a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(("delete", "".join(middle_a[i1:i2])))
        if j2 > j1:
            segments.append(("insert", "".join(middle_b[j1:j2])))
    if end:
        segments.append(("equal", "".join(a[len(a) - end :])))
    return _merged(segments)


def _merged(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    merged: list[tuple[str, str]] = []
    for op, text in segments:
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        elif text:
            merged.append((op, text))
    return merged


def words_changed(a: list[str], b: list[str]) -> tuple[int, int]:
    """Words added and removed from lines `a` to lines `b`, within the same bounds."""
    line_budget, word_budget = Budget(LINE_BUDGET), Budget(WORD_BUDGET)
    added = removed = 0
    for op, i1, i2, j1, j2 in opcodes(a, b, line_budget)[0]:
        if op == "equal":
            continue
        old = [w for line in a[i1:i2] for w in line.split()]
        new = [w for line in b[j1:j2] for w in line.split()]
        ops, short = opcodes(old, new, word_budget) if old and new else ([], True)
        if short:
            removed, added = removed + len(old), added + len(new)
            continue
        for word_op, w1, w2, v1, v2 in ops:
            if word_op != "equal":
                removed, added = removed + w2 - w1, added + v2 - v1
    return added, removed


# Revision snapshots -----------------------------------------------------------------------


def snapshot_lines(snap: dict[str, Any] | None) -> list[str]:
    """A revision as readable lines: the metadata the writer sees, then the body."""
    if not snap:
        return []
    lines = []
    for f in fields.FACT_FIELDS:
        shown = f.shown(snap.get(f.name))
        if shown:
            lines.append(f"{f.label}: {shown}")
    if snap.get("tags"):
        lines.append("Tags: " + ", ".join(snap["tags"]))
    lines.append("Status: " + ("Published" if snap.get("status") == PUBLISHED else "Draft"))
    lines.append("")
    lines.extend((snap.get("body") or "").replace("\r\n", "\n").split("\n"))
    return lines


def snapshot_change_size(old: dict[str, Any] | None, new: dict[str, Any] | None) -> tuple[int, int]:
    """Words added and removed from `old` to `new`."""
    return words_changed(snapshot_lines(old), snapshot_lines(new))


def snapshot_diff(old: dict[str, Any] | None, new: dict[str, Any] | None, context: int = 3) -> Diff:
    """Line diff of two snapshots, with word-level marks inside changed lines (bounded)."""
    return line_diff(snapshot_lines(old), snapshot_lines(new), context)
