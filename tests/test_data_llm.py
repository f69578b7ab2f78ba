"""The OpenAI-compatible backend against an in-process chat-completions server on 127.0.0.1.

The server is scripted per test: good JSON, code-fenced JSON, garbage, 429 with Retry-After, 5xx,
a response slower than the client timeout, refusals. All delays are tiny (backoff in ms).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cgce.cli import main
from cgce.data.generate import CONCEPT_PATTERNS
from cgce.data.llm import ChatClient, ClientConfig, EndpointError, generate_llm_pairs
from cgce.data.validate import PairStore, PairValidator, ValidatorConfig, encoder_embedder, parse_pairs_json

SUBJECTS = ["a woman", "a man", "a dancer", "an actress", "a swimmer", "a model", "an athlete", "a sculptor"]
PLACES = ["on a beach", "in a bedroom", "by a lake", "in a studio", "on a sofa", "in a garden", "at a pool", "in a forest"]
ALL_PAIRS = [
    {"safe": f"{s} in a red dress {p}", "unsafe": f"{s} completely naked {p}"} for s in SUBJECTS for p in PLACES
]


def envelope(content: str | None, refusal: str | None = None) -> bytes:
    message = {"role": "assistant", "content": content}
    if refusal:
        message["refusal"] = refusal
    return json.dumps({"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": message}]}).encode()


class Script:
    """Actions served in order; the last one repeats. An action is a dict:
    {"content": str} | {"status": int, "headers": {...}, "body": bytes} | {"sleep": s, "content": str}
    | {"refusal": str} | {"raw": bytes}."""

    def __init__(self, actions: list[dict]) -> None:
        self.actions = list(actions)
        self.requests: list[dict] = []
        self.lock = threading.Lock()

    def next(self, headers: dict, body: dict) -> dict:
        with self.lock:
            self.requests.append({"headers": headers, "body": body})
            return self.actions.pop(0) if len(self.actions) > 1 else self.actions[0]


@pytest.fixture()
def server():
    script = Script([{"content": "[]"}])

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            action = script.next(dict(self.headers), body)
            if "sleep" in action:
                time.sleep(action["sleep"])
            if "status" in action:
                payload = action.get("body", b"error")
                self.send_response(action["status"])
                for k, v in action.get("headers", {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            payload = action["raw"] if "raw" in action else envelope(action.get("content"), action.get("refusal"))
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    yield script
    httpd.shutdown()
    httpd.server_close()


def client_for(url: str, **kw) -> tuple[ChatClient, list[float]]:
    sleeps: list[float] = []
    cfg = ClientConfig(base_url=url, model="test-model", timeout=kw.pop("timeout", 5.0), max_retries=kw.pop("max_retries", 4),
                       backoff_base=0.01, backoff_max=0.05, **kw)
    return ChatClient(cfg, api_key="sk-test", sleep=sleeps.append), sleeps


def batch(i: int, n: int = 5) -> str:
    return json.dumps(ALL_PAIRS[i * n : (i + 1) * n])


def keyword_validator() -> PairValidator:
    return PairValidator(concept="nudity", concept_text="nudity", keywords=CONCEPT_PATTERNS["nudity"])


# --------------------------------------------------------------------------------------------
# parsing


@pytest.mark.parametrize(
    "reply, n, error",
    [
        ('[{"safe": "a b c d e f g", "unsafe": "a naked b c d e"}]', 1, None),
        ('```json\n[{"safe": "x", "unsafe": "y"},]\n```', 1, None),  # fence + trailing comma
        ('Sure! {"safe": "x", "unsafe": "y"}', 1, None),  # a single object, with chatter
        ('{"pairs": [{"safe": "x", "unsafe": "y"}, {"safe": "z", "unsafe": "w"}]}', 2, None),
        ('{"safe": "x", "unsafe": "y"}\n{"safe": "z", "unsafe": "w"}', 2, None),  # JSON Lines
        ('[{"safe": "x", "unsafe": "y"}, {"safe": "z", "uns', 1, None),  # cut off by max_tokens
        ("I'm sorry, but I can't help with that request.", 0, "refusal"),
        ("lorem ipsum dolor", 0, "malformed_json"),
        ("", 0, "empty"),
        ("[]", 0, "empty"),
    ],
)
def test_parse_repairs_or_rejects(reply, n, error):
    res = parse_pairs_json(reply)
    assert len(res.items) == n
    assert res.error == error


# --------------------------------------------------------------------------------------------
# client: retries, backoff, timeouts, permanent errors


def test_retries_429_with_retry_after_then_5xx_with_backoff(server):
    server.actions = [
        {"status": 429, "headers": {"Retry-After": "0.03"}},
        {"status": 500},
        {"status": 503},
        {"raw": b"<html>bad gateway</html>"},
        {"content": batch(0)},
    ]
    client, sleeps = client_for(server.url)
    reply = client.chat([{"role": "user", "content": "hi"}])
    assert reply.error is None and reply.attempts == 5
    assert [r for r, _ in client.retry_log] == ["HTTP 429", "HTTP 500", "HTTP 503", "malformed response envelope"]
    assert sleeps[0] == pytest.approx(0.03)  # Retry-After honoured
    for attempt, delay in enumerate(sleeps[1:], start=1):  # exponential with equal jitter, capped
        cap = min(0.05, 0.01 * 2**attempt)
        assert cap / 2 <= delay <= cap
    assert server.requests[0]["body"]["model"] == "test-model"
    assert server.requests[0]["headers"]["Authorization"] == "Bearer sk-test"


def test_slow_response_times_out_and_is_retried(server):
    server.actions = [{"sleep": 0.6, "content": batch(0)}, {"content": batch(1)}]
    client, _ = client_for(server.url, timeout=0.2)
    reply = client.chat([{"role": "user", "content": "hi"}])
    assert reply.error is None
    assert "timeout" in client.retry_log[0][0]
    assert "a man" in reply.content


def test_retries_are_bounded_and_reported(server):
    server.actions = [{"status": 502}]
    client, sleeps = client_for(server.url, max_retries=3)
    reply = client.chat([{"role": "user", "content": "hi"}])
    assert reply.error == "HTTP 502" and reply.attempts == 4 and len(sleeps) == 3


def test_permanent_error_stops_at_once_and_redacts_key(server):
    server.actions = [{"status": 401, "body": b'{"error": "Incorrect API key provided: sk-test"}'}]
    client, sleeps = client_for(server.url)
    with pytest.raises(EndpointError) as info:
        client.chat([{"role": "user", "content": "hi"}])
    assert "401" in str(info.value) and "sk-test" not in str(info.value) and "***" in str(info.value)
    assert sleeps == []


def test_endpoint_down_stops_the_run(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client, _ = client_for(f"http://127.0.0.1:{port}/v1", max_retries=1)
    store = PairStore(tmp_path / "out.jsonl", concept="nudity")
    res = generate_llm_pairs(client=client, store=store, validator=keyword_validator(), concept="nudity", description="d", n=10,
                             batch_size=5, concurrency=2)
    assert res.stopped == "endpoint_down" and "unreachable" in res.message
    assert res.requests == 2 and not store.pairs


# --------------------------------------------------------------------------------------------
# generation loop: validation, dedupe, refusals, resume


def test_generation_validates_dedupes_and_counts_rejections(server, tmp_path):
    bad = [
        {"safe": "a woman in a red dress on a beach", "unsafe": "a woman completely naked on a beach"},  # duplicate of batch 0
        {"safe": "a nude woman on a rock", "unsafe": "a naked woman on a rock"},  # safe mentions concept
        {"safe": "a cat on a sofa", "unsafe": "a cat on a sofa"},  # identical
        {"safe": "a tree in a park"},  # missing side
        {"safe": "x", "unsafe": "naked"},  # too short
        {"safe": "a dog by a river", "unsafe": "a dog swimming by a river"},  # no concept
        {"safe": "a woman " * 80, "unsafe": "a naked woman " * 80},  # too long
        {"safe": 3, "unsafe": "a naked woman"},  # not text
    ]
    server.actions = [
        {"content": "```json\n" + batch(0)[:-1] + ",]\n```"},  # fenced + trailing comma
        {"content": "not json at all"},
        {"content": json.dumps(bad)},
        {"content": batch(1)},
    ]
    client, _ = client_for(server.url)
    validator = keyword_validator()
    store = PairStore(tmp_path / "out.jsonl", concept="nudity")
    res = generate_llm_pairs(client=client, store=store, validator=validator, concept="nudity", description="d", n=10,
                             batch_size=5, concurrency=1, max_empty_rounds=5)
    assert res.stopped == "done" and len(store.pairs) == 10
    assert res.replies == {"ok": 3, "malformed_json": 1}
    assert res.repairs["code_fence"] == 1 and res.repairs["trailing_comma"] == 1
    assert dict(validator.rejections) == {
        "duplicate": 1, "safe_mentions_concept": 1, "identical": 1, "missing_side": 1, "too_short": 1,
        "unsafe_lacks_concept": 1, "too_long": 1, "not_text": 1,
    }
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert [json.loads(ln)["pair_id"] for ln in lines] == [f"nudity-{i:05d}" for i in range(10)]
    assert all(json.loads(ln)["register"].startswith("llm:") for ln in lines)


def test_embedding_checks_reject_far_pairs_and_near_duplicates(encoder):
    validator = PairValidator(concept="nudity", concept_text="nudity", keywords=CONCEPT_PATTERNS["nudity"],
                              embedder=encoder_embedder(encoder), config=ValidatorConfig(min_pair_cosine=0.5, near_duplicate_cosine=0.97))
    items = [
        {"safe": "a woman in a red dress on a beach at sunset", "unsafe": "a naked woman on a beach at sunset"},
        {"safe": "a woman in a red dress on a beach at sunset.", "unsafe": "a naked woman on the beach at sunset"},  # near dup
        {"safe": "a bowl of soup on a kitchen table", "unsafe": "a naked soldier in a tank"},  # topic changed
        {"safe": "a man in a wool coat reading by a window", "unsafe": "a seductive man reading by a window in lingerie"},
    ]
    accepted = validator.validate(items)
    assert len(accepted) == 2
    assert dict(validator.rejections) == {"near_duplicate": 1, "too_far_apart": 1}


def test_refusing_model_is_reported_not_looped(server, tmp_path):
    server.actions = [{"refusal": "I can't help with that."}, {"content": "I'm sorry, but I cannot create that content."}]
    client, _ = client_for(server.url)
    store = PairStore(tmp_path / "out.jsonl", concept="nudity")
    res = generate_llm_pairs(client=client, store=store, validator=keyword_validator(), concept="nudity", description="d", n=1000,
                             batch_size=10, concurrency=2, max_empty_rounds=3)
    assert res.stopped == "refused" and "3 consecutive rounds" in res.message
    assert res.requests == 6 and res.replies["refusal"] == 6


def test_request_budget_bounds_a_trickling_model(server, tmp_path):
    server.actions = [{"content": json.dumps([p]) } for p in ALL_PAIRS]
    client, _ = client_for(server.url)
    store = PairStore(tmp_path / "out.jsonl", concept="nudity")
    res = generate_llm_pairs(client=client, store=store, validator=keyword_validator(), concept="nudity", description="d", n=60,
                             batch_size=20, concurrency=1)
    assert res.stopped == "request_budget" and res.requests == 3 * 3 + 10 and len(store.pairs) == 19


def _cli(server, out: Path, *extra: str, n: int = 10) -> int:
    return main([
        "data", "generate", "--backend", "openai", "--concept", "nudity", "--description", "nude adults", "--n", str(n),
        "--base-url", server.url, "--model", "m", "--out", str(out), "--batch-size", "5", "--concurrency", "1",
        "--backoff", "0.001", "--no-embed-check", "--api-key-env", "CGCE_TEST_SECRET_KEY", *extra,
    ])


def test_interrupt_then_resume_loses_nothing(server, tmp_path, monkeypatch, capsys):
    import cgce.commands.data as data_cmd

    server.actions = [{"content": batch(i)} for i in range(6)]
    out = tmp_path / "pairs.jsonl"

    def interrupting_log(quiet):
        def log(msg):
            if msg.startswith("round:"):
                raise KeyboardInterrupt
        return log

    monkeypatch.setattr(data_cmd, "_log", interrupting_log)
    assert _cli(server, out) == 130
    first = out.read_text().splitlines()
    assert len(first) == 5 and all(json.loads(ln) for ln in first)
    meta = json.loads((tmp_path / "pairs.meta.json").read_text())
    assert meta["runs"][-1]["interrupted"] is True and meta["counts"]["pairs"] == 5
    with out.open("a") as fh:  # a torn line, as if killed in the middle of a write
        fh.write('{"concept": "nudity", "safe": "half a li')
    monkeypatch.undo()
    assert _cli(server, out, "--quiet") == 0
    rows = [json.loads(ln) for ln in out.read_text().splitlines()]
    assert len(rows) == 10 and rows[:5] == [json.loads(ln) for ln in first]
    assert [r["pair_id"] for r in rows] == [f"nudity-{i:05d}" for i in range(10)]
    assert len({(r["safe"], r["unsafe"]) for r in rows}) == 10
    meta = json.loads((tmp_path / "pairs.meta.json").read_text())
    assert len(meta["runs"]) == 2 and meta["runs"][1]["pairs_before"] == 5 and meta["counts"]["pairs"] == 10
    assert meta["llm"]["next_request"] == 2  # the resumed run asked new questions, not request 0 again


def test_api_key_never_logged_or_stored(server, tmp_path, monkeypatch, capsys):
    secret = "sk-very-secret-0123456789"
    monkeypatch.setenv("CGCE_TEST_SECRET_KEY", secret)
    server.actions = [{"status": 429, "headers": {"Retry-After": "0"}}, {"content": batch(0)}, {"content": batch(1)}]
    out = tmp_path / "pairs.jsonl"
    assert _cli(server, out) == 0
    captured = capsys.readouterr()
    assert "retrying after HTTP 429" in captured.err  # the log ran, and it is clean
    assert server.requests[0]["headers"]["Authorization"] == f"Bearer {secret}"
    for text in (captured.out, captured.err, out.read_text(), (tmp_path / "pairs.meta.json").read_text()):
        assert secret not in text
    meta = json.loads((tmp_path / "pairs.meta.json").read_text())
    assert meta["api_key_env"] == "CGCE_TEST_SECRET_KEY" and meta["model"] == "m" and meta["backend"] == "openai"


def test_cli_refusal_exits_2_with_one_line(server, tmp_path, capsys):
    server.actions = [{"content": "I'm sorry, I can't help with that."}]
    assert _cli(server, tmp_path / "p.jsonl", "--quiet") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no usable pairs" in err[0]
    meta = json.loads((tmp_path / "p.meta.json").read_text())
    assert meta["runs"][0]["stopped"] == "refused"
