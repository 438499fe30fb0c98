"""What one Markdown render may cost: bounded tables and output, and a linear sanitizer walk.

Left alone, a 200,000-character body could cost minutes: markdown-it pads every table row to
the header's width (a wide header over many short lines multiplies), one reference link
definition can be repeated thousands of times, and html5lib's tree walker (inside bleach) finds
each element's place among its siblings with `list.index`, quadratic in a long table or list.
"""

from __future__ import annotations

from bleach import html5lib_shim
from markdown_it import MarkdownIt
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_block.table import table as _table_rule
from markdown_it.token import Token

# Table cells (padding included) in one text; a table that would pass this stays plain text,
# and so does every table after it.
MAX_TABLE_CELLS = 10_000
# Characters of HTML one render may produce before sanitizing (five times the body limit).
MAX_HTML_CHARS = 1_000_000
_CELLS = "journal_table_cells"


def bounded_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's table rule, refused once the text's tables would pass MAX_TABLE_CELLS."""
    if silent:  # a terminator check reads two lines only
        return _table_rule(state, start_line, end_line, silent)
    used = state.env.get(_CELLS, 0)
    if used >= MAX_TABLE_CELLS or start_line + 1 >= end_line:
        return used < MAX_TABLE_CELLS and _table_rule(state, start_line, end_line, silent)
    delimiter = state.src[state.bMarks[start_line + 1] : state.eMarks[start_line + 1]]
    columns = delimiter.count("|") + 1
    cells, line = columns, start_line + 2  # the header row, then rows until a blank line
    while line < end_line and not state.isEmpty(line) and used + cells <= MAX_TABLE_CELLS:
        cells += columns
        line += 1
    if used + cells > MAX_TABLE_CELLS:
        state.env[_CELLS] = MAX_TABLE_CELLS
        return False
    if not _table_rule(state, start_line, end_line, silent):
        return False
    state.env[_CELLS] = used + cells
    return True


def use_bounded_tables(md: MarkdownIt) -> None:
    md.block.ruler.at("table", bounded_table, {"alt": ["paragraph", "reference"]})


def html_size(tokens: list[Token]) -> int:
    """An upper estimate of the HTML the tokens render to, counted without rendering them."""
    size, stack = 0, list(tokens)
    while stack:
        token = stack.pop()
        size += 16 + 2 * len(token.tag) + len(token.content)
        size += sum(len(str(k)) + len(str(v)) + 4 for k, v in token.attrs.items())
        if token.children:
            stack.extend(token.children)
    return size


_EtreeWalker = html5lib_shim.getTreeWalker("etree")


class _Ancestors(list):
    """The walker's stack of ancestor elements, with each one's index in its own parent."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int | None] = []


class LinearTreeWalker(_EtreeWalker):
    """html5lib's etree walker, keeping each ancestor's index instead of searching for it."""

    def getFirstChild(self, node):  # noqa: N802 - html5lib's names
        if isinstance(node, tuple):
            element, key, parents, flag = node
        else:
            element, key, parents, flag = node, None, _Ancestors(), None
        if flag in ("text", "tail"):
            return None
        if element.text:
            return element, key, parents, "text"
        if len(element):
            parents.append(element)
            parents.keys.append(key)
            return element[0], 0, parents, None
        return None

    def getNextSibling(self, node):  # noqa: N802
        if not isinstance(node, tuple):
            return None
        element, key, parents, flag = node
        if flag == "text":
            if len(element):
                parents.append(element)
                parents.keys.append(key)
                return element[0], 0, parents, None
            return None
        if element.tail and flag != "tail":
            return element, key, parents, "tail"
        if key < len(parents[-1]) - 1:
            return parents[-1][key + 1], key + 1, parents, None
        return None

    def getParentNode(self, node):  # noqa: N802
        if not isinstance(node, tuple):
            return None
        element, key, parents, flag = node
        if flag == "text":
            return element if not parents else (element, key, parents, None)
        parent = parents.pop()
        parent_key = parents.keys.pop()
        return parent if not parents else (parent, parent_key, parents, None)
