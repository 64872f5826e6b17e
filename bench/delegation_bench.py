#!/usr/bin/env python3
"""Delegation latency on loopback (issue 5 item 6): from the moment `respond` returns on
peer B until `wait` prints the answer on peer A, over N rounds, p50/p99.

Two peers B, both measured in the same run against the same sender A (a real
`constellation serve`):
  push    B is a real `constellation serve`: its card offers push notifications, so A
          registers a callback with each task and B posts the answer when `respond` runs.
  legacy  B speaks only the original Rust Constellation's dialect (tasks/send, tasks/get,
          its card shape, a2a-wire.md §1). The original cannot be installed here, so B is
          a small faithful stand-in served by this script; `respond` marks the task
          completed in it (the original's respond is a store write too). A can only poll
          it, from the daemon, on its adaptive schedule.

Each round: `send` from A (not timed), start `wait` on A (it blocks on A's daemon),
`respond` on B after a random "thinking" delay; the time is taken from `respond`'s return to the moment `wait`'s
output line arrives. The original polls every 2 s from each `wait`: about 1 s on
average, 2 s worst.

    python3 bench/delegation_bench.py [--bin build/constellation] [--rounds 200]
"""

import argparse
import datetime
import http.server
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def free_port(address):
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


class Peer:
    """A real constellation peer in its own temp dirs, on one loopback address."""

    def __init__(self, binary, root, name, address):
        self.binary, self.name, self.address = binary, name, address
        self.port = free_port(address)
        self.root = os.path.join(root, name)
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": self.root,
            "XDG_CONFIG_HOME": os.path.join(self.root, "config"),
            "XDG_DATA_HOME": os.path.join(self.root, "data"),
            "XDG_RUNTIME_DIR": os.path.join(self.root, "run"),
        }
        os.makedirs(self.env["XDG_RUNTIME_DIR"], mode=0o700)
        self.daemon = None

    @property
    def url(self):
        return f"http://{self.address}:{self.port}"

    def cli(self, *args, check=True):
        r = subprocess.run([self.binary, *args], env=self.env, capture_output=True, text=True, timeout=60)
        if check and r.returncode != 0:
            raise RuntimeError(f"{self.name}: {' '.join(args)} exited {r.returncode}: {r.stderr}")
        return r.stdout

    def init(self, peers):
        args = ["init", "--name", self.name, "--bind", self.address, "--port", str(self.port),
                "--discovery", "none"]
        for p in peers:
            args += ["--peer", p]
        self.cli(*args)
        config = os.path.join(self.env["XDG_CONFIG_HOME"], "constellation", "config.toml")
        with open(config) as f:
            text = f.read()
        # Probe peers every 300 ms so the bench does not wait 30 s for discovery.
        lines = ['interval = "300ms"' if l.startswith("interval =") else l for l in text.split("\n")]
        with open(config, "w") as f:
            f.write("\n".join(lines))

    def start(self):
        log = open(os.path.join(self.root, "serve.log"), "w")
        self.daemon = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=log, stderr=log)

    def stop(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                self.daemon.wait(15)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class LegacyPeer:
    """The original Rust Constellation's wire behaviour (a2a-wire.md §1), in memory."""

    def __init__(self, name, address):
        self.name, self.address = name, address
        self.port = free_port(address)
        self.tasks = {}
        self.lock = threading.Lock()
        self.gets = 0
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, body):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path not in ("/.well-known/agent.json", "/.well-known/agent-card.json"):
                    self.send_error(404)
                    return
                self.reply({"name": peer.name, "url": peer.url + "/", "version": "0.1.0",
                            "capabilities": {"streaming": False, "pushNotifications": False,
                                             "stateTransitionHistory": False},
                            "defaultInputModes": ["text"], "defaultOutputModes": ["text"],
                            "skills": [{"id": "bench", "name": "bench", "tags": ["bench"]}]})

            def do_POST(self):
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                params, rid = request.get("params", {}), request.get("id")
                with peer.lock:
                    if request["method"] == "tasks/send":
                        task = {"id": params["id"], "status": {"state": "submitted", "timestamp": now_rfc3339()},
                                "history": [params["message"]]}
                        peer.tasks.setdefault(params["id"], task)
                        self.reply({"jsonrpc": "2.0", "id": rid, "result": task})
                    elif request["method"] == "tasks/get":
                        peer.gets += 1
                        task = peer.tasks.get(params["id"])
                        if task is None:
                            self.reply({"jsonrpc": "2.0", "id": rid,
                                        "error": {"code": -32001, "message": "Task not found"}})
                        else:
                            self.reply({"jsonrpc": "2.0", "id": rid, "result": task})
                    else:
                        self.reply({"jsonrpc": "2.0", "id": rid,
                                    "error": {"code": -32601, "message": "Method not found"}})

        self.server = http.server.ThreadingHTTPServer((address, self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://{self.address}:{self.port}"

    def respond(self, task_id, text):
        with self.lock:
            task = self.tasks[task_id]
            task["history"].append({"role": "agent", "parts": [{"type": "text", "text": text}]})
            task["status"] = {"state": "completed", "timestamp": now_rfc3339()}

    def stop(self):
        self.server.shutdown()


def wait_until(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def one_round(a, target, respond, i, think):
    task = a.cli("send", target, f"round {i}").strip()
    waiting = subprocess.Popen([a.binary, "wait", task, "--timeout", "30"], env=a.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # B's agent takes a while to answer; when, relative to A's polls, decides what
    # polling costs, so the delay varies as a real agent's would.
    time.sleep(0.05 + think)
    respond(task, f"answer {i}")
    t0 = time.perf_counter()
    line = waiting.stdout.readline()
    t1 = time.perf_counter()
    waiting.wait(30)
    if line.strip() != f"answer {i}":
        raise RuntimeError(f"round {i}: wait printed {line!r}, stderr {waiting.stderr.read()!r}")
    return (t1 - t0) * 1000.0


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100.0 * (len(ordered) - 1))))
    return ordered[k]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(here, "..", "build", "constellation"))
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--think-ms", type=float, default=2000,
                        help="B answers after a delay drawn uniformly from [0, this) (same draws for both peers)")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    root = tempfile.mkdtemp(prefix="constellation-delegation-bench-")
    a = Peer(binary, root, "alice", "127.0.0.90")
    b = Peer(binary, root, "bob", "127.0.0.91")
    legacy = LegacyPeer("rusty", "127.0.0.92")
    try:
        a.init([b.url, legacy.url])
        b.init([a.url])
        a.start()
        b.start()
        if not wait_until(lambda: "bob" in a.cli("peers", check=False) and "rusty" in a.cli("peers", check=False)):
            raise RuntimeError("alice does not see bob and rusty: " + a.cli("peers", "--all", check=False))
        rng = random.Random(42)
        thinks = [rng.uniform(0, args.think_ms / 1000.0) for _ in range(args.rounds)]
        results = {}
        for name, target, respond in (
            ("push (constellation peer)", "bob", lambda t, text: b.cli("respond", t, text)),
            ("legacy (original's dialect, polled)", "rusty", legacy.respond),
        ):
            samples = [one_round(a, target, respond, i, thinks[i]) for i in range(args.rounds)]
            results[name] = samples
        print(f"delegation latency, respond returned on B -> wait printed on A, {args.rounds} rounds each,"
              f" B answering 0-{args.think_ms:.0f} ms after the send")
        for name, samples in results.items():
            print(f"  {name:38s} p50 {percentile(samples, 50):8.1f} ms   p99 {percentile(samples, 99):8.1f} ms"
                  f"   mean {statistics.mean(samples):8.1f} ms")
        push50 = percentile(results["push (constellation peer)"], 50)
        legacy50 = percentile(results["legacy (original's dialect, polled)"], 50)
        print(f"  legacy p50 / push p50 = {legacy50 / push50:.1f}x;  the original polls every 2 s "
              f"(about 1000 ms average, 2000 ms worst)")
        print(f"  tasks/get calls the legacy peer served: {legacy.gets}")
    finally:
        a.stop()
        b.stop()
        legacy.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
