"""The extractive engine on every QMSum committee meeting and on a fictional panel."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from tests.conftest import qmsum_meetings

from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
from sessionsketch.checks import run_checks
from sessionsketch.checks.unattributed import identifying_words, leaks
from sessionsketch.engines import DraftOptions, draft_sketch, get_engine
from sessionsketch.engines.extractive import is_point, word_shares
from sessionsketch.engines.reported import FIRST_PERSON_RE
from sessionsketch.model import Person, Sketch, Transcript, Turn
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import load_programme
from sessionsketch.text import word_count

MEETINGS = qmsum_meetings()


def _draft_meeting(path: Path, **options: object) -> tuple[Sketch, object, object]:
    transcript = read_transcript(path)
    programme = infer_programme(transcript)
    resolve_transcript(transcript, programme)
    sketch = draft_sketch(programme, transcript, options=DraftOptions(**options))  # type: ignore[arg-type]
    return sketch, transcript, programme


def _draft_panel(panel: tuple[Path, Path], **options: object) -> tuple[Sketch, object]:
    prog_path, tr_path = panel
    programme = load_programme(prog_path)
    transcript = read_transcript(tr_path, programme)
    return draft_sketch(programme, transcript, options=DraftOptions(**options)), transcript  # type: ignore[arg-type]


def _body_outside_quotes(text: str) -> str:
    return re.sub(r"[“\"][^”\"]*[”\"]", "", text)


@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
@pytest.mark.parametrize("path", MEETINGS, ids=[f"{p.parent.name}/{p.stem}" for p in MEETINGS])
def test_evidence_rests_only_on_the_attributed_speakers_turns(path: Path) -> None:
    sketch, transcript, _ = _draft_meeting(path, words=1200)
    turns = transcript.turns  # type: ignore[attr-defined]
    attributed = [s for s in sketch.sentences if s.speaker]
    assert len(attributed) >= 5
    for sentence in sketch.sentences:
        if sentence.speaker is None:
            continue
        assert sentence.evidence, sentence.text
        for k, ev in enumerate(sentence.evidence):
            turn = turns[ev.turn]
            assert turn.speaker is not None, sentence.text
            if k == 0 and sentence.text.startswith("Asked by ") and len(sentence.evidence) == 2:
                # "Asked by X whether …, Y replied that …": X's question, then Y's answer
                assert turn.speaker.name != sentence.speaker and turn.speaker.family_name in sentence.text
            else:
                assert turn.speaker.name == sentence.speaker, sentence.text
            assert 0 <= ev.start < ev.end <= len(turn.text)
        assert not FIRST_PERSON_RE.search(_body_outside_quotes(sentence.text)), sentence.text


def test_one_paragraph_set_per_speaker_in_speaking_order_and_names_as_a_sketch_writes_them(
    panel: tuple[Path, Path],
) -> None:
    prog_path, tr_path = panel
    programme = load_programme(prog_path)
    transcript = read_transcript(tr_path, programme)
    sketch = draft_sketch(programme, transcript)
    speakers = [p.speaker for p in sketch.paragraphs if p.speaker]
    assert speakers == ["Odalys Brightwater", "Henrik Stoneleaf", "Park Ji-woo"]
    texts = {p.speaker: p.text for p in sketch.paragraphs if p.speaker}
    # full name at first mention, then family name (Park Ji-woo → Park) or given pronoun
    assert texts["Park Ji-woo"].startswith("Park Ji-woo ")
    assert "Park Ji-woo asked whether the regional authorities will commit" in texts["Park Ji-woo"]
    # named in full in the paragraph's first sentence, never in full again ("I am worried that
    # the grants will run out": with no pronoun for him, "Henrik Stoneleaf warned that …")
    first, rest = texts["Henrik Stoneleaf"].split(". ", 1)
    assert "Henrik Stoneleaf" in first and "Henrik Stoneleaf" not in rest
    assert "three points" not in texts["Henrik Stoneleaf"]  # procedure, not a point
    assert "Henrik Stoneleaf warned that the federal grants will run out" in texts["Henrik Stoneleaf"]
    assert " She " in texts["Odalys Brightwater"] or " she " in texts["Odalys Brightwater"]
    # "our board" of the Valley Water Board is the board, named once: never "the board's board"
    assert "Valley Water Board has seen water rates double" in texts["Henrik Stoneleaf"]
    opening = sketch.paragraphs[0]
    assert opening.speaker is None
    assert opening.sentences[0].text == "The panel discussed how small towns can pay for clean water."
    # the moderator's chairing never frames the session
    assert all(s.speaker is None for s in opening.sentences)
    assert sketch.disclaimer and sketch.metadata.session == "Water Policy"
    for s in sketch.sentences:
        assert not FIRST_PERSON_RE.search(s.text)


def test_include_moderator_reports_the_moderator(panel: tuple[Path, Path]) -> None:
    prog_path, tr_path = panel
    programme = load_programme(prog_path)
    transcript = read_transcript(tr_path, programme)
    plain = draft_sketch(programme, transcript)
    assert "Tobin Marsh" not in [p.speaker for p in plain.paragraphs]
    with_mod = draft_sketch(programme, transcript, options=DraftOptions(include_moderator=True))
    assert next(p.speaker for p in with_mod.paragraphs if p.speaker) == "Tobin Marsh"


@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
@pytest.mark.parametrize("words", [300, 900])
@pytest.mark.parametrize("path", MEETINGS[::10], ids=lambda p: p.stem)
def test_words_is_respected_within_a_tolerance(path: Path, words: int) -> None:
    """--words 900 gave 1.21 and 1.25 times the words on two meetings: each speaker's share
    may run 15 % over and the frames were counted at three words each."""
    transcript = read_transcript(path)
    programme = infer_programme(transcript)
    resolve_transcript(transcript, programme)
    engine = get_engine("extractive")
    sketch = engine.draft(programme, programme.session, transcript, DraftOptions(words=words))
    report = engine.report
    total = sum(word_count(s.text) for p in sketch.paragraphs for s in p.sentences)
    assert total <= 1.06 * words, total
    # fewer words only when the points left would be struck by an editor, and then it says so
    shortfall = [n for n in report.notes if "of the" in n and "words asked for" in n]
    assert total >= 0.85 * words or (shortfall and total >= 0.6 * words), (total, report.notes)


@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
@pytest.mark.parametrize("path", MEETINGS[::5], ids=lambda p: p.stem)
def test_a_short_account_fills_the_words_asked_for(path: Path) -> None:
    """Points the writer or the style gate turns down, and what the opening leaves, go to
    other points: a 150-word account is not 100 words (covid_2 gave 82 of 124)."""
    sketch, _, _ = _draft_meeting(path, words=150)
    written = sum(word_count(s.text) for p in sketch.paragraphs for s in p.sentences)
    assert written >= 0.85 * 150


def test_word_shares_follow_how_much_each_said() -> None:
    shares = word_shares({"a": 4000, "b": 1000, "c": 100}, 600)
    assert shares["a"] > shares["b"] > shares["c"] >= 35
    assert abs(sum(shares.values()) - 600) <= 3


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "welsh-education-committee"


@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
@pytest.mark.parametrize(
    "path", [*MEETINGS, EXAMPLE], ids=[f"{p.parent.name}/{p.stem}" for p in [*MEETINGS, EXAMPLE]]
)
def test_unattributed_passes_checks_own_chatham_house_rule(path: Path) -> None:
    """One gate: what ``draft --unattributed`` writes, ``check --unattributed`` finds nothing in."""
    if path == EXAMPLE:
        programme = load_programme(path / "programme.yaml")
        transcript = read_transcript(path / "transcript.json", programme)
        sketch = draft_sketch(programme, transcript, options=DraftOptions(unattributed=True))
    else:
        sketch, transcript, programme = _draft_meeting(path, unattributed=True, words=800)
    assert run_checks(sketch, programme, transcript, unattributed=True, only=["unattributed"]) == []  # type: ignore[arg-type]
    words = identifying_words(programme.session)  # type: ignore[attr-defined]
    text = " ".join(s.text for s in sketch.sentences)
    assert len(sketch.sentences) >= 3
    assert leaks(text, words) == []
    assert all(s.speaker is None for s in sketch.sentences)
    assert all(p.speaker is None for p in sketch.paragraphs)
    assert sketch.metadata.speakers == [] and sketch.metadata.moderator is None
    assert "participant" in text
    # read as a reader would: never "the participant" standing for someone already named
    assert "the participant" not in text.lower().replace("the same participant", "")


def test_unattributed_fictional_panel(panel: tuple[Path, Path]) -> None:
    prog_path, tr_path = panel
    programme = load_programme(prog_path)
    transcript = read_transcript(tr_path, programme)
    sketch = draft_sketch(programme, transcript, options=DraftOptions(unattributed=True))
    text = " ".join(s.text for s in sketch.sentences)
    for word in (
        "Odalys",
        "Brightwater",
        "Stoneleaf",
        "Park",
        "Ji-woo",
        "Lakeside",
        "Valley Water",
        "Hilltop",
    ):
        assert word not in text
    assert "moderator" not in text.lower() and "One participant" in text


@pytest.mark.parametrize(
    ("sentence", "point"),
    [
        ("Thank you, Mr. Chair.", False),
        ("I'd like to make three points about the budget today.", False),
        ("Good afternoon to everyone who joined us today from home.", False),
        ("My next question is for the minister of health please.", False),
        ("Shared contracts cut costs by a fifth within three years.", True),
        # the call itself
        ("I lost the signal before, so it's a little bit confusing at this end, so bear with me.", False),
        ("I've had enough time, I think, so I will hand back to the chair.", False),
        ("I heard that loud and clear, and I'm glad you could hear me.", False),
        ("So there we are.", False),
        ("I'll do it as an intervention, then.", False),  # a debate's procedure
        ("As there is only one nomination, I declare that Marta Quill is temporary Chair.", False),
        ("Water boards have enough time to replace the pipes before the winter.", True),
    ],
)
def test_greetings_thanks_and_procedure_are_not_points(sentence: str, point: bool) -> None:
    assert is_point(sentence) is point


@pytest.mark.slow
@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
def test_half_a_million_words_finish_with_bounded_memory() -> None:
    import tracemalloc

    from sessionsketch.model import Transcript, Turn

    base = read_transcript(MEETINGS[0])
    programme = infer_programme(base)
    resolve_transcript(base, programme)
    per_copy = base.word_count()
    copies = 500_000 // per_copy + 1
    turns = [
        Turn(index=k * len(base.turns) + t.index, label=t.label, text=t.text, speaker=t.speaker)
        for k in range(copies)
        for t in base.turns
    ]
    big = Transcript(turns=turns)
    assert big.word_count() >= 500_000
    tracemalloc.start()
    sketch = draft_sketch(programme, big, options=DraftOptions(words=2000))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert sketch.sentences
    assert peak < 400 * 2**20  # the transcript itself is ~3 MB of text


def test_a_short_budget_reports_the_discussions_points_without_per_speaker_minimums(
    panel: tuple[Path, Path],
) -> None:
    # 70 words cannot give three speakers 60 words each: the sketch reports the most
    # salient points of the discussion, whoever made them, in speaking order
    sketch, transcript = _draft_panel(panel, words=70)
    body = [s for p in sketch.paragraphs for s in p.sentences]
    assert sum(word_count(s.text) for s in body) <= 70 * 1.15 + 5
    attributed = [s for s in body if s.speaker and s.speaker != "Tobin Marsh"]
    assert attributed
    order = [(s.evidence[0].turn, s.evidence[0].start) for s in attributed]
    assert order == sorted(order)
    for s in attributed:
        assert all(transcript.turns[e.turn].speaker.name == s.speaker for e in s.evidence)  # type: ignore[attr-defined]
    # consecutive points of one speaker share a paragraph
    speakers = [p.speaker for p in sketch.paragraphs if p.speaker]
    assert all(a != b for a, b in itertools.pairwise(speakers))


def test_a_long_budget_keeps_a_paragraph_per_speaker(panel: tuple[Path, Path]) -> None:
    sketch, _ = _draft_panel(panel, words=400)
    speakers = [p.speaker for p in sketch.paragraphs if p.speaker]
    assert speakers == ["Odalys Brightwater", "Henrik Stoneleaf", "Park Ji-woo"]


def _draft_turns(prog_path: Path, turns: list[tuple[str, str]], tmp_path: Path) -> Sketch:
    """Draft the fictional panel's programme with these (speaker, text) turns."""
    tr = tmp_path / "turns.json"
    tr.write_text(json.dumps({"meeting_transcripts": [{"speaker": s, "content": c} for s, c in turns]}))
    programme = load_programme(prog_path)
    return draft_sketch(programme, read_transcript(tr, programme))


def test_the_opening_frames_the_session_not_the_chairing(panel: tuple[Path, Path], tmp_path: Path) -> None:
    prog_path, _ = panel
    turns = [
        ("Tobin Marsh", "Good afternoon. You have two minutes left for your remarks, Odalys."),
        ("Tobin Marsh", "This evidence session looks at how small towns can pay for clean water."),
        (
            "Odalys Brightwater",
            "Small towns should pool their purchasing of pipes and pumps across the region.",
        ),
        ("Tobin Marsh", "We will now continue with Henrik, who has the next question."),
        ("Henrik Stoneleaf", "The federal grants will run out before the old pipes are replaced."),
    ]
    sketch = _draft_turns(prog_path, turns, tmp_path)
    opening = sketch.paragraphs[0]
    assert opening.speaker is None and all(s.speaker is None for s in opening.sentences)
    assert "how small towns can pay for clean water" in opening.text  # the programme's description
    assert "minutes" not in opening.text and "continue with" not in opening.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Okay, thank you all for coming this morning to the committee.",
        "Canadian workers and Canadian families continue to need—",
        "The point I was going to make about the budget is...",
    ],
)
def test_thanks_after_an_interjection_and_interrupted_sentences_are_not_points(sentence: str) -> None:
    assert not is_point(sentence)


def test_a_committee_is_opened_as_a_committee_taking_evidence(
    panel: tuple[Path, Path], tmp_path: Path
) -> None:
    prog_path, _ = panel
    text = prog_path.read_text(encoding="utf-8")
    text = text.replace("name: Fictional Forum 2031", "name: Fictional Water Committee").replace(
        "  description: The panel discussed how small towns can pay for clean water.\n", ""
    )
    committee = tmp_path / "committee.yaml"
    committee.write_text(text, encoding="utf-8")
    turns = [
        ("Tobin Marsh", "This meeting of the committee looks at how small towns can pay for clean water."),
        (
            "Odalys Brightwater",
            "Small towns should pool their purchasing of pipes and pumps across the region.",
        ),
    ]
    sketch = _draft_turns(committee, turns, tmp_path)
    first = sketch.paragraphs[0].sentences[0].text
    assert first.startswith(
        "The Fictional Water Committee heard from Odalys Brightwater on water Policy"
    ) or (first.startswith("The Fictional Water Committee") and "Odalys Brightwater" in first)
    assert "This meeting" not in sketch.paragraphs[0].text


@pytest.mark.parametrize(("forum", "body"), [("Fictional Water Committee", "meeting"), (None, "panel")])
def test_the_opening_names_the_themes_as_what_the_meeting_or_panel_discussed(
    panel: tuple[Path, Path], tmp_path: Path, forum: str | None, body: str
) -> None:
    prog_path, _ = panel
    text = prog_path.read_text(encoding="utf-8").replace(
        "  description: The panel discussed how small towns can pay for clean water.\n", ""
    )
    if forum:
        text = text.replace("name: Fictional Forum 2031", f"name: {forum}")
    programme = tmp_path / "programme.yaml"
    programme.write_text(text, encoding="utf-8")
    turns = [
        ("Odalys Brightwater", "The water tariff pays for the new pumps in small towns."),
        ("Henrik Stoneleaf", "The water tariff is too high, and young children drink from old pipes."),
        ("Odalys Brightwater", "For young children the water tariff is the first protection."),
        ("Henrik Stoneleaf", "Protecting young children will take a decade at the present water tariff."),
    ]
    opening = _draft_turns(programme, turns, tmp_path).paragraphs[0].text
    assert f"The {body} discussed the water tariff and young children." in opening


@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
def test_a_stretch_cut_out_of_a_meeting_keeps_the_source_turn_numbers() -> None:
    """bench/qmsum drafts gold spans: turn indices then start far from 0 (an IndexError once)."""
    from sessionsketch.model import Transcript

    whole = read_transcript(MEETINGS[-1])
    cut = Transcript(turns=whole.turns[30:90])
    programme = infer_programme(cut)
    resolve_transcript(cut, programme)
    sketch = draft_sketch(programme, cut)
    by_index = {t.index: t for t in cut.turns}
    assert sketch.sentences
    for s in sketch.sentences:
        for ev in s.evidence:
            turn = by_index[ev.turn]
            assert 0 <= ev.start < ev.end <= len(turn.text)


def test_a_speaker_whose_we_cannot_be_resolved_is_quoted_not_silenced(
    panel: tuple[Path, Path], tmp_path: Path
) -> None:
    prog_path, _ = panel
    text = prog_path.read_text(encoding="utf-8").replace("      affiliation: Valley Water Board\n", "")
    bare = tmp_path / "bare.yaml"
    bare.write_text(text, encoding="utf-8")
    turns = [
        (
            "Odalys Brightwater",
            "Small towns should pool their purchasing of pipes and pumps across the region.",
        ),
        (
            "Henrik Stoneleaf",
            "We replaced every lead service line in the valley within four years of the grant.",
        ),
    ]
    sketch = _draft_turns(bare, turns, tmp_path)
    henrik = [s for s in sketch.sentences if s.speaker == "Henrik Stoneleaf"]
    # whom his "we" stands for is unknown: not "they replaced", but his own words, quoted
    assert [s.text for s in henrik] == [
        "Henrik Stoneleaf said: “We replaced every lead service line in the valley within four years of the grant.”"
    ]
    assert henrik[0].evidence[0].start == 0


#: two fictional speakers for the short fictional hearings below
POLYTECHNIC = Person("Odalys Brightwater", affiliation="Lakeside Polytechnic")
WATER_BOARD = Person("Henrik Stoneleaf", affiliation="Valley Water Board")


def _hearing(turns: list[tuple[Person, str]]) -> Transcript:
    return Transcript(
        turns=[Turn(index=i, label=p.name, text=text, speaker=p) for i, (p, text) in enumerate(turns)]
    )


def test_a_member_under_a_constituency_label_is_not_named_a_witness() -> None:
    """Roles inferred from a Hansard-style record: one statement by a member is not evidence given."""
    from sessionsketch.engines.extractive import _answers, asking_counts

    minister = Person("Odalys Brightwater", affiliation="Minister of Water")
    member = Person("Henrik Stoneleaf", affiliation="Valley South, FWP")
    asker = Person("Park Ji-woo", affiliation="Minister of Nothing Much")
    transcript = _hearing(
        [
            (member, "The towns in my valley have waited ten years for new pipes."),
            (asker, "Will the minister fund the pipes this year?"),
            (minister, "The fund opens in the spring and every town may apply."),
        ]
    )
    assert _answers(minister, asking_counts(transcript))
    assert not _answers(member, asking_counts(transcript))  # a constituency and a party: a member
    assert not _answers(asker, asking_counts(transcript))  # asks in every turn, however few


def test_the_opening_s_themes_keep_the_article_speakers_give_them() -> None:
    """ "the childcare offer" as the speakers say it; "member opposite" is the chamber's, not a theme."""
    from sessionsketch.engines import get_engine

    a, b = POLYTECHNIC, WATER_BOARD
    said = [
        (a, "The water tariff pays for the new pumps, and the member opposite knows it."),
        (b, "Our water tariff is too high for small towns, as the member opposite said."),
        (a, "The water tariff is fair, and clean water protects young children."),
        (b, "This water tariff will not protect young children, and the member opposite agrees."),
        (a, "It is young children who drink the water first; the water tariff is modest."),
        (b, "Our young children deserve better than the water tariff."),
    ]
    themes = get_engine("extractive").themes(_hearing(said), [a, b])
    assert themes is not None
    phrases, _turns = themes
    assert "the water tariff" in phrases
    assert "young children" in phrases
    assert not any("opposite" in p for p in phrases)


def test_a_member_s_follow_up_question_stays_in_the_exchange() -> None:
    """Hefin asks, the minister answers, Sian asks twice: her first question opens her exchange, her
    second opens no paragraph."""
    from sessionsketch.engines.extractive import Candidate, Point, _exchanges
    from sessionsketch.engines.reported import Reported

    def point(person: Person, turn: int, kind: str = "statement") -> Point:
        cand = Candidate(person=person, turn=turn, start=0, end=1, text="x", words=1)
        return Point(cand, Reported(text="x", kind=kind, verb=None, start=0, end=1))

    minister = Person("Odalys Brightwater", role="speaker")
    hefin, sian = Person("Henrik Stoneleaf", role="member"), Person("Park Ji-woo", role="member")
    points = [
        point(hefin, 0, "question"),
        point(minister, 1),
        point(sian, 2, "question"),
        point(sian, 3, "question"),
        point(minister, 4),
    ]
    # each member's question opens their exchange; Sian's second question stays in hers
    groups = _exchanges(points, {hefin.name, sian.name}, [0, 2, 3])
    assert [[p.cand.turn for p in g] for g in groups] == [[0, 1], [2, 3, 4]]
    points.append(point(hefin, 5, "question"))  # another member: a new exchange
    assert [[p.cand.turn for p in g] for g in _exchanges(points, {hefin.name, sian.name}, [0, 2, 3, 5])] == [
        [0, 1],
        [2, 3, 4],
        [5],
    ]


def test_an_answer_to_a_later_question_is_not_put_under_an_earlier_one() -> None:
    """Hefin asks (turn 0), Sian asks (turn 2), the minister answers (turn 3): the sketch has
    Hefin's question but not Sian's, so the answer goes in a paragraph of its own — beside
    Hefin's question it would read as the reply to it."""
    from sessionsketch.engines.extractive import Candidate, Point, _exchanges, answers
    from sessionsketch.engines.reported import Reported

    def point(person: Person, turn: int, kind: str = "statement") -> Point:
        cand = Candidate(person=person, turn=turn, start=0, end=1, text="x", words=1)
        return Point(cand, Reported(text="x", kind=kind, verb=None, start=0, end=1))

    minister = Person("Odalys Brightwater", role="speaker")
    hefin, sian = Person("Henrik Stoneleaf", role="member"), Person("Park Ji-woo", role="member")
    question, answer = point(hefin, 0, "question"), point(minister, 3)
    assert not answers(question, answer, [0, 2])
    assert answers(question, answer, [0])  # nobody asked in between: within three turns it is the reply
    assert not answers(question, point(minister, 4), [0])  # four turns on: too far to be the reply
    groups = _exchanges([question, answer], {hefin.name, sian.name}, [0, 2])
    assert [[p.cand.turn for p in g] for g in groups] == [[0], [3]]


def test_a_turn_that_stops_mid_sentence_gives_no_point_from_its_last_words() -> None:
    """In a punctuated transcript a turn without a full stop was cut off: "… and to make sure"."""
    from sessionsketch.engines import get_engine

    a, b = POLYTECHNIC, WATER_BOARD
    said = [
        (a, "The water tariff pays for the new pumps in every valley town."),
        (b, "The tariff is too high for small towns with old pipes."),
        (
            a,
            "The pumps will be replaced over ten years, and the towns will decide the order and to make sure",
        ),
        (b, "Small towns cannot wait ten years for new pumps and pipes."),
        (a, "The board will publish the leak data every month from the spring."),
    ]
    engine = get_engine("extractive")
    per, _idf, _spoken = engine.candidates(_hearing(said), [a, b])
    texts = [c.text for c in per[a.name]]
    assert not any("make sure" in t for t in texts), texts
    assert any("leak data" in t for t in texts)


def test_a_member_who_asks_in_a_third_of_their_turns_is_a_questioner_among_witnesses_who_hardly_ask() -> None:
    from sessionsketch.engines.extractive import questioners

    minister = Person("Odalys Brightwater")
    official = Person("Park Ji-woo")
    member = Person("Henrik Stoneleaf")
    chair_like = Person("Marta Quill")
    turns = []
    for k in range(9):  # asking in 3 of 9 turns, 5 of 9, 1 of 9 and none
        turns.append((member, "Will the towns get new pumps this year?" if k % 3 == 0 else "The towns wait."))
        turns.append((chair_like, "When will the pipes be replaced?" if k % 2 == 0 else "The pipes leak."))
        turns.append((minister, "The fund opens in the spring." if k else "Why not? The fund opens soon."))
        turns.append((official, "Every town may apply for the grant."))
    asking = questioners([minister, official, member, chair_like], _hearing(turns))
    assert asking == {member.name, chair_like.name}


def test_a_witness_who_asks_back_answers_and_a_member_who_seldom_asks_never_answers() -> None:
    """The minister's turns hold "isn't it?" in a third of them, but come after questions;
    the member asks in a quarter of his turns, and none of them comes after a question
    (a question inside a turn asks; only one that ends it is answered)."""
    from sessionsketch.engines.extractive import questioners

    minister = Person("Odalys Brightwater")
    member = Person("Henrik Stoneleaf")
    other = Person("Park Ji-woo")
    turns = []
    for k in range(12):
        turns.append((other, "When will the pipes in the valley be replaced?"))
        turns.append(
            (
                minister,
                "The fund opens in the spring, doesn't it? Towns apply." if k % 3 == 0 else "It opens soon.",
            )
        )
        turns.append(
            (member, "Will the towns get new pumps this year?" if k % 4 == 0 else "The towns have waited.")
        )
        turns.append((minister, "Every town may apply for the grant."))
    asking = questioners([minister, member, other], _hearing(turns))
    assert asking == {member.name, other.name}


def test_a_theme_is_never_half_a_negation_or_half_a_possessive() -> None:
    """ "no deal scenario" is not a "deal scenario"; "the children's commissioner" is not a
    "children commissioner"."""
    from sessionsketch.engines import get_engine

    a, b = POLYTECHNIC, WATER_BOARD
    said = [
        (a, "In a no deal scenario the water tariff rises, and the children's commissioner agrees."),
        (b, "A no deal scenario hurts the water tariff; the children's commissioner said so."),
        (
            a,
            "The water tariff and the no deal scenario worry the children's commissioner and young children.",
        ),
        (b, "Even young children drink first, whatever the water tariff, and young children matter."),
    ]
    themes = get_engine("extractive").themes(_hearing(said), [a, b])
    assert themes is not None
    phrases, _turns = themes
    assert not any("deal scenario" in p or "children commissioner" in p for p in phrases), phrases
    assert "the water tariff" in phrases


def test_an_answer_is_paired_with_a_question_only_when_it_follows_it() -> None:
    """ "Asked by X …, Y replied that …" only for a point said within a few turns of the
    question: a point from twenty turns later answers something else."""
    from sessionsketch.engines.extractive import Candidate, ExtractiveEngine, Point
    from sessionsketch.engines.reported import SUBJ, Reported
    from sessionsketch.engines.writing import Cast, Writer
    from sessionsketch.model import Session

    minister = Person("Odalys Brightwater", pronouns="she/her", role="speaker")
    member = Person("Henrik Stoneleaf", pronouns="he/him", role="participant")
    cast = Cast(Session(speakers=[minister], others=[member]), Transcript(turns=[]), [minister, member],
                {member.name}, committee=True)  # fmt: skip

    def written(answer_turn: int) -> str:
        q = Point(
            Candidate(person=member, turn=2, start=0, end=1, text="x", words=8),
            Reported(text="when the towns will get new pumps", kind="question", verb="asked", start=0, end=1,
                     qword="when", words=7),
        )  # fmt: skip
        a = Point(
            Candidate(person=minister, turn=answer_turn, start=0, end=1, text="x", words=10),
            Reported(text="the fund opens in the spring and every town may apply", kind="statement",
                     verb=None, start=0, end=1, words=10),
        )  # fmt: skip
        para = ExtractiveEngine()._paragraph([q, a], Writer(cast), cast, {member.name}, gate=False)
        return " ".join(s.text for s in para.sentences)

    assert written(3).startswith("Asked by Henrik Stoneleaf when the towns will get new pumps")
    far = written(22)
    assert "Asked by" not in far and "replied" not in far, far
    assert SUBJ not in far


@pytest.mark.skipif(not MEETINGS, reason="../shared/qmsum is not present")
def test_a_member_in_a_debate_is_not_named_a_witness_nor_given_the_government_s_voice() -> None:
    """QMSum education_6 is a Stage 2 debate: Janet Finch-Saunders AM moves amendments and
    asks little, but she is a member, not one of the Deputy Minister's officials."""
    path = next((m for m in MEETINGS if m.name == "education_6.json"), None)
    if path is None:
        pytest.skip("education_6 is not among the QMSum meetings here")
    transcript = read_transcript(path)
    programme = infer_programme(transcript)
    resolve_transcript(transcript, programme)
    sketch = draft_sketch(programme, transcript)
    assert "Finch-Saunders" not in sketch.paragraphs[0].text
    for s in sketch.sentences:
        if s.speaker == "Janet Finch-Saunders":
            assert "Welsh Government, as" not in s.text and " of the Welsh Government" not in s.text


@pytest.mark.parametrize(
    ("opening", "topic"),
    [
        (
            "Item 2 this morning is our final evidence session for our inquiry into pumping stations in small towns.",
            "pumping stations in small towns",
        ),
        (
            "Item 3 is a scrutiny session on clean water and sewerage, and I'm very pleased to welcome the minister.",
            "clean water and sewerage",
        ),
        (
            "We move on to an evidence session with the Water Board around the impact of the drought on small towns.",
            "the impact of the drought on small towns",
        ),
        ("Item 2 is a scrutiny session with a focus on lead pipes in schools.", "lead pipes in schools"),
        ("Speaker view allows you to focus on the person currently speaking.", None),  # the call
        ("Item 2 is a further session on our follow-up on our report.", None),  # the committee's own words
    ],
)
def test_the_opening_takes_the_topic_the_chair_opened_the_session_on(opening: str, topic: str | None) -> None:
    from sessionsketch.engines.extractive import _spoken_topic

    chair = Person("Marta Quill", role="chair")
    found = _spoken_topic(_hearing([(chair, opening), (WATER_BOARD, "The pumps are old.")]))
    assert (found[0] if found else None) == topic


def test_every_witness_of_the_bundled_example_is_reported() -> None:
    """Steve Davies said one thing in the hearing (turn 34: he and a colleague "have been in
    regular touch with directors of education … to make sure that these children and young
    people's needs are catered for"). The gate turns the point down for "these children",
    which nothing in the sketch points to; rather than leave a witness with nothing, the
    engine says "the children" and reports it."""
    programme = load_programme(EXAMPLE / "programme.yaml")
    transcript = read_transcript(EXAMPLE / "transcript.json", programme)
    sketch = draft_sketch(programme, transcript)
    reported = {s.speaker for s in sketch.sentences if s.speaker}
    spoke = {t.speaker.name for t in transcript.turns if t.speaker is not None and len(t.text.split()) >= 40}
    witnesses = {p.name for p in programme.session.speakers} & spoke  # Huw Morris is listed, never speaks
    assert "Steve Davies" in witnesses and witnesses <= reported, (witnesses, reported)
    davies = [s.text for s in sketch.sentences if s.speaker == "Steve Davies"]
    assert any("the children and young people's needs" in t for t in davies), davies
    assert not any("these children" in t for t in davies)
