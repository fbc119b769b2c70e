"""schemacheck.py - shared helpers of the schema tests: strict YAML loading and reading
the seed (the product's requirements document) independently of the C loader."""
import re
import sys

import yaml

SKIP = 77  # CTest SKIP_RETURN_CODE


class Failures:
    """Collects failures so that one run reports all of them."""

    def __init__(self, name):
        self.name = name
        self.items = []

    def add(self, where, what):
        self.items.append(f"{where}: {what}")

    def finish(self, ok_message):
        if self.items:
            for item in self.items:
                print(f"{self.name}: FAIL {item}", file=sys.stderr)
            print(f"{self.name}: {len(self.items)} problem(s)", file=sys.stderr)
            return 1
        print(f"{self.name}: ok - {ok_message}")
        return 0


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (libyaml lets them pass)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first at line {seen[key] + 1})",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                                 _construct_mapping)


def load_plain_yaml(path):
    """Loads a YAML file the way the product's loader accepts it: UTF-8, no tabs, no
    anchors or aliases, no duplicate keys. Raises ValueError with file:line: text."""
    with open(path, "rb") as fp:
        raw = fp.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not UTF-8 at byte {e.start}") from None
    for n, line in enumerate(text.split("\n"), 1):
        if "\t" in line:
            raise ValueError(f"{path}:{n}: tab character; YAML here is indented with spaces")
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            raise ValueError(f"{path}:{event.start_mark.line + 1}: alias *{event.anchor}; "
                             "plain YAML without anchors or aliases expected")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise ValueError(f"{path}:{event.start_mark.line + 1}: anchor &{anchor}; "
                             "plain YAML without anchors or aliases expected")
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as e:
        raise ValueError(f"{path}: {e}") from None


def read_seed(path):
    with open(path, encoding="utf-8") as fp:
        return fp.read()


def seed_network_rows(seed_text):
    """The rows of the seed's network table, in order: lists of six stripped cells
    (From, To, Component, Protocol, Port, Remark). The table starts at its header row
    and continues over page breaks (blank header rows and separator rows are skipped)."""
    lines = seed_text.split("\n")
    start = None
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[:2] == ["From", "To"]:
            start = i
            break
    if start is None:
        raise ValueError("the seed has no network table (no '| From | To |' header row)")
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r"-*", c) for c in cells):
            continue  # separator or the blank header row after a page break
        if len(cells) != 6:
            raise ValueError(f"network table row with {len(cells)} cells: {line!r}")
        rows.append(cells)
    return rows


def seed_headings(seed_text):
    """The seed's headings: lines that stand alone, start with a capital letter, are
    short, and are neither list items, table rows, commands nor sentences."""
    heads = set()
    for line in seed_text.split("\n"):
        s = line.strip()
        if not s or len(s) > 80 or not s[0].isupper():
            continue
        if s[0] in "-|*`<>" or s.endswith((".", ",", ";")) or ":" in s or "\\" in s:
            continue
        heads.add(s)
    return heads
