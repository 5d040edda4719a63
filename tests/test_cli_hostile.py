"""No command crashes on a bad input: each case below runs the CLI in this process and expects a sentence
on standard error (never a traceback, never the last net's "something unexpected"), the exit code it
names, and no output file where the command failed. Only fast cases: the slow search is bench/fuzz_cli.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli import main
from tests.support import hostile_inputs as bad


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    made = {
        "png": bad.good_png(folder),
        "deep": bad.png_16_bit_rgb(folder),
        "gif": bad.animated_gif(folder),
        "text_png": bad.text_as(folder, "text.png"),
        "text_mid": bad.text_as(folder, "text.mid"),
        "empty_png": bad.empty(folder, "empty.png"),
        "dir": folder / "a-folder",
        "missing": folder / "missing.png",
        "plain_png": bad.recipe_png(folder, "", "plain.png"),
        "recipe-junk": bad.recipe_png(folder, "{not json", "junk.png"),
        "recipe-list": bad.recipe_png(folder, [1, 2], "list.png"),
        "recipe-params": bad.recipe_png(folder, {"engine": "paint", "style": "munch", "params": [1]}, "params.png"),
        "recipe-size": bad.recipe_png(
            folder,
            {
                "engine": "paint",
                "style": "munch",
                "from_scratch": True,
                "params": {"size": [0, 0], "strength": 1, "palette": 0.5, "seed": 0},
            },
            "size.png",
        ),
        "recipe-seed": bad.recipe_png(
            folder,
            {
                "engine": "paint",
                "style": "munch",
                "from_scratch": True,
                "params": {"size": [64, 64], "strength": "x", "palette": 0.5, "seed": -1},
            },
            "seed.png",
        ),
        "recipe-strength": bad.recipe_png(
            folder,
            {"engine": "paint", "version": 2, "style": "munch", "from_scratch": True, "strength": 5, "size": [64, 64]},
            "strength.png",
        ),
        "recipe-no-input": bad.recipe_png(
            folder,
            {"engine": "paint", "style": "munch", "params": {"size": None, "strength": 1, "palette": 0.5, "seed": 0}},
            "noinput.png",
        ),
    }
    made["dir"].mkdir()
    made["meter-0"] = bad.midi_folder_with_huge_beat(folder / "meter-0")
    made["truncated_png"] = bad.truncated(made["png"], folder)
    for name, path in bad.melody_checkpoints(folder).items():
        made[f"melody-{name}"] = path
    for name, path in bad.paint_checkpoints(folder).items():
        made[f"style-{name}"] = path
    return made


BAD_MELODY_STYLES = [
    "states-text", "states-huge", "states-missing", "prior-text", "pitches-number", "hyper-list", "facts-list",
    "facts-leap-text",
    "version-9", "kind-style", "transmat-shape", "transmat-nan", "truncated", "no-description",
    "description-garbage", "pickle", "empty",
]  # fmt: skip
BAD_STYLES = ["width-40000", "blocks-huge", "work-size-huge", "palette-nan", "pickle"]

# (arguments with {name} standing for a made file, exit code, words the sentence must hold)
CASES = [
    ("paint --style munch --from-scratch --size 0x0", 2, "8 to 16,384 pixels"),
    ("paint --style munch --from-scratch --size 20000x20000", 2, "16,384"),
    ("paint --style munch --from-scratch --size 16384x8", 0, "(16384x8,"),  # found by fuzzing
    ("paint --style munch --from-scratch --size 4000x9", 0, "(4000x9,"),
    ("paint --style munch --replay {text_png}", 2, "not an image"),
    ("paint --style munch --replay {dir}", 2, "is a folder"),
    ("paint --style munch --replay {missing}", 2, "does not exist"),
    ("paint --replay {plain_png}", 2, "no Atelier recipe"),
    ("paint --replay {recipe-junk}", 2, "damaged"),
    ("paint --replay {recipe-list}", 2, "not a painting recipe"),
    ("paint --replay {recipe-params}", 2, "names no input"),
    ("paint --replay {recipe-strength}", 2, "strength must be a number from 0 to 1"),
    ("paint --replay {recipe-size}", 2, "16,384"),
    ("paint --replay {recipe-seed}", 2, "damaged"),
    ("paint --replay {recipe-no-input}", 2, "names no input"),
    ("paint --style munch --input {text_png}", 2, "not an image file"),
    ("paint --style munch --input {dir}", 2, "a folder, not an image"),
    ("paint --style munch --input {empty_png}", 2, "empty"),
    ("paint --style munch --input {truncated_png}", 2, "truncated"),
    ("paint --style munch --input {missing}", 2, "does not exist"),
    ("paint --style munch --input {png} --strength nan", 2, "strength must be a number from 0 to 1"),
    ("paint --style munch --input {png} --palette 7", 2, "palette must be a number from 0 to 1"),
    ("paint --style munch --from-scratch --seed -1", 2, "seed must be a whole number"),
    ("paint --style munch --from-scratch --seed 99999999999999999999999", 2, "seed must be a whole number"),
    ("paint --style munch --from-scratch --size 64x64 -o {dir}", 2, "is a folder"),
    ("paint --style nobody --from-scratch", 2, "no style called"),
    ("paint --style {text_png} --from-scratch", 2, "no style called"),
    ("paint --style {style-kind-true} --from-scratch --size 64x64", 2, "does not say what it holds"),
    ("train-style {png} --name x", 2, "is a file, not a folder"),
    ("train-style {missing} --name x", 2, "does not exist"),
    ("train-style {dir} --name x --minutes -1", 2, "more than 0 minutes"),
    ("train-style {dir} --name x --minutes nan", 2, "more than 0 minutes"),
    ("train-style {dir} --name ../x", 2, "letters, digits"),
    ("compose --tempo -60", 2, "tempo must be between 30 and 260"),
    ("compose --tempo nan", 2, "tempo must be between"),
    ("compose --tempo 1e308", 2, "tempo must be between"),
    ("compose --bars 0", 2, "bars must be between"),
    ("compose --seed -5", 2, "seed must be 0 or more"),
    ("compose --temperature inf", 2, "temperature"),
    ("compose --key H", 2, "H"),
    ("compose --meter 0/0", 2, "0/0"),
    ("compose --range 90-10", 2, "lowest first"),
    ("compose --continue {text_mid}", 2, "MIDI"),
    ("compose --continue {dir}", 2, "folder"),
    ("compose --continue {missing}", 2, "does not exist"),
    ("compose --style nobody", 2, "unknown melody style"),
    ("eval-melody --style irish --midi {png}", 2, "folder"),
    ("eval-melody --style irish --midi {missing}", 2, "does not exist"),
    ("train-melody {missing} --name x", 2, "does not exist"),
    ("train-melody {meter-0} --name x --iterations 2 --restarts 1 -o {meter-0}/x.safetensors", 0, "2 melodies"),
    ("train-melody {png} --name x", 2, "folder"),
    ("chat hi --no-save --max-tokens 0", 2, "max length"),
    ("chat hi --no-save --temperature -1", 2, "temperature"),
    ("chat hi --no-save --temperature nan", 2, "temperature"),
    ("chat hi --no-save --seed -1", 2, "seed"),
    ("train-melody {dir} --name x --restarts 1000000000", 2, "restarts must be from 1 to 20"),
    ("chat hi --no-save --top-p 5", 2, "top"),
    ("chat hi --no-save --server ftp://x", 2, "not a server address"),
]
CASES += [(f"compose --style {{melody-{name}}}", 2, "") for name in BAD_MELODY_STYLES]
CASES += [(f"eval-melody --style {{melody-{name}}} --no-baselines", 2, "") for name in BAD_MELODY_STYLES[:4]]
CASES += [(f"paint --style {{style-{name}}} --from-scratch --size 64x64", 2, "") for name in BAD_STYLES]


@pytest.mark.parametrize("arguments, code, words", CASES, ids=[case[0] for case in CASES])
def test_a_bad_input_gets_a_sentence_not_a_traceback(files, tmp_path, monkeypatch, capsys, arguments, code, words):
    monkeypatch.chdir(tmp_path)  # default outputs (painting.png, melody.mid) land here, and must not appear
    argv = [part.format(**files) for part in arguments.split()]
    returned = main(argv)
    said = capsys.readouterr()
    err = said.err
    assert returned == code, err
    assert words.lower() in (said.out + err).lower() and "Traceback" not in err and "unexpected" not in err, err
    assert len(err.strip()) > 20 or code == 0  # a refusal is a sentence
    if code != 0:
        assert not list(tmp_path.iterdir())  # nothing half-written
    assert not (files["png"].parent / "PICKLE-WAS-LOADED").exists()


@pytest.mark.parametrize("picture, note", [("gif", "first frame (of 3)"), ("deep", "16 to 8 bits")])
def test_a_conversion_is_said(files, tmp_path, capsys, picture, note):
    out = tmp_path / "out.png"
    assert main(["paint", "--style", "munch", "--input", str(files[picture]), "-o", str(out)]) == 0
    assert note in capsys.readouterr().err and out.exists()


def test_the_last_net_turns_an_unforeseen_error_into_a_sentence(monkeypatch, capsys):
    from app.cli import info

    def broken(args):
        raise RuntimeError("an engine bug")

    monkeypatch.setattr(info, "run", broken)
    assert main(["info"]) == 1
    err = capsys.readouterr().err
    assert "something unexpected went wrong (an engine bug)" in err and "Traceback" not in err


def test_a_file_atelier_may_not_read_is_said_so(files, tmp_path, monkeypatch, capsys):
    # As root every file is readable, so the refusal is made to happen where Pillow opens the file.
    import PIL.Image

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(PIL.Image, "open", refuse)
    assert main(["paint", "--style", "munch", "--input", str(files["png"]), "-o", str(tmp_path / "o.png")]) == 2
    err = capsys.readouterr().err
    assert "may not read this file (permission denied)" in err and "damaged" not in err


def test_training_that_fills_the_disk_says_what_was_kept(files, tmp_path, monkeypatch, capsys):
    import errno

    from models.paint import training

    def full(*args, **kwargs):
        yield from ()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(training, "train_style_from_folder", full)
    assert main(["train-style", str(files["dir"]), "--name", "mine", "--minutes", "1"]) == 2
    err = capsys.readouterr().err
    assert "disk is full" in err and "the last checkpoint saved" in err and "continues from it" in err


def test_words_that_are_not_utf8_are_written_back_as_they_came(tmp_path, monkeypatch):
    # A file name or a subject typed in another encoding reaches Python as lone surrogates ('\udcff'); a
    # desktop's UTF-8 locale writes standard output strictly, and printing them ended the command.
    import io
    import sys

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    monkeypatch.setattr(sys, "stdout", out)
    painting = tmp_path / "caf\udce9.png"
    argv = ["paint", "--style", "munch", "--from-scratch", "--subject", "a \udcff harbour", "--size", "32x24"]
    assert main([*argv, "-o", str(painting)]) == 0
    out.flush()
    written = out.buffer.getvalue()
    assert b"a \xff harbour" in written and b"caf\xe9.png" in written and painting.exists()


@pytest.mark.parametrize(
    "message, said",
    [
        ("write a poem about " + "the sea and " * 500, "topic is too long"),
        ("write a haiku about " + "x" * 5000, "topic is too long"),
        ("riff on '" + "the long road home " * 300 + "'", "line is too long"),
        ("paint a harbour with " + "boats and " * 100, "at most 500 characters"),
    ],
    ids=["poem", "haiku", "riff", "painting"],
)
def test_a_creative_request_about_pages_of_words_is_refused_at_once(monkeypatch, capsys, tmp_path, message, said):
    # Found by fuzzing: a poem about a 5,220-character topic read the whole topic as the verse model's prompt
    # for every line and ran past five minutes; a painting subject over the recipe's bound was a bug report.
    from models.assistant import writing

    def no_writing(*args, **kwargs):
        raise AssertionError("the writer was asked to write about pages of words")

    for name in ("write_lines", "riff", "lines_about"):
        monkeypatch.setattr(writing, name, no_writing)
    monkeypatch.chdir(tmp_path)
    assert main(["chat", message, "--no-save", "--seed", "1"]) == 1
    err = capsys.readouterr().err
    assert said in err and "unexpected" not in err and "Traceback" not in err, err
    assert not list(tmp_path.iterdir())


def test_a_chat_message_with_bytes_of_another_encoding_is_answered_and_saved(capsys, data_dir):
    # Found by fuzzing: a lone surrogate (a byte that is not UTF-8, as the command line passes it on) reached
    # the tokenizer, which encodes strictly: "something unexpected went wrong ('utf-8' codec can't encode...)".
    from app.paths import history_database_path
    from app.store import Store

    assert main(["chat", "hello caf\udce9", "--max-tokens", "4", "--seed", "1"]) == 0
    err = capsys.readouterr().err
    assert "unexpected" not in err and "Traceback" not in err, err
    store = Store(history_database_path())
    (conversation, *_), *_ = store.conversations()
    assert store.messages(conversation)[0].content == "hello caf\ufffd"  # the byte that was not a letter, marked
    store.close()
