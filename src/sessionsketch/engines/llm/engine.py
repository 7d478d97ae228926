"""The LLM engine: per-speaker questions in a bounded pool, each answer through the gate,
the embedded extractive engine for speakers the model could not cover."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from sessionsketch.engines import DraftOptions, DraftReport, get_engine, register_engine
from sessionsketch.engines.extractive import WORDS_PER_SPEAKER, reported_people
from sessionsketch.engines.llm.client import ChatClient, EndpointError
from sessionsketch.engines.llm.gate import EvidenceGate, Rejection
from sessionsketch.engines.llm.prompt import (
    CHARS_PER_TOKEN,
    Drafted,
    MalformedAnswer,
    answer_schema,
    parse_answer,
    speaker_messages,
    turn_chunks,
)
from sessionsketch.engines.llm.settings import LLMSettings, load_settings, shown_url
from sessionsketch.errors import UserError
from sessionsketch.model import Metadata, Paragraph, Person, Programme, Sentence, Session, Sketch, Transcript
from sessionsketch.text import split_sentences, word_count

MIN_KEPT_SHARE = 0.4  # a speaker whose kept sentences fall under this share of the ask falls back


def _plain(options: DraftOptions, attributed: bool = False) -> DraftOptions:
    """The options for the embedded engine: the same without the LLM's settings (and, when
    its paragraphs are to be picked by speaker, attributed: anonymised after assembly)."""
    return DraftOptions(
        words=options.words,
        include_moderator=options.include_moderator,
        unattributed=options.unattributed and not attributed,
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
        self.report = DraftReport()

    def draft(
        self, programme: Programme, session: Session, transcript: Transcript, options: DraftOptions
    ) -> Sketch:
        s = load_settings({**self.settings, **options.extra})
        self.report = DraftReport()
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
            self.report = DraftReport(
                notes=[f"{exc}; --fallback: drafting with the embedded extractive engine"]
            )
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
            from sessionsketch.checks.unattributed import make_unattributed

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
        figures = {
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
        summary = (
            f"llm {s.model} at {shown_url(s.endpoint)}{where}: {figures['seconds']:.1f} s, {u.requests} request(s)"
            f" ({u.cached} from cache), {u.prompt_tokens} prompt + {u.completion_tokens} completion tokens;"
            f" {figures['kept']} sentence(s) kept, {len(rejected)} rejected by the evidence gate"
            + (f"; extractive engine for {', '.join(fell_back)}" if fell_back else "")
        )
        details = []
        if s.explain:
            for x in rejected:
                cites = ", ".join(map(str, x.turns)) or "none"
                details.append(f"  rejected ({x.speaker}, turns {cites}): {x.text!r}: {x.reason}")
            details.extend(f"  {name}: extractive engine ({why})" for name, why in fell_back.items())
        self.report = DraftReport(summary=summary, details=details, figures=figures)
