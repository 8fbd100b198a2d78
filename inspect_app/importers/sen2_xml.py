"""Read a SEN2 return as submitted to COLLECT (XML) safely, a person at a time.

Safety (DESIGN.md "SEN2 imports", issue 15): the file is parsed by lxml's `iterparse` with entity substitution
off, no DTD loaded, no network access and libxml2's default limits (a depth of 256 elements, 10 MB of text in one
node), and any document type declaration is refused outright: a SEN2 return has none, and a `<!DOCTYPE>` is how
entity expansion ("billion laughs") and external entities get in. A file larger than the configured limit is
refused before it is read. Nesting 1 GB deep stops at the 256th level, after a few kilobytes.

Streaming: only `<Person>` elements (in the usual spellings) are handed back from the parser; each is turned
into plain dictionaries and then cleared, with the elements before it, so a return of 300 MB needs memory for
one person at a time, not the whole tree. Element names are matched without regard to case: a person element
spelt another way is not seen by the parser's filter, so after the last event the rest of the document is
walked for it too.

Each person comes back as a `Node`: a dictionary of its leaf elements (lower-case name -> stripped text) and,
under the lower-case module name, the list of its child modules as nodes of their own (`requests`,
`assessment`, `namedplan`, `plandetail`, `activeplans`, `placementdetail`, `senneed`).
"""

from __future__ import annotations

import io
import os
from collections.abc import Generator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from inspect_app.importers.common import FileRejected

Node = dict[str, Any]
_PERSON_TAGS = ("Person", "person", "PERSON")
MODULES = frozenset({"requests", "assessment", "namedplan", "plandetail", "activeplans", "placementdetail", "senneed"})
DOCTYPE_REFUSED = (
    "The file declares a document type (<!DOCTYPE …>). A SEN2 return has none, and such a declaration can make a "
    "reader expand entities or fetch other files, so the file was not read. Export the return again from the case "
    "system, or remove the declaration."
)


class _Limited:
    """A binary stream that refuses to be read past a number of bytes (for streams of unknown size)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream = stream
        self.left = limit

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size if size >= 0 else self.left + 1)
        self.left -= len(chunk)
        if self.left < 0:
            raise FileRejected(_too_large(None))
        return chunk


def _too_large(size: int | None, limit: int | None = None) -> str:
    of = f" ({size / 1_000_000:,.0f} MB)" if size is not None else ""
    most = f" {limit / 1_000_000:,.0f} MB" if limit is not None else " the limit"
    return f"The file is too large{of}: a SEN2 return can be at most{most}. Ask the site administrator to raise it."


def open_source(source: str | Path | bytes | IO[bytes], max_bytes: int) -> IO[bytes] | str | _Limited:
    """Check the size of the source and return what lxml should read (a path, or a size-limited stream)."""
    if isinstance(source, bytes):
        if len(source) > max_bytes:
            raise FileRejected(_too_large(len(source), max_bytes))
        return io.BytesIO(source)
    if isinstance(source, str | Path):
        size = os.path.getsize(source)
        if size > max_bytes:
            raise FileRejected(_too_large(size, max_bytes))
        return str(source)
    return _Limited(source, max_bytes)


class XmlReturn:
    """One XML return being read: its header, then its people, one at a time."""

    def __init__(self, source: str | Path | bytes | IO[bytes], *, max_bytes: int) -> None:
        self._source = open_source(source, max_bytes)
        self.header: Node | None = None
        self.person_elements: set[str] = set()  # lower-case names of the persons' own elements (for the summary)

    def people(self) -> Generator[Node, None, None]:
        """Yield each person as a Node, in file order (numbered from 1 by the caller).

        A path is opened here, so that closing the generator early (a refused header) closes the file too.
        """
        if isinstance(self._source, str):
            with open(self._source, "rb") as stream:
                yield from self._people(stream)
        else:
            yield from self._people(self._source)

    def _people(self, source: Any) -> Generator[Node, None, None]:
        context = etree.iterparse(
            source,
            events=("end",),
            tag=_PERSON_TAGS,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        checked = False
        try:
            for _event, element in context:
                if not checked:
                    self._check_document(element.getroottree())
                    checked = True
                yield self._person(element)
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:  # drop it: the tree never holds more than the person being read
                    parent.remove(element)
            root = context.root
        except etree.XMLSyntaxError as error:
            raise FileRejected(_syntax_message(error)) from None
        yield from self._rest(root)

    def _rest(self, root: Any) -> Generator[Node, None, None]:
        """Check the whole document once parsed, and read any Person elements spelt in another case (the parser's
        tag filter left them in the tree)."""
        if root is None:
            raise FileRejected("The file is empty or is not XML")
        self._check_document(root.getroottree())
        if _lower(root.tag) != "message":
            raise FileRejected(f"The file's outer element is <{root.tag}>, not <Message>: it is not a SEN2 return")
        if self.header is None:
            self.header = _header_of(root)
        for persons in _children(root, "persons"):
            for element in list(persons):
                if isinstance(element.tag, str) and _lower(element.tag) == "person" and element.tag not in _PERSON_TAGS:
                    yield self._person(element)

    def _check_document(self, tree: Any) -> None:
        info = tree.docinfo
        if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
            raise FileRejected(DOCTYPE_REFUSED)
        if self.header is None:
            root = tree.getroot()
            if root is not None:
                self.header = _header_of(root)

    def _person(self, element: Any) -> Node:
        node = _node(element)
        self.person_elements.update(node)
        return node


def _lower(tag: str) -> str:
    # Namespaces are not used by SEN2; if one is present, the local name is what counts.
    return tag.rsplit("}", 1)[-1].lower()


def _children(element: Any, name: str) -> list[Any]:
    return [child for child in element if isinstance(child.tag, str) and _lower(child.tag) == name]


def _node(element: Any) -> Node:
    """Turn an element into a Node: leaf children as their text (unstripped), module children as lists of nodes.

    The hot path of the import (50 elements a person): each tag's lower-case name and whether it is a module come
    from a cache, not str.lower() and a set lookup.
    """
    node: Node = {}
    names = _NAMES
    for child in element:
        tag = child.tag
        found = names.get(tag)
        if found is None:
            if not isinstance(tag, str):
                continue  # a comment or processing instruction left by the parser
            key = _lower(tag)
            found = names[tag] = (key, key in MODULES)
        key, module = found
        if module:
            nodes = node.get(key)
            if nodes is None:
                node[key] = [_node(child)]
            else:
                nodes.append(_node(child))
        else:
            node[key] = child.text or ""
    return node


_NAMES: dict[str, tuple[str, bool]] = {}


def _header_of(root: Any) -> Node | None:
    """The header's leaf values (CollectionDetails and Source flattened), or None when there is none yet."""
    headers = _children(root, "header")
    if not headers:
        return None
    values: Node = {}
    for part in headers[0]:
        if not isinstance(part.tag, str):
            continue
        for item in part:
            if isinstance(item.tag, str):
                values[_lower(item.tag)] = (item.text or "").strip()
    return values


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    text = str(error)
    if "Excessive depth" in text:
        return (
            "The file's elements are nested far deeper than a SEN2 return's (more than 256 levels), so it was not "
            "read. It is not a SEN2 return."
        )
    if "amplification" in text or "entity" in text.lower():
        return DOCTYPE_REFUSED  # libxml2 stopped an entity expansion before the document type could be checked
    if "Document is empty" in text or "Start tag expected" in text:
        return "The file is empty or is not XML"
    line = getattr(error, "lineno", None)
    where = f" (line {line})" if line else ""
    return f"The file is not well-formed XML{where}: {error.msg if hasattr(error, 'msg') else text}"
