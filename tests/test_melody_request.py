"""One melody request for the engine, the Compose tab's history, Chat and the command line."""

from __future__ import annotations

import pretty_midi

from app.cli import main
from models.music.generate import generate
from models.music.request import MelodyRequest


def test_a_request_kept_by_the_app_loads_with_what_was_done_to_it_left_aside():
    kept = {"style": "irish", "key": "D", "mode": "major", "meter": "6/8", "bars": 8, "tempo": 110.0,
            "temperature": 1.0, "seed": 1, "variations": 4, "end_on_tonic": True, "pitch_range": [57, 86],
            "harmonize": False, "form": "", "humanize": True, "program": 73, "chord_program": 0,
            "motif": [[62, 1.0], [None, 0.5]], "variation": 2, "edits": [[3, 4, 1001]], "morph": None}
    request = MelodyRequest.from_json(kept)
    assert request.pitch_range == (57, 86) and request.motif == ((62, 1.0), (None, 0.5))
    assert MelodyRequest.from_json(request.to_json()) == request


def test_the_command_line_writes_what_the_engine_writes_for_the_same_request(tmp_path):
    out = tmp_path / "tune.mid"
    assert main(["compose", "--style", "fiddle", "--key", "A", "--mode", "dorian", "--meter", "3/4", "--bars", "4",
                 "--tempo", "96", "--seed", "7", "--range", "60-84", "--no-humanize", "--no-tonic-ending",
                 "-o", str(out)]) == 0
    (melody,) = generate(MelodyRequest(style="fiddle", key="A", mode="dorian", meter="3/4", bars=4, tempo=96, seed=7,
                                       pitch_range=(60, 84), humanize=False, end_on_tonic=False))
    written = pretty_midi.PrettyMIDI(str(out)).instruments[0].notes
    expected = melody.to_pretty_midi().instruments[0].notes
    assert [n.pitch for n in written] == [n.pitch for n in expected]
    assert all(abs(a.start - b.start) < 0.005 for a, b in zip(written, expected, strict=True))  # MIDI ticks
