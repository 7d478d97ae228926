"""How a sketch names people and turns reported clauses into its sentences.

:class:`Cast` knows, for everyone the sketch reports, the forms a rapporteur uses: the
full name at the first mention in the sketch, then the family name (the full name when
two participants share it), a pronoun (the programme's ``pronouns``, else an honorific
the transcript itself gives: a label "Mr. …", or "Ms Davies" in someone's speech), and
a role noun where one is unambiguous ("the minister", "the chair"). It also knows whom
a speaker's "we" stands for (their government, institution or committee) and whom a
questioner's "you" addresses (the witness who answers).

:class:`Writer` composes sentences from :class:`~sessionsketch.engines.reported.Reported`
clauses the way the reference sketch does: the paragraph names its speaker once; later
sentences mix fitting reporting verbs with plain sentences that stand as the speaker's
view and with topic lead-ins; a pronoun is used only where its antecedent is the
previous sentence's subject; no name twice in one sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sessionsketch.engines.copyedit import copyedit
from sessionsketch.engines.reported import OBJ, POSS, REFL, SLOT_RE, SUBJ, Reported, choose_verb
from sessionsketch.model import Person, Session, Transcript

_PRONOUNS = {
    "he": ("he", "him", "his", "himself"),
    "she": ("she", "her", "her", "herself"),
    "they": ("they", "them", "their", "themselves"),
}
_HONORIFIC_PRONOUN = {"mr": "he", "mrs": "she", "ms": "she", "miss": "she", "sir": "he", "dame": "she",
                      "lord": "he", "lady": "she", "madam": "she"}  # fmt: skip
# the letters a legislator's name carries ("Janet Finch-Saunders AM")
_LEGISLATOR_LETTERS = "AM|MS|MP|MSP|MLA|TD"
# the role nouns of someone who answers for a government: their "we" is the government
GOVERNMENT_ROLES = frozenset(
    {
        "the minister",
        "the deputy minister",
        "the cabinet secretary",
        "the prime minister",
        "the first minister",
        "the deputy prime minister",
        "the secretary of state",
    }
)
_ROLE_NOUNS = (
    ("deputy prime minister", "the deputy prime minister"),
    ("prime minister", "the prime minister"),
    ("first minister", "the first minister"),
    ("deputy minister", "the deputy minister"),
    ("minister", "the minister"),
    ("cabinet secretary", "the cabinet secretary"),
    ("secretary of state", "the secretary of state"),
    ("commissioner", "the commissioner"),
    ("ambassador", "the ambassador"),
    ("chief executive", "the chief executive"),
    ("chief medical officer", "the chief medical officer"),
    ("director", "the director"),
    ("chair", "the chair"),
)
_ORG_WORDS = re.compile(
    r"\b(government|ministry|department|university|council|committee|agency|institute|commission|office|"
    r"authority|association|bank|cent(re|er)|foundation|service|nhs|board|union|forum|school|college|trust|"
    r"society|federation|party|parliament|assembly|senedd|corporation|company|inc|ltd|group|directorate|"
    r"organi[sz]ation|forces|state|house|executive|polytechnic|institution|academy|laborator(y|ies)|hospital|network|"
    r"alliance|coalition|fund|programme|program|project|observatory)\b",
    re.I,
)
_ARTICLE_ORG = re.compile(
    r"(government|ministry|department|committee|commission|agency|office|authority|council|parliament|"
    r"assembly|service|board|bank|forum|union|federation|society|trust|directorate|executive|forces|institution)$",
    re.I,
)
_POSSESSIVE = {"he": "his", "she": "her", "they": "their"}
QUESTIONER_ROLES = frozenset({"member", "participant", "audience", "questioner", "discussant"})


@dataclass
class Forms:
    """The ways the sketch names one person."""

    full: str
    short: str
    pronoun: str | None  # "he" / "she" / "they", when known
    role: str | None  # "the minister", when it points at this person alone
    group: str | None  # what their "we" means
    questioner: bool = False
    member: bool = False  # an elected member who holds no government office ("… AM")

    def pronoun_forms(self) -> tuple[str, str, str, str] | None:
        return _PRONOUNS.get(self.pronoun or "")


# an affiliation part that is someone's office, not a body they speak for
_TITLE_PART = re.compile(
    r"(?i)^(the\s+)?(vice[- ]|deputy\s+|acting\s+|interim\s+|parliamentary\s+|assistant\s+|associate\s+|"
    r"senior\s+|group\s+|executive\s+|managing\s+|programme\s+|program\s+|research\s+|policy\s+|co-)?"
    r"(president|leader|minister|secretary|director|chair(man|woman|person)?|head|member|chief|commissioner|"
    r"speaker|clerk|governor|ambassador|spokes(man|woman|person)|officer|manager|professor|dean|mayor|"
    r"councillor|senator|representative|registrar|auditor|attorney|solicitor|advocate|convener|rapporteur|"
    r"principal|fellow|founder|partner|editor|advis[eo]r|analyst|lecturer|trustee|coordinator|consultant|"
    r"economist|researcher|lead|ceo|cfo|coo|vice-chancellor|chancellor|provost|rector|headteacher|"
    r"executive)\b"
)
# "Calgary Centre, CPC": a constituency and a party abbreviation (Hansard-style labels)
_PARTY_ABBREVIATION = re.compile(r"^(?:[A-Z]{2,5}|Lib|Ind|Con|Lab|Ind\. Cons|Green)\.?$")
_CENTRE = re.compile(r"(?i)\bcent(re|er)\b")
# "Leader of the Government in the House of Commons", "Minister of Finance": a government office
_GOVERNMENT_OFFICE = re.compile(r"(?i)\b(minister|government|secretary of state|cabinet)\b")
# offices that speak for the body they head ("Chair of the Board"; not "Member of Parliament")
_HEAD_OF = re.compile(
    r"(?i)^(the\s+)?(vice[- ]|deputy\s+|acting\s+|interim\s+)?"
    r"(president|chair(man|woman|person)?|head|director(-general)?|chief\s+\w+|leader|governor|"
    r"commissioner|secretary[- ]general|convener)\s+of\b"
)
_BODY_OF = re.compile(  # "University of Bristol", "Office for National Statistics" take "the"
    r"(?i)^(university|office|department|ministry|institute|agency|council|commission|bank|board|"
    r"school|college|academy|society|federation|union|association|house|court)\s+(of|for|on)\b"
)
_OF_BODY = re.compile(r"(?i)\bof\s+(the\s+)?(.+)$")


def member_label(affiliation: str | None) -> bool:
    """Whether an affiliation is a legislator's label: a constituency and a party ("Calgary Centre, CPC")."""
    parts = [p.strip() for p in (affiliation or "").split(",") if p.strip()]
    if len(parts) != 2 or not _PARTY_ABBREVIATION.match(parts[1]):
        return False
    # "Director, ONS" and "Cardiff University, UCU" are an office and a body, not a seat
    place = _CENTRE.sub("", parts[0])  # "Calgary Centre" is a constituency
    return not _TITLE_PART.match(parts[0]) and not _ORG_WORDS.search(place)


def organisation(affiliation: str | None) -> str | None:
    """The body a speaker's "we" stands for, from their affiliation.

    "Minister for Education, Welsh Government" → "the Welsh Government"; "President of the
    Treasury Board" → "the Treasury Board"; "Leader of the Government in the House of
    Commons" → "the government"; a constituency and party ("Calgary Centre, CPC") → None,
    since a member speaks for neither.
    """
    if not affiliation:
        return None
    if member_label(affiliation):
        return None
    for role, body in appointments(affiliation):
        if role and body:  # "Chair, ColegauCymru; Chief Executive Officer, Grŵp Llandrillo Menai"
            return _with_article(body)
    parts = [p.strip() for p in affiliation.split(",") if p.strip()]
    for part in reversed(parts):
        if _TITLE_PART.match(part):
            continue
        if _ORG_WORDS.search(part):
            return _with_article(part)
    for part in parts:  # only offices: the body an office belongs to
        if _GOVERNMENT_OFFICE.search(part):
            return "the government"
        body = _OF_BODY.search(part) if _HEAD_OF.match(part) else None
        if body and _ORG_WORDS.search(body.group(2)) and not _TITLE_PART.match(body.group(2)):
            return _with_article(body.group(2))
    return None


def appointments(affiliation: str) -> list[tuple[str | None, str | None]]:
    """The (role, body) of each appointment an affiliation lists, as people write them:
    "Chair, ColegauCymru; Chief Executive Officer, Grŵp Llandrillo Menai" → [("Chair",
    "ColegauCymru"), ("Chief Executive Officer", "Grŵp Llandrillo Menai")]; "Director of Policy
    and Development, ColegauCymru" → [("Director of Policy and Development", "ColegauCymru")];
    "Principal, Cardiff and Vale College (ColegauCymru)" → [("Principal", "Cardiff and Vale
    College")] (what is in brackets is whom they appear for besides). An appointment whose
    parts are all offices has no body (None); one with no office has no role."""
    out: list[tuple[str | None, str | None]] = []
    for piece in re.split(r"\s*;\s*", affiliation.strip()):
        piece = re.sub(r"\s*\([^()]*\)\s*$", "", piece).strip()
        parts = [p.strip() for p in piece.split(",") if p.strip()]
        if not parts:
            continue
        roles = [p for p in parts if _TITLE_PART.match(p)]
        bodies = [p for p in parts if not _TITLE_PART.match(p)]
        if not roles:
            out.append((None, piece))
            continue
        # the body is the last part that is no office and names one ("Skills, Higher Education
        # and Lifelong Learning, Welsh Government": a portfolio, then the body)
        body = next((p for p in reversed(bodies) if _ORG_WORDS.search(p)), None) or (
            bodies[-1]
            if bodies
            and bodies[-1][:1].isupper()
            and parts.index(bodies[-1]) > 0
            and not _portfolio_goes_on(parts[parts.index(bodies[-1]) - 1], bodies[-1])
            else None
        )
        out.append((", ".join(p for p in parts if p != body), body))
    return out


def _portfolio_goes_on(before: str, part: str) -> bool:
    """Whether ``part`` continues the portfolio of the office before it, not a body: "Minister
    of Small Business, Export Promotion and International Trade" (one minister, three
    subjects, no body named) against "Director of Policy and Development, ColegauCymru"."""
    return bool(re.search(r"\b(?:of|for)\s+\S", before)) and " and " in part


def _with_article(body: str) -> str:
    if body.lower().startswith("the "):
        return "the " + body[4:]
    return ("the " + body) if _ARTICLE_ORG.search(body) or _BODY_OF.match(body) else body


class Cast:
    """Everyone a sketch reports, with the forms it names them by."""

    def __init__(
        self,
        session: Session,
        transcript: Transcript,
        people: list[Person],
        questioners: set[str],
        committee: bool,
        unattributed: bool = False,
    ) -> None:
        self.unattributed = unattributed
        self.transcript = transcript
        self.committee = committee
        self.forms: dict[str, Forms] = {}
        everyone = {p.name: p for p in [*session.participants, *people]}
        self.people = everyone
        families: dict[str, int] = {}
        for p in everyone.values():
            families[p.family_name.lower()] = families.get(p.family_name.lower(), 0) + 1
        genders = _transcript_pronouns(transcript, everyone, families)
        addressed = _addressed_as_minister(transcript)
        titles = _introductions(transcript, everyone)  # "Huw Irranca-Davies, Minister for …," in the opening
        nouns = {
            p.name: _role_noun(p, titles.get(p.name))
            or ("the minister" if p.name in addressed and not p.affiliation else None)
            for p in everyone.values()
        }
        roles: dict[str, list[str]] = {}
        for name, noun in nouns.items():
            if noun:
                roles.setdefault(noun, []).append(name)
        # the government the session names ("the Welsh Government"), read once
        session_government = _government(transcript)
        # officials who give evidence beside a minister speak for the government
        government = (
            session_government if any(roles.get(n) for n in GOVERNMENT_ROLES) and questioners else None
        )
        self.titles = titles
        elected = _elected(transcript)
        bodies = _own_bodies(transcript)
        # a team at work ("our product", "our next meeting"), not witnesses before a committee
        # nor panellists from several bodies: everyone's "we" is the team
        team = not committee and not questioners and _team_meeting(transcript)
        for p in everyone.values():
            shared = families[p.family_name.lower()] > 1
            noun = nouns[p.name]
            group = organisation(p.affiliation or titles.get(p.name))
            pronoun = p.subject_pronoun or genders.get(p.name)
            if group is None and member_label(p.affiliation) and p.name not in questioners:
                # a member with a seat and a party ("Beloeil—Chambly, BQ") who answers and
                # argues: their "we" is their party, never the government they oppose ("the
                # gist of our proposal" was written "the government's proposal")
                group = f"{_POSSESSIVE[pronoun]} party" if pronoun in {"he", "she"} else "the party"
            if group == "the government" and not p.affiliation:
                # a title from the opening ("Cabinet Secretary for Education") names no
                # government; the session does ("the Welsh Government"), as for officials
                group = session_government
            if group is None and (p.role in {"chair", "moderator"} or p.name in questioners) and committee:
                group = "the committee"
            elif (
                group is None
                and government
                and p.name not in questioners
                and p.role not in {"chair", "moderator"}
                and p.name not in elected  # a member who speaks in a debate is no official
            ):
                group = government
            if (
                group is None
                and p.name not in questioners
                and p.role not in {"chair", "moderator"}
                and p.name in bodies
            ):
                # no affiliation says whom their "we" stands for, but their own words do:
                # "our government", "our company", "my department"
                group = bodies[p.name]
                if group == "the government" and session_government:
                    group = session_government
            if group is None and team and not p.affiliation:
                group = "the team"
            if (
                group is None
                and p.name not in questioners
                and p.role not in {"chair", "moderator"}
                and (p.name not in elected or noun in GOVERNMENT_ROLES)
            ):
                # a witness or panellist speaks for their institution, even when no one says
                # which: "her organisation" — never a bare "they", nor "their" (whose?)
                if noun in GOVERNMENT_ROLES:
                    group = "the government"
                elif pronoun in {"he", "she"}:
                    group = f"{_POSSESSIVE[pronoun]} organisation"
            self.forms[p.name] = Forms(
                full=p.name,
                short=p.name if shared else p.family_name,
                pronoun=pronoun,
                # a role names someone only where the sketch's own block gives it (a reader
                # must be able to tell who "the minister" is); an inferred role still tells
                # whom their "we" stands for
                role=noun if noun and len(roles[noun]) == 1 and _role_noun(p) == noun else None,
                group=group,
                questioner=p.name in questioners,
                member=p.name in elected and noun not in GOVERNMENT_ROLES,
            )

    def __getitem__(self, name: str) -> Forms:
        return self.forms[name]


#: The bodies a speaker's "our X" names as theirs: the singular nouns of an institution or a team.
_OWN_BODY = re.compile(
    r"\b(?:our|my)\s+(government|department|ministry|company|team|organi[sz]ation|university|college|"
    r"union|council|agency|service|board|firm|association|charity|trust|authority|institute|hospital|"
    r"office|directorate|group|lab|laboratory|bank|federation|network|commission)\b(?!\s*'s\b)",
    re.I,
)
OWN_BODY_AT_LEAST = 2  # mentions of "our X" that make X whom someone's "we" stands for


def _own_bodies(transcript: Transcript) -> dict[str, str]:
    """The body each speaker calls theirs most often ("our government" → "the government"),
    when they do so at least ``OWN_BODY_AT_LEAST`` times and more than any other body."""
    counts: dict[str, Counter[str]] = {}
    for turn in transcript.turns:
        if turn.speaker is None:
            continue
        for m in _OWN_BODY.finditer(turn.text):
            noun = m.group(1).lower().replace("organization", "organisation")
            noun = "laboratory" if noun == "lab" else noun
            counts.setdefault(turn.speaker.name, Counter())[noun] += 1
    out: dict[str, str] = {}
    for name, c in counts.items():
        top = c.most_common(2)
        if top[0][1] >= OWN_BODY_AT_LEAST and (len(top) == 1 or top[0][1] > top[1][1]):
            out[name] = f"the {top[0][0]}"
    return out


#: What a team says of its shared work: "our product", "our next meeting", "our design".
_SHARED_WORK = re.compile(
    r"\bour\s+(?:next\s+|last\s+|first\s+|own\s+)?(project|product|meeting|team|design|system|budget|"
    r"plan|goal|task|prototype|remote|paper|experiment|results|data|work|group)s?\b",
    re.I,
)
TEAM_AT_LEAST = 3  # mentions of shared work, by at least two speakers, that make a meeting a team's


def _team_meeting(transcript: Transcript) -> bool:
    """Whether the speakers talk as one team: "our product", "our meeting" at least
    ``TEAM_AT_LEAST`` times, from at least two of them."""
    said: Counter[str] = Counter()
    for turn in transcript.turns:
        if turn.speaker is not None:
            said[turn.speaker.name] += len(_SHARED_WORK.findall(turn.text))
    return sum(said.values()) >= TEAM_AT_LEAST and sum(1 for n in said.values() if n) >= 2


def _role_noun(p: Person, title: str | None = None) -> str | None:
    text = f"{p.affiliation or title or ''}".lower().split(",")[0]
    if p.role in {"chair", "moderator"}:
        return "the chair"
    for key, noun in _ROLE_NOUNS:
        if re.search(rf"\b{key}\b", text) and noun != "the chair":
            return noun
    return None


def _introductions(transcript: Transcript, everyone: dict[str, Person]) -> dict[str, str]:
    """Titles the session's opening gives people: "welcome Huw Irranca-Davies, Minister for X, …"."""
    out: dict[str, str] = {}
    text = " ".join(t.text for t in transcript.turns[:4])
    for p in everyone.values():
        if p.affiliation or p.name not in text:  # a pattern per person named in the opening only
            continue
        m = re.search(
            re.escape(p.name)
            + rf"(?:\s+(?:{_LEGISLATOR_LETTERS}|OBE|MBE|CBE|QC|KC))*"  # "Kirsty Williams AM, Cabinet Secretary …"
            + r",\s+((?:the\s+)?[A-Z][^,.;]{3,80}?)(?:,|\.|;|\s+also\s)",
            text,
        )
        if m and re.search(
            r"(?i)\b(minister|secretary|director|chief|head|commissioner|officer|chair)\b", m.group(1)
        ):
            out[p.name] = m.group(1)
    return out


def _addressed_as_minister(transcript: Transcript) -> set[str]:
    """Who is addressed as "Minister" in the turn before theirs (at least twice), or so labelled."""
    votes: dict[str, int] = {}
    turns: dict[str, int] = {}
    prev = None
    for turn in transcript.turns:
        p = turn.speaker
        if p is not None:
            turns[p.name] = turns.get(p.name, 0) + 1
            if re.search(r"\bminister\b", turn.label, re.I):
                votes[p.name] = votes.get(p.name, 0) + 2
            elif (
                prev is not None
                and prev.speaker is not None
                and prev.speaker.name != p.name
                and re.search(r"\bMinister\b", prev.text[-300:])
            ):
                votes[p.name] = votes.get(p.name, 0) + 1
        prev = turn
    return {n for n, v in votes.items() if v >= 2 and v >= 0.2 * turns[n]}


_ELECTED_LABEL = re.compile(rf"\b(?:{_LEGISLATOR_LETTERS})\s*$")


def _elected(transcript: Transcript) -> set[str]:
    """Who speaks under a legislator's letters ("Janet Finch-Saunders AM"): a member, or a
    minister who is one, never an official speaking for a government."""
    return {
        t.speaker.name for t in transcript.turns if t.speaker is not None and _ELECTED_LABEL.search(t.label)
    }


def _government(transcript: Transcript) -> str:
    """What a government witness's "we" is: "the Welsh Government" if the session says so, else "the government"."""
    counts: dict[str, int] = {}
    for turn in transcript.turns[:300]:
        for m in re.finditer(r"\b([A-Z][a-z]+) Government\b", turn.text):
            if m.group(1) not in {"The", "This", "Our", "Your", "Their", "Local", "Federal", "UK"}:
                counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    best = max(counts.items(), key=lambda kv: kv[1], default=None)
    return f"the {best[0]} Government" if best and best[1] >= 3 else "the government"


def _transcript_pronouns(
    transcript: Transcript, everyone: dict[str, Person], families: dict[str, int]
) -> dict[str, str]:
    """Pronouns the transcript gives: a label "Mr. X", or "Ms Davies" said of a unique family name."""
    out: dict[str, str] = {}
    for turn in transcript.turns:
        p = turn.speaker
        if p is None or p.name in out:
            continue
        m = re.match(r"\W*(mr|mrs|ms|miss|sir|dame|lord|lady)\b", turn.label.strip(), re.I)
        if m:
            out[p.name] = _HONORIFIC_PRONOUN[m.group(1).lower()]
    unique = {
        p.family_name.lower(): p.name for p in everyone.values() if families[p.family_name.lower()] == 1
    }
    if not unique:
        return out
    pattern = re.compile(
        r"\b(Mr|Mrs|Ms|Miss|Sir|Dame|Lord|Lady)\.?\s+("
        + "|".join(re.escape(f.title()) for f in unique)
        + r")\b"
    )
    counts: dict[str, dict[str, int]] = {}
    for turn in transcript.turns[:400]:
        for m in pattern.finditer(turn.text):
            name = unique.get(m.group(2).lower())
            if name:
                pron = _HONORIFIC_PRONOUN[m.group(1).lower()]
                counts.setdefault(name, {}).setdefault(pron, 0)
                counts[name][pron] += 1
    for name, votes in counts.items():
        if name not in out and len(votes) == 1:
            out[name] = next(iter(votes))
    return out


# ------------------------------------------------------------------------ sentences


_QUOTE_FRAMES = ("said", "added", "went on")
# the speaker's slot in a later clause than the first: "… are in B.C., and <S> has to …"
_LATER_CLAUSE = re.compile(r"[,;] (?:and|but|so|or) |; ")


class Writer:
    """Composes a speaker's reported clauses into sentences, tracking who was last named."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.named_in_sketch: set[str] = set()
        self.last_subject: str | None = None  # the person the previous sentence was about
        self.anonymous = 0
        self.anon_seen: set[str] = set()
        self.leads = 0  # paragraph-opening sentences written (to vary how they open)
        self.replies = 0  # answers written right after their question (likewise)
        self.quotes: tuple[str | None, int] = (None, 0)  # who the last sentences quoted, how many in a row
        self.plain = False  # the last sentence stood without its speaker's name (no pronoun for them)

    def snapshot(self) -> tuple:
        """The naming state, to restore when a written sentence is dropped after all."""
        return (
            set(self.named_in_sketch),
            self.last_subject,
            self.anonymous,
            set(self.anon_seen),
            self.leads,
            self.replies,
            self.quotes,
            self.plain,
        )

    def restore(self, state: tuple) -> None:
        named, self.last_subject, self.anonymous, anon, self.leads, self.replies, self.quotes, self.plain = (
            state
        )
        self.named_in_sketch, self.anon_seen = set(named), set(anon)

    def new_paragraph(self) -> None:
        self.last_subject = None
        self.quotes = (None, 0)
        self.plain = False

    # -- naming
    def _name(self, who: str) -> str:
        forms = self.cast[who]
        if self.cast.unattributed:
            if who not in self.anon_seen:
                self.anon_seen.add(who)
                self.anonymous += 1
                return "one participant" if self.anonymous == 1 else "another participant"
            return "the same participant" if self.last_subject == who else "another participant"
        if who not in self.named_in_sketch:
            self.named_in_sketch.add(who)
            return forms.full
        return forms.short

    def _subject(
        self, who: str, allow_pronoun: bool, allow_role: bool = False, agrees: bool = False
    ) -> tuple[str, bool]:
        """(words, named) for a sentence's subject: a pronoun only after the same subject.

        ``agrees``: the subject's verb was made singular (the speaker's own clause), so an
        unattributed speaker is "the same participant" rather than "they".
        """
        forms = self.cast[who]
        pron = forms.pronoun_forms()
        if self.cast.unattributed and self.last_subject == who and allow_pronoun:
            return ("the same participant", True) if agrees else ("they", False)
        if allow_pronoun and self.last_subject == who and pron and who in self.named_in_sketch:
            return pron[0], False
        if allow_role and forms.role and who in self.named_in_sketch and not self.cast.unattributed:
            return forms.role, True
        return self._name(who), True

    def fill(self, clause: str, who: str, subject_named: bool, self_slot: str | None = None) -> str | None:
        """Fill the speaker's slots in a clause; None when that would name them twice."""
        forms = self.cast[who]
        pron = forms.pronoun_forms()
        if self.cast.unattributed:
            # "one participant" agrees as a singular; "they" would not, so a second
            # subject slot cannot be filled (the sentence is not written)
            pron = None
        first = True
        failed = False

        def slot(m: re.Match[str]) -> str:
            nonlocal first, failed
            kind = m.group()
            if first and self_slot is not None and kind == SUBJ:
                # the clause's own subject, even after a possessive that points forward to
                # it ("In his riding, Sukh Dhaliwal is in close contact …")
                first = False
                return self_slot
            first = first and self_slot is not None and kind != SUBJ
            if pron is None:
                if kind == POSS:
                    return "their"
                if kind in (OBJ, REFL):
                    return "them" if kind == OBJ else "themselves"
                if forms.role and subject_named is False:
                    return forms.role
                failed = True
                return ""
            return {SUBJ: pron[0], OBJ: pron[1], POSS: pron[2], REFL: pron[3]}[kind]

        out = SLOT_RE.sub(slot, clause)
        return None if failed else out

    def sentence(
        self, who: str, rep: Reported, lead: bool, previous_verb: str | None, index: int, reply: bool = False
    ) -> str | None:
        """One sentence reporting ``rep`` for ``who``; None when it cannot be written cleanly.

        ``reply``: the sentence answers the question just before it (the answerer is named
        by role where they have one: "The minister replied that …").
        """
        verb = choose_verb(rep)
        if reply and rep.kind == "statement" and verb in {"said", "noted", "added"}:
            verb = "replied"
        if verb == previous_verb and verb not in {"asked"}:
            verb = _ALTERNATE.get(verb, "added")
        allow_pronoun = not lead
        quoted, in_row = self.quotes
        self.quotes = (None, 0)
        if rep.kind == "quote":  # "Williams said: “We work very closely with colleagues.”"
            # quotations in a row: "She added: …", then "She went on: …", never "said" thrice
            in_row = in_row if quoted == who and self.last_subject == who else 0
            subj, _ = self._subject(who, allow_pronoun)
            self.last_subject = who
            self.quotes = (who, in_row + 1)
            self.plain = False
            frame = _QUOTE_FRAMES[min(in_row, len(_QUOTE_FRAMES) - 1)]
            return f"{subj[:1].upper()}{subj[1:]} {frame}: “{rep.text}.”"
        if rep.kind == "question":
            subj, named = self._subject(who, allow_pronoun)
            also = " also" if not lead and index % 2 == 1 else ""
            body = self.fill(rep.text, who, named)
            on = f", on {rep.lead}," if rep.lead else ""
            text = f"{subj}{also} asked{on} {body}" if body is not None else None
        elif rep.pushback and not rep.self_subject:
            subj, named = self._subject(who, allow_pronoun)
            body = self.fill(rep.text, who, named)
            text = f"{subj} pushed back: {body}" if body is not None else None
        elif rep.self_subject and (not lead or not _LATER_CLAUSE.search(rep.text.split(SUBJ, 1)[0])):
            # the speaker is the clause's subject: "She is not in a position to give a date."
            # (a paragraph's first sentence names them first: "The homes … are in B.C., and
            # Patty Hajdu has to commend …" would read as the previous speaker's)
            pron = self.cast[who].pronoun_forms()
            if self.cast.unattributed:
                subj, named = self._subject(who, allow_pronoun, allow_role=index % 3 == 2, agrees=True)
                text = self._with_lead(rep.lead, self.fill(rep.text, who, named, self_slot=subj))
            elif pron is None:
                # "Ng is thrilled that …", "Williams meets with young people …": the speaker's
                # own words stated as fact. Editors strike them (2 % PUBLISHABLE, 78 % BAD over
                # rounds 3-9 of the audit); with no pronoun to report them by, only a stance
                # towards a that-clause is kept, as the reporting verb it amounts to ("is worried
                # that X" → "warned that X", "is confident that X" → "said that X"); else the
                # point goes
                stance = _STANCE.match(rep.text)
                if stance is None:
                    return None
                subj, named = self._subject(who, allow_pronoun, allow_role=index % 3 == 2)
                body = self.fill(stance.group(2), who, True)
                said = _STANCE_VERBS[stance.group(1).lower()]
                text = self._with_lead(rep.lead, f"{subj} {said} that {body}" if body is not None else None)
            else:
                # "Ng said that she is thrilled …": reported, with the pronoun as the clause's subject
                subj, named = self._subject(who, allow_pronoun, allow_role=index % 3 == 2)
                body = self.fill(rep.text, who, True, self_slot=pron[0])
                core = f"{subj}{_also(lead, index, verb)} {verb} that {body}" if body is not None else None
                text = self._with_lead(rep.lead, core)
        elif (
            not lead
            and self.last_subject == who
            and verb in {"said", "noted", "explained", "added"}
            and index % 2 == 0
        ):
            # a plain sentence inside the speaker's paragraph stands as their view
            body = self.fill(rep.text, who, subject_named=False)
            if body is None:
                return None
            if self._opens_on_someone(body, who):
                # "Irranca-Davies talks about 30 by 2020." would read as Irranca-Davies's own
                # point: the speaker is named instead
                return self._framed(who, rep, verb, lead, index, reply, allow_pronoun)
            return self._plain(who, rep, body)
        elif (
            not lead
            and self.last_subject == who
            and self._nameless_again(who)
            and verb in _PLAIN_VERBS
            and (body := self.fill(rep.text, who, subject_named=False)) is not None
            and not self._opens_on_someone(body, who)
        ):
            # the same speaker again with no pronoun to take them up: a plain sentence, not
            # their name a second time in a row ("Morneau said … Morneau also said …"); never
            # two in a row, so that the paragraph keeps saying whose view it is
            return self._plain(who, rep, body)
        elif lead and not reply and verb in {"said", "noted"} and not rep.lead and self.leads % 2 == 1:
            # "According to Williams, the public health message is to stay at home."
            name = self._name(who)
            body = self.fill(rep.text, who, subject_named=True)
            if body is None:
                return None
            text = f"According to {name}, {body}"
        else:
            return self._framed(who, rep, verb, lead, index, reply, allow_pronoun)
        return self._written(who, text, lead)

    def _framed(
        self, who: str, rep: Reported, verb: str, lead: bool, index: int, reply: bool, allow_pronoun: bool
    ) -> str | None:
        """ "Williams argued that …": the speaker (name, pronoun or role) and a reporting verb."""
        # no pronoun for a speaker named in the sentence before: their role noun, where they have one
        again = allow_pronoun and self.last_subject == who and self.cast[who].pronoun_forms() is None
        subj, named = self._subject(who, allow_pronoun, allow_role=index % 3 == 2 or reply or again)
        body = self.fill(rep.text, who, named)
        if body is None:
            return None
        core = f"{subj}{_also(lead, index, verb)} {verb} that {body}"
        if reply and verb == "replied" and subj[:1].isupper() and not rep.lead:
            self.replies += 1
            if self.replies % 2 == 0:  # "In reply, Gething said that …" every other time
                core = f"In reply, {subj} said that {body}"
        return self._written(who, self._with_lead(rep.lead, core) if rep.lead else core, lead)

    def _plain(self, who: str, rep: Reported, body: str) -> str:
        """A sentence that stands as the speaker's view, with no name or reporting verb."""
        self.last_subject = who
        self.plain = True
        return _finish(self._with_lead(rep.lead, body) or body)

    def _written(self, who: str, text: str | None, lead: bool) -> str | None:
        """The sentence about ``who`` as written, the naming state moved on past it."""
        if lead:
            self.leads += 1
        if text is None:
            return None
        self.last_subject = who
        self.plain = False
        return _finish(text)

    def _opens_on_someone(self, body: str, who: str) -> bool:
        """Whether a clause opens on another participant or a role ("The minister has …"):
        as a plain sentence it would read as theirs."""
        head = body.lstrip()[:60].lower()
        if _OPENS_ON_ROLE.match(head):
            return True
        for name, forms in self.cast.forms.items():
            if name == who:
                continue
            for form in {forms.full, forms.short}:
                if form and head.startswith(form.lower()):
                    return True
        return False

    def _nameless_again(self, who: str) -> bool:
        """Whether the sentence after one about ``who`` could only name them again: the sketch
        has no pronoun for them and no role noun that is theirs alone."""
        forms = self.cast[who]
        return (
            not self.plain
            and not self.cast.unattributed
            and forms.pronoun_forms() is None
            and not forms.role
            and who in self.named_in_sketch
        )

    @staticmethod
    def _with_lead(topic: str | None, clause: str | None) -> str | None:
        if clause is None:
            return None
        if not topic:
            return clause
        return f"On {topic}, {clause}"

    def asked_by(self, asker: str, question: Reported, who: str, answer: Reported) -> str | None:
        """ "Asked by X whether …, Williams said that …" — the sentence is the answerer's."""
        if self.cast.unattributed:
            return None
        q = self.fill(question.text, asker, subject_named=True)
        if q is None or (question.qword in {"", "about"} and not q.startswith("about")):
            return None
        asker_name = self._name(asker)
        subj, named = self._subject(who, allow_pronoun=False)
        verb = "replied" if choose_verb(answer) in {"said", "noted", "added"} else choose_verb(answer)
        if answer.self_subject:
            # the answerer's own clause, reported by its pronoun ("…, Williams replied that she
            # meets …"); without one it is not written this way (see ``sentence``)
            pron = self.cast[who].pronoun_forms()
            body = self.fill(answer.text, who, True, self_slot=pron[0]) if pron else None
        else:
            body = self.fill(answer.text, who, named)
        core = f"{subj} {verb} that {body}" if body is not None else None
        if core is None:
            return None
        self.last_subject = who
        self.plain = False
        return _finish(f"Asked by {asker_name} {q}, {core}")


# a clause that opens on a role ("the minister has …", "member …") is about that person
_OPENS_ON_ROLE = re.compile(
    r"(?:the )?(?:" + "|".join(re.escape(word) for word, _ in _ROLE_NOUNS) + r"|member|witness)\b"
)


def _also(lead: bool, index: int, verb: str) -> str:
    """ "also" in every other sentence after a paragraph's first ("She also argued …")."""
    return " also" if not lead and index % 2 == 1 and verb not in {"added", "replied"} else ""


# the speaker's own stance towards a that-clause, and the reporting verb it amounts to
_STANCE_VERBS = {
    "worried": "warned",
    "concerned": "warned",
    "afraid": "warned",
    "confident": "said",
    "sure": "said",
    "certain": "said",
    "convinced": "argued",
    "clear": "stressed",
    "aware": "acknowledged",
    "pleased": "welcomed",
    "glad": "welcomed",
    "delighted": "welcomed",
    "disappointed": "regretted",
}
_STANCE = re.compile(
    "\x00S (?:is|was|am|are|remains) (?:(?:very|really|quite|absolutely|extremely|deeply|fully|also|still|"
    "now) )*(" + "|".join(_STANCE_VERBS) + r") that (.+)$",
    re.S,
)
# reporting verbs a plain sentence can stand for (not "asked", "warned", "acknowledged": their force is the point)
_PLAIN_VERBS = frozenset(
    {"said", "noted", "explained", "added", "argued", "stressed", "maintained", "replied"}
)
_ALTERNATE = {
    "said": "noted",
    "noted": "added",
    "argued": "maintained",
    "warned": "cautioned",
    "suggested": "proposed",
    "believes": "argued",
    "acknowledged": "accepted",
    "explained": "said",
    "added": "said",
}


def _finish(text: str) -> str:
    text = copyedit(re.sub(r"\s+", " ", text).strip())
    text = text[:1].upper() + text[1:]
    if not text.endswith((".", "?", "!", "”", "’")) or (
        text.endswith(("”", "’")) and not text[:-1].endswith(".")
    ):
        text = text.rstrip(" ,;:") + "."
    return text
