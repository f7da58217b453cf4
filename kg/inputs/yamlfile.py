"""Reading the curated YAML files with the line number of every entry.

Curators edit these files by hand, so every error must point at a line.
``load_yaml`` returns plain dicts, lists and strings, where every mapping is a
:class:`LineDict` that knows the line it starts on and the line of each key.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import InputError, Problem


class LineDict(dict):
    """A dict from YAML that remembers where it came from (1-based lines)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps dates as text (the build validates them) and records lines."""


# Keep YAML 1.1 timestamps as strings: "2020-02" and "2020-13-45" must reach our own validation.
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path, *, display: str | None = None):
    """Parse a YAML file; a syntax error becomes an :class:`InputError` naming file and line.

    ``display`` is how the path is shown in messages (relative to the project).
    """
    shown = display or str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise InputError("cannot read the file", [Problem(str(exc.strerror), shown)]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", [Problem(f"invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}; "
                                                    "re-save the file as UTF-8", shown,
                                                    raw[: exc.start].count(b"\n") + 1)]) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        raise InputError(
            "cannot parse YAML", [Problem(f"{what} (check indentation and quoting)", shown, line)]
        ) from None
