#!/usr/bin/python3
"""check_product_words.py SOURCE_DIR - no product lives in the engine: render/'s C
sources and headers and the engine's templates name no product, role, scenario,
parameter or fact of any one schema. Products live in schemas/ alone."""
import os
import re
import sys

# words of the schemas shipped today (any of them in the engine means a product leaked in)
WORDS = [
    "exchange", "outlook", "mailbox", "sql", "migrator", "migration-server", "public folder",
    "public_folder", "o365", "office 365", "office365", "worker", "large_public_folders",
    "sql_instances", "msexchange", "exsetup", "ucma", "vcredist", "edge transport",
    "domain-controller", "target_cu",
]
PATTERN = re.compile("|".join(r"\b" + re.escape(w) + r"\b" for w in WORDS), re.I)


def self_test():
    """The check finds a product word planted in a copy of the tree (else it cannot fail)."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        os.makedirs(os.path.join(d, "render"))
        os.makedirs(os.path.join(d, "templates"))
        with open(os.path.join(d, "render", "x.c"), "w") as fh:
            fh.write("/* the Outlook bitness */\n")
        with open(os.path.join(d, "templates", "en.yaml"), "w") as fh:
            fh.write("a: b\n")
        if main(["x", d], quiet=True) == 0:
            print("check_product_words: FAIL the check did not find a planted word", file=sys.stderr)
            return 1
    return 0


def main(argv, quiet=False):
    if len(argv) > 1 and argv[1] == "--self-test":
        return self_test()
    root = argv[1] if len(argv) > 1 else "."
    files = [os.path.join(root, "render", f) for f in sorted(os.listdir(os.path.join(root, "render")))
             if f.endswith((".c", ".h"))]
    files += [os.path.join(root, "templates", f)
              for f in sorted(os.listdir(os.path.join(root, "templates"))) if f.endswith(".yaml")]
    hits = []
    for path in files:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                m = PATTERN.search(line)
                if m:
                    hits.append("%s:%d: '%s' in: %s" % (os.path.relpath(path, root), n, m.group(0),
                                                        line.strip()[:120]))
    for h in hits if not quiet else []:
        print("check_product_words: FAIL " + h, file=sys.stderr)
    if hits:
        return 1
    print("check_product_words: ok - %d files name no product of a schema" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
