"""generate(MelodyRequest()) with the shipped styles: every constraint on 200 random requests, determinism, forms, infilling, MIDI."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from models.music import tokens
from models.music.generate import SHIPPED_STYLES, generate, load_style, regenerate_bars
from models.music.request import MelodyRequest
from models.music.selftest import self_test

METERS = ("2/4", "3/4", "4/4", "6/8", "9/8", "12/8", "2/2", "3/8")
KEYS = ("C", "G", "D", "A", "E", "F", "Bb", "Eb", "F#")
MODES = ("major", "minor", "dorian", "mixolydian")


def random_request(rng: np.random.Generator) -> dict:
    tonic = rng.choice(KEYS)
    low = int(rng.integers(52, 67))
    request = {"style": str(rng.choice(SHIPPED_STYLES)), "key": str(tonic), "mode": str(rng.choice(MODES)),
               "meter": str(rng.choice(METERS)), "bars": int(rng.integers(1, 9)), "seed": int(rng.integers(0, 10**6)),
               "pitch_range": (low, low + int(rng.integers(12, 25))), "temperature": float(rng.uniform(0.5, 1.5)),
               "end_on_tonic": bool(rng.random() < 0.8), "humanize": bool(rng.random() < 0.5)}
    if rng.random() < 0.25:
        mid = tokens.REFERENCE_TONIC + tokens.parse_key(request["key"])
        pitches = [p for p in (mid, mid + 2, mid + 4, mid + 7) if low <= p <= request["pitch_range"][1]] or [low]
        request["motif"] = [(int(rng.choice(pitches)), float(rng.choice([0.5, 1.0]))) for _ in range(3)]
        request["bars"] = max(request["bars"], 2)
    if rng.random() < 0.2 and request["bars"] % 4 == 0:
        request["form"] = str(rng.choice(["AABA", "ABAB", "A A' B A'"]))
    return request


def check_constraints(request: dict, melody) -> None:
    meter = tokens.Meter.parse(request["meter"])
    bar = meter.bar_ticks
    events = melody.events
    assert sum(e.ticks for e in events) == request["bars"] * bar
    assert all(a.onset + a.ticks == b.onset for a, b in itertools.pairwise(events))
    motif_ticks = sum(tokens.DURATIONS[tokens.duration_index(round(q * 24))] for _, q in request.get("motif", []))
    for b in range(request["bars"]):
        if (b + 1) * bar <= motif_ticks:
            continue
        inside = [e for e in events if b * bar <= e.onset < (b + 1) * bar]
        assert all(e.onset + e.ticks <= (b + 1) * bar for e in inside), "a note crosses a bar line"
        if b * bar >= motif_ticks:
            assert sum(e.ticks for e in inside) == bar
    low, high = request["pitch_range"]
    notes = melody.notes()
    assert notes and all(low <= n.pitch <= high for n in notes)
    if request["end_on_tonic"]:
        assert (notes[-1].pitch - tokens.parse_key(request["key"])) % 12 == 0
        assert events[-1].symbol != tokens.REST
    motif_notes = len(request.get("motif", []))
    if motif_notes:
        kept = [(tokens.symbol_to_pitch(e.symbol, melody.tonic, melody.mode), e.ticks) for e in events[:3]]
        assert kept == [(p, tokens.DURATIONS[tokens.duration_index(round(q * 24))]) for p, q in request["motif"]]
    used = set(load_style(request["style"]).pitches_used)
    assert all(e.symbol in used for e in events[motif_notes:]), "a pitch the style's tunes never used"


def test_200_random_requests_meet_every_constraint_and_repeat_exactly():
    rng = np.random.default_rng(2026)
    for i in range(200):
        request = random_request(rng)
        melodies = generate(MelodyRequest(**request, variations=2 if i % 10 == 0 else 1))
        for melody in melodies:
            check_constraints(request, melody)
        if i % 5 == 0:
            again = generate(MelodyRequest(**request, variations=len(melodies)))
            assert [m.events for m in again] == [m.events for m in melodies]


def test_different_seeds_and_variations_give_different_melodies():
    a, b = generate(MelodyRequest(style="irish", key="D", meter="6/8", bars=8, seed=1, variations=2))
    (c,) = generate(MelodyRequest(style="irish", key="D", meter="6/8", bars=8, seed=2))
    assert a.events != b.events and a.events != c.events


def test_forms_repeat_earlier_sections_and_vary_the_closing_one():
    (melody,) = generate(MelodyRequest(style="fiddle", key="A", meter="4/4", bars=16, seed=4, form="AABA"))
    section = 4 * melody.meter.bar_ticks

    def part(index, length=section):
        return [(e.onset - index * section, e.symbol, e.duration) for e in melody.events
                if index * section <= e.onset < index * section + length]

    assert part(1) == part(0)
    assert part(3, section // 2) == part(0, section // 2)
    assert part(2) != part(0)
    assert (melody.notes()[-1].pitch - 9) % 12 == 0


def test_regenerating_bars_keeps_every_other_bar():
    (melody,) = generate(MelodyRequest(style="scottish", key="G", meter="3/4", bars=8, seed=5))
    new = regenerate_bars(melody, 3, 5, seed=9)
    bar = melody.meter.bar_ticks
    outside = [e for e in melody.events if not 2 * bar <= e.onset < 5 * bar]
    assert [e for e in new.events if not 2 * bar <= e.onset < 5 * bar] == outside
    assert sum(e.ticks for e in new.events) == melody.total_ticks
    assert [e for e in new.events if 2 * bar <= e.onset < 5 * bar] != [
        e for e in melody.events if 2 * bar <= e.onset < 5 * bar]


def test_melodies_convert_to_pretty_midi_with_metric_dynamics_and_chords():
    (melody,) = generate(MelodyRequest(style="bach", key="F", mode="major", meter="4/4", bars=4, seed=3, harmonize=True,
                         humanize=False))
    midi = melody.to_pretty_midi()
    lead, chords = midi.instruments
    assert len(lead.notes) == len(melody.notes())
    assert len({n.velocity for n in lead.notes}) > 2  # accents follow the metre: not one flat velocity
    downbeats = [n.velocity for n, m in zip(lead.notes, melody.notes(), strict=True) if m.onset % 96 == 0]
    others = [n.velocity for n, m in zip(lead.notes, melody.notes(), strict=True) if m.onset % 24 != 0]
    if downbeats and others:
        assert np.mean(downbeats) > np.mean(others)
    assert all(m.offset_ms == 0.0 for m in melody.notes())
    assert len(melody.chords) == 8 and melody.chords[-1].numeral == "I"
    assert len(chords.notes) >= 8 * 4
    assert midi.time_signature_changes[0].numerator == 4
    assert abs(midi.get_end_time() - melody.seconds(melody.total_ticks)) < 0.5


def test_impossible_or_bad_requests_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="pitch range|constraints"):
        generate(MelodyRequest(style="irish", key="D", bars=4, pitch_range=(63, 68)))  # no D in range, must end on D
    with pytest.raises(ValueError, match="unknown melody style"):
        generate(MelodyRequest(style="polka-from-mars"))
    with pytest.raises(ValueError, match="meter"):
        generate(MelodyRequest(meter="5/3"))
    with pytest.raises(ValueError, match="form"):
        generate(MelodyRequest(bars=6, form="AABA"))


def test_the_self_test_writes_a_melody_with_every_shipped_style():
    line = self_test()
    assert all(style in line for style in SHIPPED_STYLES)


@pytest.mark.parametrize("tempo", [110, 260])
def test_humanized_notes_never_overlap_or_shorten_the_next_one(tempo):
    # Before the fix, 14 of 2,760 humanized irish notes started a few ms before the previous note ended,
    # and a synthesizer then cut that note to 2-9 ms.
    melodies = generate(MelodyRequest(style="irish", key="D", meter="6/8", bars=16, tempo=tempo, seed=1, variations=8,
                        harmonize=True))
    checked = 0
    for melody in melodies:
        midi = melody.to_pretty_midi()
        lead = sorted(midi.instruments[0].notes, key=lambda n: n.start)
        for a, b in itertools.pairwise(lead):
            assert a.end <= b.start, f"a note ends {1000 * (a.end - b.start):.1f} ms after the next one starts"
        for instrument in midi.instruments:
            assert min(n.end - n.start for n in instrument.notes) >= 0.030
        checked += len(lead)
    assert checked > 500
    assert any(n.offset_ms != 0.0 for n in melodies[0].notes())  # humanize is still on


def test_no_leap_is_wider_than_the_styles_training_tunes_make():
    # A 17-semitone leap in bar 1 of an irish tune (#14): the prior gives every pitch pair a little
    # probability, so without the style's widest leap the sampler wrote leaps no tune of it makes.
    for style, meter in (("bach", "4/4"), ("scottish", "4/4"), ("fiddle", "2/4")):
        widest = load_style(style).facts.widest_leap
        assert widest is not None and 12 <= widest <= 24
        for mode in ("major", "minor"):
            for melody in generate(MelodyRequest(style=style, key="G", mode=mode, meter=meter, bars=16, seed=5, variations=40,
                                   temperature=1.2)):
                pitches = [tokens.symbol_to_pitch(e.symbol, melody.tonic, melody.mode) for e in melody.events]
                widest_made = max(abs(b - a) for a, b in itertools.pairwise(pitches)
                                  if a is not None and b is not None)
                assert widest_made <= widest, (style, mode, widest_made, widest)


def test_the_widest_leap_counts_only_leaps_two_tunes_make():
    from models.music.corpus import Tune
    from models.music.style_facts import StyleFacts

    def tune(pitches):
        return Tune("t", "x", 0, "major", tokens.Meter(4, 4), [[24 * i, 24, p] for i, p in enumerate(pitches)])

    facts = StyleFacts.learn([tune([60, 67, 60, 84]), tune([62, 69, 60, -1, 90]), tune([60, 62])])
    assert facts.widest_leap == 7  # 24 once, and 30 only across a rest
    mask = facts.pair_mask("major")
    c4, g4, c5 = (tokens.pitch_to_symbol(p, 0, "major")[0] for p in (60, 67, 72))
    assert mask[c4, g4] and not mask[c4, c5] and mask[tokens.REST, c5] and mask[tokens.NO_PREVIOUS, c5]
    assert StyleFacts.from_json(facts.to_json()) == facts and StyleFacts.from_json(None).widest_leap is None


def test_wide_leaps_are_sampled_at_the_styles_leap_weights():
    # Generated tunes leapt ten semitones or more 1.2-1.5 times as often as the style's tunes (fiddle 2/4 26.7 against
    # 19.6 per 1000, irish 6/8 18.6 against 12.6): each style learns a weight per leap class and metre.
    from models.music.constrained import Tables
    from models.music.style_facts import StyleFacts

    facts = StyleFacts(leap_weights={"6/8": [[10, 0.5], [13, 0.25]], "any": [[10, 0.8], [13, 1.0]]})
    c4, a4, c5, e5 = (tokens.pitch_to_symbol(p, 0, "major")[0] for p in (60, 69, 72, 76))
    jig, reel = facts.pair_weights("major", "6/8"), facts.pair_weights("major", "4/4")
    assert (jig[c4, a4], jig[c4, c5], jig[c5, c4], jig[c4, e5]) == (1.0, 0.5, 0.5, 0.25)
    assert (reel[c4, c5], reel[c4, e5], reel[tokens.REST, e5], reel[tokens.NO_PREVIOUS, e5]) == (0.8, 1.0, 1.0, 1.0)
    assert (StyleFacts().pair_weights("major", "6/8") == 1.0).all()
    assert StyleFacts.from_json(facts.to_json()) == facts
    model = load_style("fiddle")
    weighted = Tables.from_model(model.startprob.numpy(), model.transmat.numpy(), model.pitch.numpy(),
                                 model.duration.numpy(), pairs=model.facts.pair_mask("major"),
                                 pair_weights=model.facts.pair_weights("major", "2/4"))
    assert weighted.log_pair[c4, c5] < 0.0 == weighted.log_pair[c4, a4]
    for style in SHIPPED_STYLES:  # learned for every shipped style, never making a leap likelier
        weights = load_style(style).facts.leap_weights
        assert "any" in weights and all(0.0 < w <= 1.0 for classes in weights.values() for _, w in classes)


def test_a_style_trained_from_a_folder_learns_leap_weights_when_it_has_tunes_enough(tmp_path):
    # A user's style kept the model's own wide leaps, which the shipped styles write 1.2-1.5 times too often.
    import dataclasses

    from models.jobs import run_job
    from models.music.leap_weights import METRE_TUNES, learn_leap_weights
    from models.music.midi_folder import read_midi_folder
    from models.music.training import train_style_job
    from tests.support.midi_files import write_tune_folder

    folder = write_tune_folder(tmp_path / "tunes", count=METRE_TUNES, with_bad_files=False)
    out = tmp_path / "steps.safetensors"
    run_job(train_style_job(folder, "steps", out, n_states=4, restarts=1, n_iter=5))
    weights = load_style(str(out)).facts.leap_weights
    assert set(weights) == {"4/4", "any"}  # all the tunes are in 4/4
    assert all(0.0 <= w <= 1.0 for classes in weights.values() for _, w in classes)
    # No metre with tunes enough of its own (half of them read as 3/4), all of them together: any metre's weights.
    tunes, _ = read_midi_folder(folder)
    mixed = [dataclasses.replace(t, meter=tokens.Meter.parse("3/4")) if i % 2 else t for i, t in enumerate(tunes)]
    assert set(learn_leap_weights(out, mixed)) == {"any"}
    assert learn_leap_weights(out, tunes[:METRE_TUNES - 1]) == {}  # too few to tell: the model's own leaps


def _phrases(melody):
    size = melody.total_ticks // 4
    return [tuple((e.onset - i * size, e.symbol, e.duration) for e in melody.events if i * size <= e.onset < (i + 1) * size)
            for i in range(4)]


def test_a_generated_irish_tune_repeats_its_parts_as_often_as_the_styles_tunes_do():
    facts = load_style("irish").facts
    corpus_share = 1 - dict(facts.forms["16"])["A B C D"]  # share of 16-bar tunes with a repeated phrase: ~0.59
    melodies = generate(MelodyRequest(style="irish", key="D", meter="6/8", bars=16, seed=3, variations=32))
    repeating = 0
    for melody in melodies:
        assert melody.form in dict(facts.forms["16"])
        labels = melody.form.split()
        phrases = _phrases(melody)
        for j, label in enumerate(labels):
            first = labels.index(label.rstrip("'")) if label.rstrip("'") in labels else j
            if first < j:
                changed = label.endswith("'") or j == 3  # the closing phrase is re-sampled to end on the tonic
                kept = [x for x in phrases[j] if not changed or x[0] < melody.total_ticks // 8]
                assert kept and set(kept) <= set(phrases[first]), (melody.form, j)
        repeating += len({label.rstrip("'") for label in labels}) < 4
    assert repeating > 0 and abs(repeating / len(melodies) - corpus_share) < 0.25
    (free,) = generate(MelodyRequest(style="irish", key="D", meter="6/8", bars=16, seed=3, form=""))
    assert free.form == ""


def test_phrases_end_on_the_styles_cadences():
    from models.music.style_facts import degree_of

    facts = load_style("bach").facts
    meter = tokens.Meter(4, 4)
    for melody in generate(MelodyRequest(style="bach", key="G", bars=8, seed=4, variations=8, pitch_range=(60, 79))):
        size = melody.total_ticks // 4
        for j in range(4):
            last = [e for e in melody.events if e.onset < (j + 1) * size][-1]
            allowed, shortest = facts.cadence(j, "major", meter)
            assert allowed[last.symbol] and last.ticks >= shortest, (melody.form, j, degree_of(last.symbol))


@pytest.mark.parametrize("style", SHIPPED_STYLES)
def test_a_tune_closes_on_the_tonic_held_from_a_strong_beat(style):
    """The tonic as the last eighth of the bar stops a tune rather than ends it (24 of 36 Irish tunes ended so):
    the last note starts on the downbeat or the middle of the bar (or, where no such note fits, on a beat, held for
    half the bar or more) and lasts to the bar line; with "End on the tonic" off the ending stays free."""
    for meter, closing in (("4/4", {0, 48}), ("2/2", {0, 48}), ("3/4", {0}), ("6/8", {0, 36}), ("9/8", {36}),
                           ("5/4", {24, 48})):
        assert tokens.Meter.parse(meter).closing_onsets() == closing
        for melody in generate(MelodyRequest(style=style, key="D", mode="minor", meter=meter, bars=8, seed=3,
                                             variations=3)):
            last = melody.events[-1]
            assert last.onset % melody.meter.bar_ticks in closing and last.onset + last.ticks == melody.total_ticks
    (melody,) = generate(MelodyRequest(style=style, key="G", bars=8, seed=3))
    assert any(regenerate_bars(melody, 8, 8, seed=s).events[-1].onset % 96 in (0, 48) for s in range(3))
    # A motif that runs into the last half bar leaves no room for a closing note: the tune still ends on the tonic.
    motif = tuple((62, 1.0) for _ in range(7)) + ((64, 0.5),)
    (short,) = generate(MelodyRequest(style=style, key="D", bars=2, seed=1, motif=motif))
    assert (short.notes()[-1].pitch - 2) % 12 == 0


def test_a_tune_opens_on_a_degree_the_styles_first_downbeats_have():
    # The Compose demo (Irish, D major, 4/4, AABA, range A3-D6, seed 1) opened on C#5, the leading tone, on the
    # first downbeat under I: the start distribution learned the tunes' first notes, mostly upbeats, and a generated
    # tune has none. 91-96% of the folk styles' tunes have the tonic triad on their first downbeat.
    (demo, *_) = generate(MelodyRequest(style="irish", key="D", meter="4/4", bars=8, seed=1, variations=4,
                                        form="AABA", pitch_range=(57, 86), harmonize=True))
    assert demo.notes()[0].pitch % 12 in (2, 6, 9)  # D, F#, A
    for style in SHIPPED_STYLES:
        opening = load_style(style).facts.opening()
        assert opening is not None and (opening > 0).sum() < tokens.N_PITCH_SYMBOLS // 2
        for mode, meter in (("major", "4/4"), ("minor", "6/8")):
            for melody in generate(MelodyRequest(style=style, key="G", mode=mode, meter=meter, bars=8, seed=2,
                                                 variations=6)):
                assert melody.events[0].onset == 0 and opening[melody.events[0].symbol] > 0, (style, mode)


def test_regenerating_from_bar_1_opens_on_the_styles_opening_degrees():
    # Regenerate bars 1-1 sampled the first note from the HMM's start distribution (mostly upbeats' notes): 31 of 320
    # regenerated openings were off the style's openings (irish 12 of 80), a tune starting on the leading tone.
    for style in ("irish", "scottish"):
        opening = load_style(style).facts.opening()
        assert opening is not None
        (melody,) = generate(MelodyRequest(style=style, key="D", bars=8, seed=1))
        for seed in range(12):
            regenerated = regenerate_bars(melody, 1, 1, seed=seed)
            assert regenerated.events[0].onset == 0 and opening[regenerated.events[0].symbol] > 0, (style, seed)


def test_a_longer_note_length_writes_fewer_notes_on_the_beats_not_syncopations():
    # "compose a sad Irish tune" gave a reel at 88 bpm: 1.7 notes a quarter, mostly eighths. note_length 4 (what a
    # sad request sets) keeps the style but tilts the notes on the beats from eighths to quarters and longer.
    request = MelodyRequest(style="irish", key="D", mode="minor", bars=16, seed=3, variations=4, pitch_range=(57, 86))
    plain, sad = generate(request), generate(request.replace(note_length=4.0))

    def notes(melodies):
        return sum(len(melody.notes()) for melody in melodies)

    assert notes(sad) < 0.85 * notes(plain)
    assert all(note.duration <= 24 for melody in sad for note in melody.notes() if note.onset % 24)
    for bad in (-1.0, 9.0, float("nan")):
        with pytest.raises(ValueError, match="note_length"):
            generate(request.replace(note_length=bad))


def test_a_longer_note_length_lengthens_a_jig_too():
    # The tilt on the beats alone took a jig's notes down 11% at note_length 4 (a reel's 20%): its eighths between
    # the beats stayed. The quarter from the eighth after a beat and the dotted quarter on a beat lean longer too.
    request = MelodyRequest(style="irish", key="D", mode="major", meter="6/8", bars=16, seed=3, variations=4,
                            pitch_range=(57, 86))
    plain, sad = generate(request), generate(request.replace(note_length=4.0))

    def notes(melodies):
        return sum(len(melody.notes()) for melody in melodies)

    assert notes(sad) < 0.85 * notes(plain)
    assert all(note.duration <= 24 for melody in sad for note in melody.notes() if note.onset % 36)


def test_the_openings_are_the_first_downbeats_of_nine_tunes_in_ten():
    from models.music.corpus import Tune
    from models.music.style_facts import StyleFacts

    def tune(pitches, upbeat=None):
        notes = [[24 * i, 24, p] for i, p in enumerate(pitches)]
        return Tune("t", "x", 0, "major", tokens.Meter(4, 4), ([upbeat] if upbeat else []) + notes)

    tunes = [tune([60, 62], upbeat=[-24, 24, 67])] * 6 + [tune([64])] * 3 + [tune([65])]
    held_over = tune([], upbeat=[-12, 36, 71])  # its upbeat sounds on the downbeat: no first downbeat note
    facts = StyleFacts.learn([*tunes, held_over])
    assert facts.openings == [[0, 0, 0.6], [2, 0, 0.3]]  # C (6 of 10 tunes), E (3): the upbeat G, the one F left out
    assert StyleFacts.from_json(facts.to_json()) == facts and StyleFacts.from_json(None).opening() is None
    # A range holding none of them still gives a melody (the opening is dropped, as a cadence is).
    (melody,) = generate(MelodyRequest(style="irish", key="D", bars=1, seed=1, pitch_range=(64, 64),
                                       end_on_tonic=False))
    assert {n.pitch for n in melody.notes()} == {64}


def test_a_section_leads_into_the_repeat_that_follows_it():
    # A repeat was copied after the section before it had been written without knowing it: fiddle 2/4 tunes leapt
    # into their repeats (an octave or more: 4 of these 38 joins, up to 15 semitones; 21 leaps of 10 or more in 60
    # tunes of seeds 1-20). The section before a repeat is now sampled leading into the notes it copies.
    joins = []
    for melody in generate(MelodyRequest(style="fiddle", key="D", meter="2/4", bars=8, seed=1, variations=30)):
        labels = [label.rstrip("'") for label in melody.form.split()]
        size = melody.total_ticks // len(labels) if labels else melody.total_ticks
        notes = melody.notes()
        for before, after in itertools.pairwise(notes):
            section = after.onset // size
            if after.onset % size == 0 and labels and labels[section] in labels[:section]:
                joins.append(abs(after.pitch - before.pitch))
    assert len(joins) > 20 and max(joins) < 10, sorted(joins)
