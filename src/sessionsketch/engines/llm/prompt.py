"""What the model is asked (per speaker, per chunk of turns) and how its JSON answer is read."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from sessionsketch.model import Person, Session, Turn
from sessionsketch.text import split_sentences

CHARS_PER_TOKEN = 4  # conservative estimate for English when no tokenizer is at hand
PROMPT_VERSION = 2  # part of the cache key: bump when the prompt changes


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


class MalformedAnswer(Exception):
    """The model's answer is not the JSON asked for."""


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
