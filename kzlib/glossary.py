"""The glossary: read ``docs/GLOSSARY.md``, render it for the book, link terms in chapters.

``docs/GLOSSARY.md`` is the one source. Each entry is a level-3 heading (the term), an
optional line ``*Also:* other name, other name`` and one or more paragraphs::

    ### Deep packet inspection

    *Also:* DPI

    Looking inside the content of network packets ... Source: [title](https://...).

The book shows it as a MyST ``{glossary}`` (every entry gets an anchor), and each chapter's
first use of a name links to its entry (:func:`link_notebook`), on the copies the book is
built from, never on the chapter notebooks themselves.

Example::

    >>> terms = [Term("Deep packet inspection", ("DPI",), "Looking inside packets.")]
    >>> seen: set[str] = set()
    >>> link_markdown("Operators used DPI. Again DPI.", terms, seen)
    'Operators used {term}`DPI <Deep packet inspection>`. Again DPI.'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_ENTRY = re.compile(r"^### +(.+?)\s*$", re.MULTILINE)
_ALSO = re.compile(r"^\*Also:\*\s*(.+?)\s*$", re.MULTILINE)

# Parts of markdown a link must not go into: code, links, images, HTML, URLs, roles,
# headings and raw HTML lines.
_PROTECTED = re.compile(
    r"```.*?```"  # fenced code
    r"|~~~.*?~~~"
    r"|`[^`\n]*`"  # inline code
    r"|!?\[[^\]\n]*\]\([^)\n]*\)"  # links and images
    r"|\{[a-z:-]+\}`[^`]*`"  # roles already there
    r"|<[^>\n]+>"  # HTML tags and autolinks
    r"|https?://\S+"  # bare URLs
    r"|^[ \t]*#[^\n]*"  # headings
    r"|^[ \t]*<[^\n]*",  # raw HTML lines
    re.DOTALL | re.MULTILINE,
)


@dataclass(frozen=True)
class Term:
    """One glossary entry: its name, other names it goes by, and its definition."""

    name: str
    aliases: tuple[str, ...]
    definition: str

    @property
    def names(self) -> tuple[str, ...]:
        """The name first, then the aliases."""
        return (self.name, *self.aliases)


def read_glossary(path: Path) -> list[Term]:
    """The entries of a glossary file, in file order (see the module docstring for the format)."""
    text = path.read_text(encoding="utf-8")
    heads = list(_ENTRY.finditer(text))
    terms = []
    for head, nxt in zip(heads, [*heads[1:], None], strict=True):
        body = text[head.end() : nxt.start() if nxt else len(text)].strip()
        also = _ALSO.search(body)
        aliases: tuple[str, ...] = ()
        if also:
            aliases = tuple(a.strip() for a in also.group(1).split(",") if a.strip())
            body = (body[: also.start()] + body[also.end() :]).strip()
        terms.append(Term(head.group(1), aliases, body))
    return terms


def render_glossary(terms: Iterable[Term], intro: str = "") -> str:
    """A MyST page holding the terms as a ``{glossary}`` directive, sorted (each gets an anchor).

    >>> print(render_glossary([Term("BGP", ("Border Gateway Protocol",), "Routing.")]))
    # Glossary
    <BLANKLINE>
    ```{glossary}
    BGP
       *Also:* Border Gateway Protocol
    <BLANKLINE>
       Routing.
    ```
    <BLANKLINE>
    """
    lines = ["# Glossary", ""]
    if intro:
        lines += [intro.strip(), ""]
    lines.append("```{glossary}")
    for term in sorted(terms, key=lambda t: t.name.casefold()):
        lines.append(term.name)
        if term.aliases:
            lines += [f"   *Also:* {', '.join(term.aliases)}", ""]
        lines += [f"   {line}" if line.strip() else "" for line in term.definition.splitlines()]
        lines.append("")
    lines[-1:] = ["```", ""]
    return "\n".join(lines)


def _pattern(terms: Iterable[Term]) -> re.Pattern[str]:
    """One regex for every name (longest first, plural ``s`` allowed); acronyms match case-sensitively."""
    names = {name.casefold(): name for term in terms for name in term.names}
    parts = []
    for name in sorted(names.values(), key=len, reverse=True):
        body = re.escape(name)
        parts.append(body if name.isupper() or any(c.isdigit() for c in name) else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?P<name>" + "|".join(parts) + r")(?P<plural>s?)(?![\w-])")


def link_markdown(text: str, terms: list[Term], seen: set[str]) -> str:
    """Turn the first use of each glossary term in ``text`` into a ``{term}`` role.

    ``seen`` holds the entries (by name) already linked in this chapter; it is updated.
    Code, links, URLs, headings and HTML are left alone.
    """
    pattern = _pattern(terms)
    entry_of = {n.casefold(): t.name for t in terms for n in t.names}

    def link(match: re.Match[str]) -> str:
        found = match.group(0)
        entry = entry_of[match.group("name").casefold()]
        if entry in seen:
            return found
        seen.add(entry)
        return f"{{term}}`{found}`" if found == entry else f"{{term}}`{found} <{entry}>`"

    out, pos = [], 0
    for protected in _PROTECTED.finditer(text):
        out.append(pattern.sub(link, text[pos : protected.start()]))
        out.append(protected.group(0))
        pos = protected.end()
    out.append(pattern.sub(link, text[pos:]))
    return "".join(out)


def link_notebook(nb: dict[str, Any], terms: list[Term]) -> dict[str, Any]:
    """Link the first use of each term in the markdown cells of ``nb`` (changed in place)."""
    seen: set[str] = set()
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            cell["source"] = link_markdown(src, terms, seen)
    return nb
