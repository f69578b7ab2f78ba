"""Stage-1 pairs from any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp's server,
Ollama, hosted services), with the failure modes of real endpoints handled:

* transient failures (429, 408, 5xx, connection refused/reset, timeouts, a garbage envelope) are
  retried with exponential backoff and jitter; a ``Retry-After`` header is honoured (seconds or an
  HTTP date, capped at `max_retry_after`);
* permanent failures (400/401/403/404...) stop the run at once with a one-line message;
* a model that refuses or returns nothing usable stops the run after `max_empty_rounds`
  consecutive rounds with no accepted pair, and the total number of requests is bounded too, so a
  run can never loop forever;
* every accepted pair is appended and flushed immediately (`PairStore`), so Ctrl-C loses nothing
  and a rerun resumes.

The API key is read from an environment variable by name and only ever placed in the
Authorization header; every message that could echo it (server error bodies) is redacted.
Only the standard library is used (urllib), so there is no extra dependency.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import queue
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from ..errors import InputError
from .llm_prompts import Message, build_messages, request_register
from .pairs import Pair
from .validate import PairStore, PairValidator, parse_pairs_json

__all__ = [
    "ClientConfig",
    "ChatClient",
    "ChatReply",
    "EndpointError",
    "GenerationResult",
    "generate_llm_pairs",
    "redact",
    "safe_url",
]

RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class EndpointError(InputError):
    """The endpoint cannot serve us (down after all retries, or a permanent 4xx); one line."""


def redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def safe_url(url: str) -> str:
    """The URL without user info, query or fragment (where people sometimes put tokens)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


@dataclass(frozen=True)
class ClientConfig:
    """How to talk to the endpoint. Delays are in seconds; tests pass tiny ones."""

    base_url: str
    model: str
    timeout: float = 120.0
    max_retries: int = 5
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    max_retry_after: float = 300.0
    temperature: float = 1.0
    max_tokens: int = 4096

    def __post_init__(self) -> None:
        if not self.base_url.startswith(("http://", "https://")):
            raise InputError(f"--base-url must start with http:// or https://, got {safe_url(self.base_url)!r}")
        if not self.model:
            raise InputError("--model is required for the openai backend")
        if self.timeout <= 0 or self.max_retries < 0:
            raise InputError("--timeout must be > 0 and --max-retries >= 0")

    @property
    def endpoint(self) -> str:
        base = self.base_url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


@dataclass
class ChatReply:
    content: str | None
    attempts: int
    refused: bool = False  # the API's own refusal field was set
    error: str | None = None  # set when every attempt failed


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class ChatClient:
    """A minimal chat-completions client with retries. Thread-safe (one request per call)."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        api_key: str | None = None,
        seed: int = 0,
        sleep: Callable[[float], None] = time.sleep,
        log: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.config = config
        self._key = api_key or None
        self._sleep = sleep
        self._log = log
        self._rng = random.Random(f"{seed}|backoff")
        self._lock = threading.Lock()
        self.retry_log: list[tuple[str, float]] = []  # (reason, delay) for every retry, in order

    def __repr__(self) -> str:  # never show the key
        return f"ChatClient({safe_url(self.config.endpoint)!r}, model={self.config.model!r})"

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        c = self.config
        if retry_after is not None:
            return min(retry_after, c.max_retry_after)
        cap = min(c.backoff_max, c.backoff_base * (2**attempt))
        with self._lock:
            return cap / 2 + self._rng.uniform(0, cap / 2)  # "equal jitter": never 0, never synchronised

    def _request(self, messages: Sequence[Message]) -> tuple[int, dict[str, str], bytes]:
        c = self.config
        body = json.dumps(
            {"model": c.model, "messages": list(messages), "temperature": c.temperature, "max_tokens": c.max_tokens}
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self._key:
            headers["Authorization"] = f"Bearer {self._key}"
        req = urllib.request.Request(c.endpoint, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=c.timeout) as resp:  # noqa: S310 - URL is the user's endpoint
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            try:
                payload = exc.read()
            except (OSError, http.client.HTTPException):
                payload = b""
            return exc.code, dict(exc.headers or {}), payload

    def chat(self, messages: Sequence[Message]) -> ChatReply:
        """One completion; retries transient failures, raises EndpointError on permanent ones."""
        c = self.config
        last = ""
        for attempt in range(c.max_retries + 1):
            retry_after: float | None = None
            try:
                status, headers, payload = self._request(messages)
            except (socket.timeout, TimeoutError):
                last = f"timeout after {c.timeout:g}s"
            except urllib.error.URLError as exc:
                reason = exc.reason
                last = f"timeout after {c.timeout:g}s" if isinstance(reason, (socket.timeout, TimeoutError)) else f"connection failed ({reason})"
            except (http.client.HTTPException, ConnectionError, OSError) as exc:
                last = f"connection failed ({type(exc).__name__})"
            else:
                if status == 200:
                    try:
                        data = json.loads(payload.decode("utf-8"))
                        message = data["choices"][0]["message"]
                        content = message.get("content")
                        refused = bool(message.get("refusal")) and not content
                        return ChatReply(content if isinstance(content, str) else None, attempt + 1, refused=refused)
                    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
                        last = "malformed response envelope"
                elif status in RETRY_STATUS:
                    last = f"HTTP {status}"
                    lower = {k.lower(): v for k, v in headers.items()}
                    retry_after = _retry_after(lower.get("retry-after"))
                else:
                    text = redact(payload.decode("utf-8", "replace"), self._key)
                    detail = " ".join(text.split())[:200]
                    raise EndpointError(f"{safe_url(c.endpoint)}: HTTP {status} (not retryable): {detail}")
            if attempt == c.max_retries:
                break
            delay = self._delay(attempt, retry_after)
            with self._lock:
                self.retry_log.append((last, delay))
            self._log(f"retrying after {last} (attempt {attempt + 1}/{c.max_retries}, waiting {delay:.2f}s)")
            self._sleep(delay)
        return ChatReply(None, c.max_retries + 1, error=redact(last, self._key))


@dataclass
class GenerationResult:
    """What a run did: requests, replies by outcome, pairs accepted, why it stopped."""

    requests: int = 0
    failed_requests: int = 0
    replies: Counter = field(default_factory=Counter)  # ok | refusal | malformed_json | empty | failed
    repairs: Counter = field(default_factory=Counter)
    items: int = 0
    accepted: int = 0
    stopped: str = "done"  # done | refused | no_progress | request_budget | endpoint_down
    message: str = ""
    next_request: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "failed_requests": self.failed_requests,
            "replies": dict(self.replies),
            "repairs": dict(self.repairs),
            "items_parsed": self.items,
            "accepted": self.accepted,
            "stopped": self.stopped,
            "message": self.message,
            "next_request": self.next_request,
        }


def _run_round(client: ChatClient, jobs: list[tuple[int, list[Message]]]) -> dict[int, ChatReply | BaseException]:
    """Run one round of requests on daemon threads (Ctrl-C in the main thread is never blocked
    by a request in flight; the process exits without waiting for them)."""
    results: "queue.Queue[tuple[int, ChatReply | BaseException]]" = queue.Queue()

    def work(idx: int, messages: list[Message]) -> None:
        try:
            results.put((idx, client.chat(messages)))
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            results.put((idx, exc))

    for idx, messages in jobs:
        threading.Thread(target=work, args=(idx, messages), daemon=True, name=f"cgce-llm-{idx}").start()
    out: dict[int, ChatReply | BaseException] = {}
    while len(out) < len(jobs):
        try:
            idx, res = results.get(timeout=0.2)
        except queue.Empty:
            continue
        out[idx] = res
    return out


def generate_llm_pairs(
    *,
    client: ChatClient,
    store: PairStore,
    validator: PairValidator,
    concept: str,
    description: str,
    n: int,
    batch_size: int = 20,
    concurrency: int = 4,
    seed: int = 0,
    start_request: int = 0,
    max_empty_rounds: int = 3,
    max_requests: int | None = None,
    log: Callable[[str], None] = lambda _m: None,
    result: GenerationResult | None = None,
) -> GenerationResult:
    """Ask for pairs until `store` holds `n` base pairs (counting what it held before).

    Replies of a round are processed in request order, so a run is reproducible given the same
    replies. Stops early (never loops forever) when `max_empty_rounds` consecutive rounds add no
    pair, or after `max_requests` requests (default: 3x what `n` needs, plus 10). Pass `result`
    to read the progress (e.g. `next_request` for a resume) even if the run is interrupted.
    """
    if batch_size < 1 or concurrency < 1:
        raise InputError("--batch-size and --concurrency must be >= 1")
    res = result if result is not None else GenerationResult()
    res.next_request = start_request
    need = n - len(store.base_pairs)
    budget = max_requests if max_requests is not None else 3 * -(-max(need, 0) // batch_size) + 10
    empty_rounds = 0
    examples = tuple((p.safe, p.unsafe) for p in store.base_pairs[:3])
    while len(store.base_pairs) < n:
        if res.requests >= budget:
            res.stopped, res.message = "request_budget", f"stopped after {res.requests} requests (budget {budget})"
            break
        remaining = n - len(store.base_pairs)
        k = max(1, min(concurrency, -(-remaining // batch_size), budget - res.requests))
        jobs = []
        for j in range(k):
            idx = res.next_request + j
            jobs.append((idx, build_messages(concept=concept, description=description, n=batch_size, request_index=idx, seed=seed, examples=examples)))
        replies = _run_round(client, jobs)
        res.requests += k
        res.next_request += k
        added = 0
        failed_all = True
        last_error = ""
        for idx, _ in jobs:
            reply = replies[idx]
            if isinstance(reply, BaseException):
                raise reply
            if reply.error is not None:
                res.failed_requests += 1
                res.replies["failed"] += 1
                last_error = reply.error
                continue
            failed_all = False
            parsed = parse_pairs_json(reply.content)
            res.repairs.update(parsed.repairs)
            if reply.refused:
                res.replies["refusal"] += 1
                continue
            if not parsed.ok:
                res.replies[parsed.error or "malformed_json"] += 1
                continue
            res.replies["ok"] += 1
            res.items += len(parsed.items)
            register = "llm:" + request_register(concept=concept, request_index=idx, seed=seed)
            accepted = validator.validate(parsed.items)
            room = n - len(store.base_pairs)
            new = []
            for safe, unsafe in accepted[:room]:
                new.append(Pair(concept, f"{concept}-{len(store.base_pairs) + len(new):05d}", safe, unsafe, register))
            store.append(new)
            added += len(new)
        res.accepted += added
        log(f"round: {k} requests, +{added} pairs, {len(store.base_pairs)}/{n}")
        if failed_all:
            res.stopped = "endpoint_down"
            res.message = f"{safe_url(client.config.endpoint)} unreachable: every request of a round failed after retries ({last_error})"
            break
        empty_rounds = 0 if added else empty_rounds + 1
        if empty_rounds >= max_empty_rounds:
            refusals = res.replies["refusal"]
            res.stopped = "refused" if refusals else "no_progress"
            res.message = (
                f"no usable pairs in {empty_rounds} consecutive rounds "
                f"(refusals {refusals}, malformed {res.replies['malformed_json']}, empty {res.replies['empty']}, "
                f"rejected by validation {sum(validator.rejections.values())}); stopping"
            )
            break
    return res
