#!/usr/bin/env python3
"""Checks that docs/troubleshooting.md quotes every error message the code builds.

What counts as an error message (the sites scanned in src/):
  - make_error(...), refuse(...), Error{...} and A2aError{...}: what a verb prints
    after "constellation: ", and the JSON-RPC errors our server answers with;
  - spdlog::warn(...) and spdlog::error(...): the daemon's warnings and errors;
  - refusal(...) and LimitRefusal{...}: the server's HTTP refusals (401/403/413/431/503);
  - in src/config/ only, `*err = ...;`: config and address errors;
  - in src/daemon/push_receiver.cc only, `return {<status>, ...}`: answers to POST /push.
From each site every string literal is taken (adjacent literals joined, escapes undone,
`{}` placeholders of log formats cut out); the fragments of at least MIN_CHARS
characters, stripped, that contain a space (message text, not a key or header name)
must appear in the doc (whitespace runs compared as one space).
Messages built only from short literals and variables ("task " + id + ...) are not
checked; a message wording that changes must change the doc with it.

Usage: troubleshooting_check.py [REPO_ROOT]   (default: two levels above this file)
Exit 0 when all fragments are found, 1 (listing the missing ones) otherwise.
"""

import pathlib
import re
import sys

MIN_CHARS = 12
# Below this many fragments the extraction itself is broken: fail rather than pass
# vacuously.
MIN_FRAGMENTS = 150

SITE = re.compile(
    r"\bmake_error\(|\brefuse\(|\bError\{|\bA2aError\{|\bspdlog::(?:warn|error)\(|\brefusal\(|\bLimitRefusal(?:\s+\w+)?\{"
)
CONFIG_SITE = re.compile(r"\*err_?\s*=")
PUSH_SITE = re.compile(r"return\s*\{\s*\d{3}\s*,")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\", "0": "\0"}


def scan(text):
    """The mask of `text` (per character: 'c' code, '-' comment, string or char literal)
    and the spans of its string literals. Raw strings are not used for messages."""
    mask, spans = ["c"] * len(text), []
    i, n = 0, len(text)
    while i < n:
        two = text[i:i + 2]
        if two == "//":
            j = text.find("\n", i)
            j = n if j < 0 else j
        elif two == "/*":
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif text[i] == '"' or (text[i] == "'" and not (i and text[i - 1].isalnum())):
            # (a ' after a digit or letter is a digit separator: 10'000)
            quote, j = text[i], i + 1
            while j < n and text[j] != quote:
                j += 2 if text[j] == "\\" else 1
            j += 1
            if quote == '"':
                spans.append((i, j))
        else:
            i += 1
            continue
        mask[i:j] = "-" * (j - i)
        i = j
    return "".join(mask), spans


def span_end(text, mask, start, closers):
    """Index just past the bracket group opened at `start` (closers given), or of the
    statement's ';' (no closers)."""
    depth = 0
    for i in range(start, len(text)):
        if mask[i] != "c":
            continue
        ch = text[i]
        if ch in "({[":
            depth += 1
        elif ch in ")}]":
            depth -= 1
            if depth == 0 and closers:
                return i + 1
            if depth < 0:
                return i
        elif ch == ";" and depth <= 0:
            return i
    return len(text)


def unescape(body):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), body)


def literals(text, spans, begin, end):
    """The string literals in [begin, end), adjacent ones ("a" "b") joined."""
    out, last_end = [], None
    for s, e in spans:
        if s < begin or e > end:
            continue
        body = unescape(text[s + 1:e - 1])
        if last_end is not None and text[last_end:s].strip() == "":
            out[-1] += body
        else:
            out.append(body)
        last_end = e
    return out


def fragments(literal, log_format):
    pieces = re.split(r"\{[^{}]*\}", literal) if log_format else [literal]
    for piece in pieces:
        piece = " ".join(piece.split())
        # Message text has spaces; a literal without one is a key or header name.
        if " " in piece.strip() and len(piece.strip(" :;,.()'\"")) >= MIN_CHARS:
            yield piece.strip()


def sites(path, text):
    mask, spans = scan(text)
    rel = path.as_posix()
    patterns = [(SITE, ")}")]
    if "/config/" in rel:
        patterns.append((CONFIG_SITE, ""))
    if rel.endswith("daemon/push_receiver.cc"):
        patterns.append((PUSH_SITE, "}"))
    for pattern, closers in patterns:
        for m in pattern.finditer(text):
            if mask[m.start()] != "c":
                continue
            if closers:
                open_at = m.start() + max(m.group(0).rfind("("), m.group(0).rfind("{"))
                end = span_end(text, mask, open_at, closers)
            else:
                end = span_end(text, mask, m.end(), "")
            line = text.count("\n", 0, m.start()) + 1
            log_format = m.group(0).startswith("spdlog")
            for lit in literals(text, spans, m.start(), end):
                for frag in fragments(lit, log_format):
                    yield line, frag


def main():
    root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parents[2]
    doc_path = root / "docs" / "troubleshooting.md"
    doc = " ".join(doc_path.read_text(encoding="utf-8").split())
    checked, missing = 0, []
    seen = set()
    for path in sorted((root / "src").rglob("*")):
        if path.suffix not in (".cc", ".h"):
            continue
        for line, frag in sites(path.relative_to(root), path.read_text(encoding="utf-8")):
            if frag in seen:
                continue
            seen.add(frag)
            checked += 1
            if frag not in doc:
                missing.append(f"{path.relative_to(root)}:{line}: {frag}")
    if checked < MIN_FRAGMENTS:
        print(f"only {checked} message fragments found in src/ (expected at least {MIN_FRAGMENTS}): "
              "the extraction in tests/docs/troubleshooting_check.py no longer matches the code")
        return 1
    if missing:
        print(f"{len(missing)} of {checked} error message fragments are not in {doc_path}:")
        for m in missing:
            print("  " + m)
        print("Quote each message in docs/troubleshooting.md (variable parts as <placeholders>), "
              "with what it means and what to do.")
        return 1
    print(f"all {checked} error message fragments from src/ are in {doc_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
