"""A sketch published with its transcript links each sentence to the turns it rests on; without
it, the transcript stays in the workbench (issue 17). FICTIONAL panel: invented people and words.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sessionsketch.archive import Archive

from .test_workbench import _saved_sketch, session_with_transcript, version_of


def publish(client: TestClient, token: str, page: str, with_transcript: bool) -> str:
    data = {"csrf_token": token, "version": str(version_of(client, page))}
    if with_transcript:
        data["with_transcript"] = "true"
    r = client.post(page + "/publish", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_sentences_link_to_their_turns_only_when_the_transcript_is_published(
    editor: tuple[TestClient, str], archive: Archive
) -> None:
    client, token = editor
    page, sid = session_with_transcript(client, token, map_labels=True)
    _saved_sketch(archive, sid)  # its first sentence rests on turn 1
    assert 'name="with_transcript"' in client.get(page).text
    public = publish(client, token, page, with_transcript=False)
    html = client.get(public).text
    assert 'href="#turn-1"' not in html and "the smaller harbours will keep losing ships" not in html

    publish(client, token, page, with_transcript=True)
    html = client.get(public).text
    assert re.search(r'id="p0-s0"[^>]*>[^<]*<a class="turn-link" href="#turn-1"', html)
    assert 'id="turn-1"' in html and "the smaller harbours will keep losing ships" in html
    # a turn is shown under its resolved speaker, never a label the rapporteur mapped
    assert "3. Bo Larkspur" in html and "SPEAKER_02" not in html
    # the sentence without evidence has no link
    assert html.count('class="turn-link"') == 1

    # publishing again without it takes the transcript off the public page
    publish(client, token, page, with_transcript=False)
    assert 'id="turn-1"' not in client.get(public).text
