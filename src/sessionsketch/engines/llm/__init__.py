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
``timeout``), the environment (``SESSIONSKETCH_LLM_ENDPOINT`` or ``OPENAI_BASE_URL``,
``SESSIONSKETCH_LLM_MODEL`` or ``OPENAI_MODEL``, ``OPENAI_API_KEY``), then ``[llm]`` in
``$XDG_CONFIG_HOME/sessionsketch/config.toml`` (``~/.config`` by default); the endpoint
``ollama`` is ``http://localhost:11434/v1`` (:mod:`~sessionsketch.engines.llm.settings`).
The API key is sent only in the ``Authorization`` header: never logged, never in an
error, never in the sketch; URLs in messages are shown without ``user:password@`` and
query strings.

The package: ``settings`` (where the settings come from), ``client`` (the HTTP chat
client and its cache), ``prompt`` (the questions and reading the answers), ``gate``
(the evidence gate) and ``engine`` (the engine, registered as ``llm``). The engine never
prints: its summary and ``--explain`` lines are in ``LLMEngine.report``.
"""

from __future__ import annotations

from sessionsketch.engines.llm.client import ChatClient, EndpointError, Usage
from sessionsketch.engines.llm.engine import LLMEngine, SpeakerDraft
from sessionsketch.engines.llm.gate import EvidenceGate, GateResult, Rejection
from sessionsketch.engines.llm.prompt import Drafted, MalformedAnswer, parse_answer
from sessionsketch.engines.llm.settings import LLMSettings, load_settings, shown_url

__all__ = [
    "ChatClient",
    "Drafted",
    "EndpointError",
    "EvidenceGate",
    "GateResult",
    "LLMEngine",
    "LLMSettings",
    "MalformedAnswer",
    "Rejection",
    "SpeakerDraft",
    "Usage",
    "load_settings",
    "parse_answer",
    "shown_url",
]
