"""What the scene composer reads in a subject, and what it says it will leave out."""

import pytest

from models.assistant.requests import parse_request
from models.paint.scene.words import GENERIC_SUBJECTS, PAINTER_SUBJECTS, left_out, read_subject, unpainted_words


@pytest.mark.parametrize(
    "subject, unpainted",
    [
        ("a castle on a hill with a dragon", ["castle", "dragon"]),
        ("a lighthouse on a cliff at sunset", []),
        ("a cat sleeping on a chair", ["cat", "chair"]),
        ("my dog in the park", ["dog"]),
        ("sunflowers in a vase", ["sunflowers", "vase"]),
        ("a village street in the rain", []),
        ("a red barn in autumn", []),
        ("Mount Fuji at dawn", []),
        ("a beautiful quiet landscape", []),
        ("dramatic sky over the water", []),
        ("Venice at sunset", ["Venice"]),
    ],
)
def test_unpainted_words_are_the_things_named_that_the_composer_cannot_draw(subject, unpainted):
    assert unpainted_words(subject) == unpainted


def test_every_subject_the_app_suggests_is_drawn_whole():
    for subject in [*GENERIC_SUBJECTS, *(s for subjects in PAINTER_SUBJECTS.values() for s in subjects)]:
        assert unpainted_words(subject) == [], subject
        assert left_out(subject) == ""


def test_rain_and_a_named_mount_are_read():
    assert "mist" in read_subject("a village in the rain").moods
    assert "mountains" in read_subject("Mount Fuji").elements


def test_one_word_with_snow_in_it_is_winter():
    """'a snowfield' was read as nothing (no mood, no element) and painted as a green summer field with trees."""
    field = read_subject("a snowfield")
    assert field.moods == ["winter"] and "fields" in field.elements
    assert {"storm", "winter"} <= set(read_subject("a snowstorm at sea").moods)
    assert "winter" in read_subject("a frozen lake").moods
    assert unpainted_words("a snowfield") == []


def test_the_chat_says_what_a_painting_will_leave_out_before_it_is_painted():
    nothing_drawn = parse_request("paint a cat sleeping on a chair").understood
    assert "can't draw “cat” or “chair”" in nothing_drawn and "landscape instead" in nothing_drawn
    part_drawn = parse_request("paint a castle on a hill at sunset like Turner").understood
    assert "can't draw “castle” yet, so the picture leaves it out" in part_drawn
    assert "can't draw" not in parse_request("paint a stormy harbour like Turner").understood
