#!/usr/bin/env python3
"""Writes the seed corpus (corpus/<target>/) from the repository's real fixtures:
tests/data/a2a-js-wire (traffic captured from the A2A JavaScript SDK),
tests/data/tailscale (tailscale CLI output) and, when it is given, the JSON examples
of a2a-wire.md. Seeds are named by content hash, so rerunning only adds files; inputs
the fuzzers found (crashes fixed since) are kept beside them under their own names.

Usage: tests/fuzz/make_corpus.py [path/to/a2a-wire.md]
"""
import glob
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")
CORPUS = os.path.join(HERE, "corpus")


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def seed(target, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def sse_text(events):
    out = ""
    for e in events:
        if "event" in e:
            out += "event: " + e["event"] + "\n"
        data = e.get("data")
        out += "data: " + (data if isinstance(data, str) else compact(data)) + "\n\n"
    return out


def from_wire_captures():
    for path in sorted(glob.glob(os.path.join(DATA, "a2a-js-wire", "*.json"))):
        exchange = json.load(open(path, encoding="utf-8"))
        request, response = exchange["request"], exchange["response"]
        body = request.get("body")
        if body is not None:
            seed("fuzz_jsonrpc_request", body if isinstance(body, str) else compact(body))
        reply = response.get("body")
        if path.endswith("agent-card.json"):
            seed("fuzz_agent_card", compact(reply))
        elif isinstance(reply, list):  # an SSE stream, stored event by event
            seed("fuzz_sse", sse_text(reply))
            for event in reply:
                seed("fuzz_jsonrpc_response", compact(event["data"]))
                result = event["data"].get("result")
                if result is not None:  # as a push delivery carries it
                    seed("fuzz_jsonrpc_response", compact(result))
        elif reply is not None:
            seed("fuzz_jsonrpc_response", reply if isinstance(reply, str) else compact(reply))
        for text in re.findall(r'"(?:bytes|raw)"\s*:\s*"([^"]*)"', json.dumps(exchange)):
            seed("fuzz_base64", text)


def from_tailscale():
    for path in sorted(glob.glob(os.path.join(DATA, "tailscale", "*"))):
        if path.endswith(".md"):
            continue
        text = open(path, "rb").read()
        name = os.path.basename(path)
        if name.startswith("whois"):
            seed("fuzz_tailscale_whois", text)
        else:
            seed("fuzz_tailscale_status", text)


def from_wire_doc(path):
    text = open(path, encoding="utf-8").read()
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        try:
            value = json.loads(block)
        except ValueError:
            continue  # an excerpt with "…" in it
        if not isinstance(value, dict):
            continue
        if "method" in value:
            seed("fuzz_jsonrpc_request", compact(value))
        elif "result" in value or "error" in value:
            seed("fuzz_jsonrpc_response", compact(value))
        elif "name" in value:
            seed("fuzz_agent_card", compact(value))


def handwritten():
    # Edges the captures do not show: padding, URL-safe alphabet, MIME line breaks.
    for text in ["", "aGVsbG8=", "aGVsbG8", "aGk-_w==", "aGVs\r\nbG8=", "====", "a"]:
        seed("fuzz_base64", text)
    for text in [": keep-alive\n\n", "\ufeffdata: a\r\ndata: b\r\n\r\n",
                 "event: error\ndata: {}\n\n", "data\n\nid: 1\nretry: 5\ndata:x\r\r"]:
        seed("fuzz_sse", text)


if __name__ == "__main__":
    from_wire_captures()
    from_tailscale()
    if len(sys.argv) > 1:
        from_wire_doc(sys.argv[1])
    handwritten()
    for target in sorted(os.listdir(CORPUS)):
        print(target, len(os.listdir(os.path.join(CORPUS, target))))
