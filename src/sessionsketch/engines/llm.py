"""The LLM drafting engine: an OpenAI-compatible chat API, gated by evidence.

For each reported speaker, the speaker's turns (numbered) and the session context go to
the model, which answers JSON: sentences in reported speech, each citing the turn
numbers it reports. Every sentence of every answer (an answer's text is split into
sentences) then passes THE EVIDENCE GATE before it reaches the sketch:

* the cited turns exist and are the named speaker's own;
* it is reported speech: no first- or second-person word outside quotation marks;
* :class:`sessionsketch.analysis.support.SupportScorer` finds the sentence supported
  (score >= ``SUPPORTED``) by one of the cited turns;
* every number and every capitalised word (names, places, dates, organisations) that
  is not a participant's name appears in the cited turns.

Sentences that fail are dropped (``--explain`` lists them with the reason); a second
sentence resting on the same span is dropped as a repeat; a speaker left with too
little is drafted by the embedded extractive engine instead. The gate is lexical: a
sentence that rearranges the cited turn's own words into a different claim can pass it.

Settings (first found wins): ``DraftOptions.extra`` (``endpoint``, ``model``,
``fallback``, ``explain``, ``cache_dir``, ``max_tokens``, ``n_ctx``, ``concurrency``,
``timeout``), the environment (``SESSIONSKETCH_LLM_ENDPOINT``, ``SESSIONSKETCH_LLM_MODEL``,
``OPENAI_API_KEY``), then ``[llm]`` in ``~/.config/sessionsketch/config.toml``.
The API key is sent only in the ``Authorization`` header: never logged, never in an
error, never in the sketch; URLs in messages are shown without ``user:password@`` and
query strings.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from sessionsketch.engines import DraftOptions, get_engine, register_engine
from sessionsketch.engines.extractive import WORDS_PER_SPEAKER, reported_people
from sessionsketch.engines.reported import FIRST_PERSON_RE, SECOND_PERSON_RE
from sessionsketch.errors import UserError
from sessionsketch.files import write_atomic
from sessionsketch.model import (
    Evidence,
    Metadata,
    Paragraph,
    Person,
    Programme,
    Sentence,
    Session,
    Sketch,
    Transcript,
    Turn,
)
from sessionsketch.text import split_sentences, word_count

log = logging.getLogger(__name__)

DEFAULT_ENDPOINT = "http://127.0.0.1:8080/v1"
DEFAULT_MODEL = "default"
CONFIG_PATH = Path("~/.config/sessionsketch/config.toml")
CHARS_PER_TOKEN = 4  # conservative estimate for English when no tokenizer is at hand
PROMPT_VERSION = 2  # part of the cache key: bump when the prompt changes
MIN_KEPT_SHARE = 0.4  # a speaker whose kept sentences fall under this share of the ask falls back


def answer_schema(turns: list[int], sentences: int) -> dict[str, Any]:
    """The JSON schema of an answer: 1 to ``sentences`` items, each citing 1-3 of ``turns``.

    ``turns`` comes first in each item so that a model writes the text after choosing what
    it reports; the enum keeps grammar-constrained servers (llama.cpp) from citing a turn
    that was not asked about, and ``minItems`` from answering an empty list. No string
    lengths: llama.cpp turns them into grammar rules that make sampling 2-3x slower.
    Validation does not rely on the server honouring any of it.
    """
    return {
        "type": "object",
        "properties": {
            "sentences": {
                "type": "array",
                "minItems": 1,
                "maxItems": max(1, sentences),
                "items": {
                    "type": "object",
                    "properties": {
                        "turns": {
                            "type": "array",
                            "items": {"type": "integer", "enum": sorted(set(turns))},
                            "minItems": 1,
                            "maxItems": 3,
                        },
                        "text": {"type": "string"},
                    },
                    "required": ["turns", "text"],
                },
            }
        },
        "required": ["sentences"],
    }


SYSTEM_PROMPT = (
    "You rewrite what a speaker said at a meeting in reported speech: third person, past "
    "tense. Keep their facts; add nothing: no names, numbers, dates or claims that are not "
    "in their turns. Answer in JSON: a list of sentences, each with the numbers of the "
    "turns it reports."
)


# --------------------------------------------------------------------------- settings
@dataclass
class LLMSettings:
    endpoint: str = DEFAULT_ENDPOINT
    model: str = DEFAULT_MODEL
    api_key: str | None = None
    fallback: bool = False
    explain: bool = False
    cache_dir: Path | None = None
    max_tokens: int = 400
    n_ctx: int = 2048
    concurrency: int = 2
    timeout: float = 120.0
    retries: int = 3
    temperature: float = 0.0

    def __repr__(self) -> str:  # never show the key
        return f"LLMSettings(endpoint={self.endpoint!r}, model={self.model!r})"


def load_settings(extra: dict[str, Any] | None = None, config_path: Path | None = None) -> LLMSettings:
    """Settings from ``extra``, then the environment, then the config file."""
    extra = extra or {}
    path = (config_path or CONFIG_PATH).expanduser()
    config: dict[str, Any] = {}
    if path.is_file():
        try:
            config = tomllib.loads(path.read_text("utf-8")).get("llm", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"not a valid TOML config: {exc}", path) from None
    env = {
        "endpoint": os.environ.get("SESSIONSKETCH_LLM_ENDPOINT"),
        "model": os.environ.get("SESSIONSKETCH_LLM_MODEL"),
        "api_key": os.environ.get("OPENAI_API_KEY"),
    }
    s = LLMSettings()
    for key in LLMSettings.__dataclass_fields__:
        for source in (extra, env, config):
            value = source.get(key)
            if value is not None:
                default = getattr(s, key)
                if key == "cache_dir":
                    value = Path(value).expanduser()
                elif isinstance(default, bool):
                    value = bool(value)
                elif isinstance(default, int):
                    value = int(value)
                elif isinstance(default, float):
                    value = float(value)
                setattr(s, key, value)
                break
    s.endpoint = s.endpoint.rstrip("/")
    if not re.match(r"^https?://[^/\s]+", s.endpoint):
        raise UserError(f"the LLM endpoint must be an http:// or https:// URL, not '{shown_url(s.endpoint)}'")
    if s.cache_dir is None:
        s.cache_dir = Path(os.environ.get("XDG_CACHE_HOME", "~/.cache")).expanduser() / "sessionsketch/llm"
    return s


def shown_url(url: str) -> str:
    """``url`` as messages show it: no user:password@ and no query (where keys can hide)."""
    url = re.sub(r"^(\w+://)[^/@\s]*@", r"\1", url)
    return url.split("?", 1)[0]


# --------------------------------------------------------------------------- client
class EndpointError(Exception):
    """The endpoint could not be reached or kept failing (message names the URL, never the key)."""


class MalformedAnswer(Exception):
    """The model's answer is not the JSON asked for."""


@dataclass
class Usage:
    requests: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, usage: dict[str, Any] | None) -> None:
        with self.lock:
            self.requests += 1
            if usage:
                self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
                self.completion_tokens += int(usage.get("completion_tokens") or 0)


#: Endpoints that turned ``json_schema`` down, remembered for the process so that every
#: later client (one per draft) asks them with ``json_object`` straight away.
_JSON_OBJECT_ONLY: set[str] = set()


class ChatClient:
    """POST /chat/completions with retries on 429/5xx, timeouts and an on-disk cache."""

    def __init__(self, settings: LLMSettings) -> None:
        self.s = settings
        headers = {"Authorization": f"Bearer {settings.api_key}"} if settings.api_key else {}
        self.http = httpx.Client(headers=headers, timeout=settings.timeout)
        self.usage = Usage()
        # json_object when this server already refused json_schema in this process
        self.format_kind = "json_object" if settings.endpoint in _JSON_OBJECT_ONLY else "json_schema"

    @property
    def url(self) -> str:
        return f"{self.s.endpoint}/chat/completions"

    @property
    def shown(self) -> str:
        """The URL for messages (never a credential)."""
        return shown_url(self.url)

    def close(self) -> None:
        self.http.close()

    def _cache_path(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> Path:
        key = json.dumps(
            [PROMPT_VERSION, self.s.model, self.s.max_tokens, self.s.temperature, messages, schema],
            sort_keys=True,
        )
        assert self.s.cache_dir is not None
        return self.s.cache_dir / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def _response_format(self, schema: dict[str, Any]) -> dict[str, Any]:
        if self.format_kind == "json_schema":
            return {"type": "json_schema", "json_schema": {"name": "sketch", "schema": schema}}
        return {"type": "json_object", "schema": schema}

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        """The model's answer text (from the cache when the same question was asked before)."""
        path = self._cache_path(messages, schema)
        if path.is_file():
            try:
                content = json.loads(path.read_text("utf-8"))["content"]
                with self.usage.lock:
                    self.usage.cached += 1
                return content
            except (ValueError, KeyError, OSError):
                pass
        content = self._post(messages, schema)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, json.dumps({"content": content}).encode("utf-8"))
        except OSError as exc:
            log.warning("LLM cache not written (%s)", exc.strerror)
        return content

    def _post(self, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
        body: dict[str, Any] = {
            "model": self.s.model,
            "messages": messages,
            "max_tokens": self.s.max_tokens,
            "temperature": self.s.temperature,
        }
        delay = 0.5
        for attempt in range(self.s.retries + 1):
            body["response_format"] = self._response_format(schema)
            try:
                r = self.http.post(self.url, json=body)
            except httpx.TimeoutException:
                if attempt < self.s.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise EndpointError(
                    f"LLM endpoint {self.shown} timed out after {self.s.timeout:g} s"
                ) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                raise EndpointError(
                    f"cannot reach the LLM endpoint {self.shown} ({type(exc).__name__})"
                ) from None
            if self.format_kind == "json_schema" and _refuses_json_schema(r):
                self.format_kind = "json_object"  # llama-cpp-python's server knows only json_object
                _JSON_OBJECT_ONLY.add(self.s.endpoint)
                continue
            if (r.status_code == 429 or r.status_code >= 500) and attempt < self.s.retries:
                retry_after = r.headers.get("retry-after", "")
                time.sleep(float(retry_after) if retry_after.isdigit() else delay)
                delay *= 2
                continue
            if r.status_code == 404:
                raise EndpointError(
                    f"no OpenAI-compatible API at {self.shown} (HTTP 404): check the endpoint URL"
                )
            if r.status_code in (401, 403):
                raise EndpointError(
                    f"the LLM endpoint {self.shown} refused the API key (HTTP {r.status_code})"
                )
            if r.status_code >= 400:
                raise EndpointError(f"the LLM endpoint {self.shown} answered HTTP {r.status_code}")
            try:
                data = r.json()
                content = data["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise EndpointError(
                    f"the LLM endpoint {self.shown} did not answer a chat completion"
                ) from None
            self.usage.add(data.get("usage"))
            return content or ""
        raise EndpointError(f"the LLM endpoint {self.shown} kept failing")  # pragma: no cover


def _refuses_json_schema(r: httpx.Response) -> bool:
    """Whether the server turned down ``response_format: json_schema`` (llama-cpp-python's
    server answers HTTP 500 with a validation error naming it; others 400 or 422)."""
    if r.status_code in (400, 422):
        return True
    return r.status_code >= 500 and "json_schema" in r.text


# --------------------------------------------------------------------------- prompts
@dataclass(frozen=True)
class Drafted:
    """One sentence as the model wrote it, with the turns it cites."""

    text: str
    turns: tuple[int, ...]


def parse_answer(content: str) -> list[Drafted]:
    """Validate the model's JSON answer; raise MalformedAnswer saying what is wrong."""
    text = content.strip()
    fenced = re.match(r"^```(?:json)?\s*(.*?)\s*```$", text, re.S)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise MalformedAnswer(f"not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sentences"), list):
        raise MalformedAnswer('the answer must be an object with a "sentences" list')
    out: list[Drafted] = []
    for i, item in enumerate(data["sentences"]):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise MalformedAnswer(f'sentences[{i}] must be an object with a "text" string')
        turns = item.get("turns")
        if not isinstance(turns, list) or not all(
            isinstance(t, int) and not isinstance(t, bool) for t in turns
        ):
            raise MalformedAnswer(f"sentences[{i}].turns must be a list of turn numbers")
        if item["text"].strip():
            out.append(Drafted(item["text"].strip(), tuple(turns)))
    return out


def turn_chunks(turns: list[Turn], budget_chars: int) -> list[list[tuple[int, str]]]:
    """Numbered turn texts in chunks that fit ``budget_chars``; a longer turn is cut at sentences."""
    pieces: list[tuple[int, str]] = []
    for t in turns:
        if len(t.text) <= budget_chars:
            pieces.append((t.index, t.text))
            continue
        part = ""
        for span in split_sentences(t.text):
            s = span.text[:budget_chars]
            if part and len(part) + len(s) + 1 > budget_chars:
                pieces.append((t.index, part))
                part = ""
            part = f"{part} {s}".strip()
        if part:
            pieces.append((t.index, part))
    chunks: list[list[tuple[int, str]]] = []
    size = 0
    for index, text in pieces:
        cost = len(text) + 12
        if chunks and size + cost <= budget_chars:
            chunks[-1].append((index, text))
            size += cost
        else:
            chunks.append([(index, text)])
            size = cost
    return chunks


def speaker_messages(
    person: Person, session: Session, chunk: list[tuple[int, str]], sentences: int, opening: bool
) -> list[dict[str, str]]:
    """The question for one chunk of one speaker's turns (short and plain: small models follow it)."""
    who = person.name + (f" ({person.affiliation})" if person.affiliation else "")
    context = f"Session: {session.title}.\n" if session.title else ""
    family = person.family_name
    task = (
        f"Rewrite how {person.name} opened the session in reported speech, in {sentences} "
        f"sentence(s) beginning '{family} opened the session'."
        if opening
        else f"Rewrite the main points in reported speech, in {sentences} sentence(s) beginning "
        f"'{family} said that'."
    )
    turns = "\n\n".join(f"Turn {i}: {text}" for i, text in chunk)
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {
            "role": "user",
            "content": f"{context}{who} said:\n\n{turns}\n\n{task} "
            "For each sentence give the turn number it comes from.",
        },
    ]


# --------------------------------------------------------------------------- the gate
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")
_CAPITAL_RE = re.compile(r"\b[A-Z][\w'’-]*")
_SENTENCE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "it",
        "we",
        "i",
        "his",
        "her",
        "their",
        "its",
        "in",
        "on",
        "at",
        "for",
        "of",
        "and",
        "but",
        "or",
        "so",
        "yet",
        "also",
        "however",
        "both",
        "according",
        "as",
    ]
)


def _direct_speech(text: str) -> str | None:
    """A first- or second-person word outside quotation marks ("we", "My", "you"), if any."""
    bare = _QUOTED_RE.sub("", text)
    initial_lowered = re.sub(r"^\W*\w", lambda m: m.group(0).lower(), bare)
    m = (
        FIRST_PERSON_RE.search(bare)
        or FIRST_PERSON_RE.search(initial_lowered)
        or SECOND_PERSON_RE.search(bare)
    )
    return m.group(0) if m else None


@dataclass
class Rejection:
    speaker: str
    text: str
    reason: str
    turns: tuple[int, ...] = ()  # the turns the model cited


@dataclass
class GateResult:
    kept: list[Sentence]
    rejected: list[Rejection]


class EvidenceGate:
    """Checks each model sentence against the transcript; see the module docstring."""

    def __init__(self, transcript: Transcript, session: Session, scorer: Any = None) -> None:
        from sessionsketch.analysis.support import SUPPORTED, scorer_for

        if scorer is None:
            scorer = scorer_for(transcript)

        self.threshold = SUPPORTED
        self.scorer = scorer
        self.turns = {t.index: t for t in transcript.turns}
        self.name_words = {
            w.lower()
            for p in [*session.participants, *(t.speaker for t in transcript.turns if t.speaker)]
            for form in [p.name, *p.aliases]
            for w in re.findall(r"[\w'’-]+", form)
        }

    def check(self, person: Person, drafted: Drafted) -> tuple[Sentence | None, str]:
        """The sentence with its evidence, or None and why it was rejected."""
        cited = [i for i in drafted.turns if i in self.turns]
        if not drafted.turns or not cited:
            return None, "cites no turn of the transcript"
        foreign = [i for i in cited if self.turns[i].speaker_name != person.name]
        if foreign:
            return None, f"cites turn {foreign[0]}, which is not {person.name}'s"
        direct = _direct_speech(drafted.text)
        if direct:
            return None, f"not reported speech ('{direct}' outside quotation marks)"
        source = " ".join(self.turns[i].text for i in cited)
        source_low = source.lower()
        source_digits = {n.replace(",", "") for n in _NUMBER_RE.findall(source)}
        for number in _NUMBER_RE.findall(drafted.text):
            if number.replace(",", "") not in source_digits:
                return None, f"the number {number} is not in the cited turns"
        for m in _CAPITAL_RE.finditer(drafted.text):
            word = m.group(0).rstrip("'’-")
            low = word.lower()
            if low.removesuffix("'s").removesuffix("’s") in self.name_words:
                continue
            at_start = (
                drafted.text[: m.start()].strip() == "" or drafted.text[: m.start()].rstrip()[-1:] in '.:;!?"'
            )
            if at_start and low in _SENTENCE_WORDS:
                continue
            if not re.search(rf"\b{re.escape(low.removesuffix(chr(39) + 's'))}", source_low):
                return None, f"'{word}' is not in the cited turns"
        support = self.scorer.support(drafted.text, person.name)
        if support.turn is None or support.score < self.threshold:
            return None, f"not supported by {person.name}'s turns (score {support.score:.2f})"
        if support.turn not in cited:
            return None, f"best support is turn {support.turn}, not the cited turn(s) {list(cited)}"
        text = drafted.text if drafted.text[-1] in ".?!" else drafted.text + "."
        return Sentence(text, person.name, [Evidence(support.turn, support.start, support.end)]), ""

    def run(self, person: Person, drafted: list[Drafted]) -> GateResult:
        """Each sentence of each answer checked on its own (an answer's text may hold several)."""
        kept: list[Sentence] = []
        rejected: list[Rejection] = []
        seen: set[str] = set()
        spans_used: set[tuple[int, int, int]] = set()  # a second sentence on the same span repeats it
        for answer in drafted:
            for span in split_sentences(answer.text):
                d = Drafted(span.text.strip(), answer.turns)
                if not d.text or d.text.lower() in seen:
                    continue
                seen.add(d.text.lower())
                sentence, why = self.check(person, d)
                if sentence is None:
                    rejected.append(Rejection(person.name, d.text, why, d.turns))
                    continue
                ev = sentence.evidence[0]
                if (ev.turn, ev.start, ev.end) not in spans_used:
                    spans_used.add((ev.turn, ev.start, ev.end))
                    kept.append(sentence)
        return GateResult(kept, rejected)


# --------------------------------------------------------------------------- the engine
def _plain(options: DraftOptions, attributed: bool = False) -> DraftOptions:
    """The options for the embedded engine: the same without the LLM's settings (and, when
    its paragraphs are to be picked by speaker, attributed: anonymised after assembly)."""
    return DraftOptions(
        words=options.words,
        include_moderator=options.include_moderator,
        unattributed=options.unattributed and not attributed,
        language=options.language,
    )


@dataclass
class SpeakerDraft:
    person: Person
    sentences: list[Sentence]
    rejected: list[Rejection]
    fell_back: str | None = None  # why the extractive engine wrote this speaker


@register_engine("llm")
class LLMEngine:
    """Per-speaker drafting by an OpenAI-compatible model, every sentence evidence-gated."""

    name = "llm"

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.scorer: Any = settings.get("scorer")  # tests may pass a scorer
        self.report: dict[str, Any] = {}

    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch:
        s = load_settings({**self.settings, **options.extra})
        started = time.monotonic()
        gate = EvidenceGate(transcript, session, self.scorer)
        people = reported_people(session, transcript, options.include_moderator)
        only = options.extra.get("speakers")
        if only:
            people = [p for p in people if p.name in set(only)]
        total = options.words or WORDS_PER_SPEAKER * max(1, len(people))
        spoken = {p.name: sum(word_count(t.text) for t in transcript.turns_of(p.name)) for p in people}
        all_words = sum(spoken.values()) or 1
        asks: list[tuple[Person, int, bool]] = []  # (person, sentences, opening)
        moderator = session.moderator
        if moderator is not None and moderator.name not in spoken and transcript.turns_of(moderator.name):
            asks.append((moderator, 2, True))
        for p in people:
            share = max(40, round(total * spoken[p.name] / all_words))
            said = sum(len(split_sentences(t.text)) for t in transcript.turns_of(p.name))
            asks.append((p, max(1, min(8, round(share / 22), said)), False))  # never more than they said
        client = ChatClient(s)
        try:
            self._probe(client)
            # the network in a bounded pool; the gate (and its scorer) in this thread
            with ThreadPoolExecutor(max_workers=max(1, s.concurrency)) as pool:
                jobs = [pool.submit(self._ask_person, client, s, session, transcript, *a) for a in asks]
                answers = [j.result() for j in jobs]
        except EndpointError as exc:
            if not s.fallback:
                raise UserError(str(exc)) from None
            print(f"{exc}; --fallback: drafting with the embedded extractive engine", file=sys.stderr)
            return get_engine("extractive").draft(programme, session, transcript, _plain(options))
        finally:
            client.close()
        drafts = [self._gate_person(gate, a[0], a[1], ans) for a, ans in zip(asks, answers, strict=True)]
        opening = drafts.pop(0) if asks and asks[0][2] else None
        sketch = self._assemble(programme, session, transcript, options, opening, drafts)
        self._report(s, client, started, [d for d in [opening, *drafts] if d is not None], session)
        return sketch

    @staticmethod
    def _probe(client: ChatClient) -> None:
        """Fail early (with the URL) when nothing answers at the endpoint."""
        try:
            client.http.get(f"{client.s.endpoint}/models", timeout=min(10.0, client.s.timeout))
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise EndpointError(
                f"cannot reach the LLM endpoint {client.shown} ({type(exc).__name__})"
            ) from None

    def _ask(
        self, client: ChatClient, messages: list[dict[str, str]], schema: dict[str, Any]
    ) -> list[Drafted]:
        """One question; a malformed answer is asked again once with the validation error."""
        content = client.complete(messages, schema)
        try:
            return parse_answer(content)
        except MalformedAnswer as exc:
            retry = [
                *messages,
                {"role": "assistant", "content": content[:2000]},
                {
                    "role": "user",
                    "content": f"That answer was rejected: {exc}. Answer again with valid JSON only.",
                },
            ]
            return parse_answer(client.complete(retry, schema))

    def _ask_person(
        self,
        client: ChatClient,
        s: LLMSettings,
        session: Session,
        transcript: Transcript,
        person: Person,
        sentences: int,
        opening: bool,
    ) -> list[Drafted] | str:
        """The model's sentences for one person, or why there are none (malformed answers)."""
        turns = transcript.turns_of(person.name)
        if opening:
            turns = turns[:3]
        budget_tokens = s.n_ctx - s.max_tokens - 250  # system prompt, task and chat template
        chunks = turn_chunks(turns, max(400, budget_tokens * CHARS_PER_TOKEN))
        drafted: list[Drafted] = []
        per_chunk = max(1, round(sentences / len(chunks))) if len(chunks) > 1 else sentences
        try:
            for chunk in chunks:  # map: each chunk is asked on its own; reduce: the gate and the ranking
                messages = speaker_messages(person, session, chunk, per_chunk, opening)
                drafted.extend(self._ask(client, messages, answer_schema([i for i, _ in chunk], per_chunk)))
        except MalformedAnswer as exc:
            return f"malformed JSON twice ({exc})"
        return drafted

    @staticmethod
    def _gate_person(
        gate: EvidenceGate, person: Person, sentences: int, answer: list[Drafted] | str
    ) -> SpeakerDraft:
        if isinstance(answer, str):
            return SpeakerDraft(person, [], [], fell_back=answer)
        result = gate.run(person, answer)
        kept = result.kept
        if len(kept) > sentences:  # reduce: keep the best-supported, in transcript order
            scored = sorted(kept, key=lambda x: -gate.scorer.support(x.text, person.name).score)[:sentences]
            kept = sorted(scored, key=lambda x: (x.evidence[0].turn, x.evidence[0].start))
        draft = SpeakerDraft(person, kept, result.rejected)
        if len(kept) < max(1, round(sentences * MIN_KEPT_SHARE)):
            draft.fell_back = f"{len(kept)} of {sentences} sentences passed the evidence gate"
        return draft

    def _assemble(
        self,
        programme: Programme,
        session: Session,
        transcript: Transcript,
        options: DraftOptions,
        opening: SpeakerDraft | None,
        results: list[SpeakerDraft],
    ) -> Sketch:
        extractive: Sketch | None = None

        def embedded() -> Sketch:
            nonlocal extractive
            if extractive is None:
                plain = _plain(options, attributed=True)
                extractive = get_engine("extractive").draft(programme, session, transcript, plain)
            return extractive

        paragraphs: list[Paragraph] = []
        if opening is not None and opening.sentences and not opening.fell_back:
            lead = [Sentence(span.text, None, []) for span in split_sentences(session.description or "")]
            paragraphs.append(Paragraph([*lead, *opening.sentences], None))
        else:
            first = embedded().paragraphs[:1]
            if first and first[0].speaker is None:
                paragraphs.append(first[0])
        for r in results:
            if r.fell_back:
                paragraphs.extend(p for p in embedded().paragraphs if p.speaker == r.person.name)
            elif r.sentences:
                paragraphs.append(Paragraph(r.sentences, r.person.name))
        sketch = Sketch(
            metadata=Metadata.from_programme(programme, session),
            paragraphs=paragraphs,
            disclaimer=programme.disclaimer,
        )
        if options.unattributed:
            from sessionsketch.engines.extractive import make_unattributed

            sketch = make_unattributed(sketch, session)
        return sketch

    def _report(
        self,
        s: LLMSettings,
        client: ChatClient,
        started: float,
        drafts: list[SpeakerDraft],
        session: Session,
    ) -> None:
        where = f" ({session.title})" if session.title else ""
        rejected = [x for d in drafts for x in d.rejected]
        fell_back = {d.person.name: d.fell_back for d in drafts if d.fell_back}
        u = client.usage
        self.report = {
            "seconds": round(time.monotonic() - started, 2),
            "requests": u.requests,
            "cached": u.cached,
            "prompt_tokens": u.prompt_tokens,
            "completion_tokens": u.completion_tokens,
            "kept": sum(len(d.sentences) for d in drafts if not d.fell_back),
            "rejected": len(rejected),
            "fell_back": fell_back,
            "rejections": [x.__dict__ for x in rejected],
        }
        print(
            f"llm {s.model} at {shown_url(s.endpoint)}{where}: {self.report['seconds']:.1f} s, {u.requests} request(s)"
            f" ({u.cached} from cache), {u.prompt_tokens} prompt + {u.completion_tokens} completion tokens;"
            f" {self.report['kept']} sentence(s) kept, {len(rejected)} rejected by the evidence gate"
            + (f"; extractive engine for {', '.join(fell_back)}" if fell_back else ""),
            file=sys.stderr,
        )
        if s.explain:
            for x in rejected:
                cites = ", ".join(map(str, x.turns)) or "none"
                print(f"  rejected ({x.speaker}, turns {cites}): {x.text!r}: {x.reason}", file=sys.stderr)
            for name, why in fell_back.items():
                print(f"  {name}: extractive engine ({why})", file=sys.stderr)
