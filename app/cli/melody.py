"""`atelier compose`, `atelier eval-melody` and `atelier train-melody`: the melody engine from the command line."""

from __future__ import annotations

import argparse
import errno
import json
import re
import sys
from pathlib import Path

FORMS_HELP = ("phrase form: 'style' (the default: forms and cadences learned from the style's tunes), 'free' (none), "
              "or e.g. AABA or \"A A' B A'\" (a prime varies a repeat; sections divide the bars evenly)")


def register(subparsers: argparse._SubParsersAction) -> None:
    compose = subparsers.add_parser("compose", help="write melodies in a style and save them as MIDI")
    compose.add_argument("--style", default="irish", help="bach, irish, fiddle, scottish, or a style you trained")
    compose.add_argument("--key", default="C", help="tonic, e.g. D, F#, Bb")
    compose.add_argument("--mode", default="major", help="major, minor, dorian, mixolydian, ...")
    compose.add_argument("--meter", default="4/4")
    compose.add_argument("--bars", type=int, default=8)
    compose.add_argument("--tempo", type=float, help="quarter notes per minute (default: the style's)")
    compose.add_argument("--temperature", type=float, default=1.0)
    compose.add_argument("--seed", type=int, default=0)
    compose.add_argument("--variations", type=int, default=1)
    compose.add_argument("--form", default="style", help=FORMS_HELP)
    compose.add_argument("--range", dest="pitch_range", help="lowest-highest MIDI pitch, e.g. 60-84")
    compose.add_argument("--no-tonic-ending", action="store_true", help="do not force the last note to the tonic")
    compose.add_argument("--no-humanize", action="store_true", help="no velocity jitter or timing offsets")
    compose.add_argument("--harmonize", action="store_true", help="add a chord track (Bach-chorale chord HMM)")
    compose.add_argument("--continue", dest="motif", type=Path, metavar="MOTIF.mid", help="continue this motif")
    compose.add_argument("-o", "--output", type=Path, default=Path("melody.mid"),
                         help="MIDI file; with several variations, NAME-1.mid, NAME-2.mid, ...")
    compose.set_defaults(handler=run_compose)

    evaluate = subparsers.add_parser("eval-melody", help="bits per note of a style on held-out melodies (JSON)")
    evaluate.add_argument("--style", required=True)
    evaluate.add_argument("--midi", type=Path, metavar="DIR", help="score these MIDI files instead of the test split")
    evaluate.add_argument("--split", default="test", choices=("test", "valid", "train"))
    evaluate.add_argument("--no-baselines", action="store_true", help="skip the Markov-chain baselines")
    evaluate.add_argument("--cross-validate", type=int, metavar="K",
                          help="train and score the model design by K-fold cross-validation on the style's corpus "
                               "(with Markov and PPM-C baselines on the same folds; minutes per fold)")
    evaluate.add_argument("--pitch-only", action="store_true",
                          help="score the pitch of each note given everything before it (rhythm as context)")
    evaluate.add_argument("--chorales", default="all", choices=("all", "bwv253-438"),
                          help="with --style bach --cross-validate: all 371 chorales, or one per BWV 253-438")
    evaluate.add_argument("--states", type=int, default=32, help="HMM states for --cross-validate")
    evaluate.set_defaults(handler=run_eval)

    train = subparsers.add_parser("train-melody", help="train a melody style from a folder of MIDI files")
    train.add_argument("folder", type=Path)
    train.add_argument("--name", required=True, help="the style's name (letters, digits, - and _)")
    train.add_argument("--track", help="use the track with this name as the melody (default: the top line)")
    train.add_argument("--states", type=int, default=32)
    train.add_argument("--restarts", type=int, default=2)
    train.add_argument("--iterations", type=int, default=150)
    train.add_argument("-o", "--output", type=Path, help="checkpoint path (default: the data folder's models/melody)")
    train.set_defaults(handler=run_train)


def _style_dirs() -> tuple[Path, ...]:
    from app.paths import melody_styles_dir

    return (melody_styles_dir(),)


def _pitch_range(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", text)
    if not match or int(match.group(1)) >= int(match.group(2)):
        raise ValueError(f"--range {text!r}: write two MIDI pitches, lowest first, e.g. 60-84")
    return int(match.group(1)), int(match.group(2))


def run_compose(args: argparse.Namespace) -> int:
    from app.errors import not_written
    from models.files import atomic_write_with
    from models.jobs import JobError
    from models.music.generate import generate
    from models.music.midi_folder import motif_from_midi
    from models.music.request import MelodyRequest

    try:
        # The options are named after the request's fields; the few that say it the other way round are turned.
        request = MelodyRequest.from_json({
            **vars(args),
            "pitch_range": _pitch_range(args.pitch_range),
            "motif": motif_from_midi(args.motif) if args.motif else (),
            "end_on_tonic": not args.no_tonic_ending,
            "humanize": not args.no_humanize,
            "form": "" if args.form.lower() in ("free", "none", "") else args.form,
        })
        melodies = generate(request, _style_dirs())
    except (ValueError, JobError) as error:  # a refused checkpoint is a JobError
        print(f"atelier compose: {error}", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"atelier compose: {error.filename or error} does not exist: choose a MIDI file", file=sys.stderr)
        return 2
    output: Path = args.output
    if output.is_dir():
        print(f"atelier compose: {output} is a folder: give -o a file name, e.g. {output / 'melody.mid'}",
              file=sys.stderr)
        return 2
    for index, melody in enumerate(melodies):
        path = output if len(melodies) == 1 else output.with_name(f"{output.stem}-{index + 1}{output.suffix or '.mid'}")
        try:  # whole files only: a full disk leaves the file that was there, or none
            atomic_write_with(path, melody.to_pretty_midi().write)
        except OSError as error:
            written = f" {index} of {len(melodies)} variations were written before it." if index else ""
            print(f"atelier compose: {not_written(path, error)}{written}", file=sys.stderr)
            return 1
        chords = f", chords {' '.join(c.numeral for c in melody.chords)}" if melody.chords else ""
        form = f", form {melody.form}" if melody.form else ""
        print(f"wrote {path}: {melody.bars} bars of {melody.meter} in {args.key} {args.mode}{form}, "
              f"{len(melody.notes())} notes, seed {args.seed} variation {index + 1}{chords}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    from models.jobs import JobError
    from models.music.evaluation import evaluate_style

    if args.cross_validate is not None:
        return run_cross_validation(args)
    if args.pitch_only:
        print("atelier eval-melody: --pitch-only goes with --cross-validate K", file=sys.stderr)
        return 2
    try:
        report = evaluate_style(args.style, args.midi, args.split, _style_dirs(), baselines=not args.no_baselines)
    except (ValueError, FileNotFoundError, JobError) as error:
        print(f"atelier eval-melody: {error}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2))
    return 0


def run_cross_validation(args: argparse.Namespace) -> int:
    from models.jobs import JobError, Progress, run_job
    from models.music.corpus import STYLE_COLLECTIONS, load_corpus
    from models.music.crossval import PUBLISHED, Settings, chorale_set, cross_validate_job

    if not args.pitch_only:
        print("atelier eval-melody: --cross-validate scores pitch prediction only: add --pitch-only", file=sys.stderr)
        return 2
    if args.style not in STYLE_COLLECTIONS:
        print(f"atelier eval-melody: --cross-validate needs a style with a corpus: {', '.join(STYLE_COLLECTIONS)}",
              file=sys.stderr)
        return 2
    if not 2 <= args.cross_validate <= 20:
        print("atelier eval-melody: --cross-validate takes 2 to 20 folds", file=sys.stderr)
        return 2
    try:
        corpus, _ = load_corpus()
        tunes = chorale_set(corpus, args.chorales) if args.style == "bach" else [
            t for t in corpus if t.collection in STYLE_COLLECTIONS[args.style]]
        report = run_job(cross_validate_job(tunes, args.cross_validate, Settings(states=args.states)),
                         lambda event: print(event.message, file=sys.stderr, flush=True)
                         if isinstance(event, Progress) else None)
    except (ValueError, FileNotFoundError, JobError) as error:
        print(f"atelier eval-melody: {error}", file=sys.stderr)
        return 2
    report = {"style": args.style, **({"chorales": args.chorales} if args.style == "bach" else {}), **report}
    if args.style == "bach":
        report["published"] = PUBLISHED
    print(json.dumps(report, indent=2))
    return 0


def run_train(args: argparse.Namespace) -> int:
    from app.errors import cannot_write_to, disk_full_sentence, user_message
    from models.jobs import JobError, Progress, run_job
    from models.music.model import MAX_STATES
    from models.music.training import train_style_job

    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", args.name):
        print("atelier train-melody: --name may use letters, digits, - and _ only", file=sys.stderr)
        return 2
    for option, value, low, high in (("--states", args.states, 2, MAX_STATES), ("--restarts", args.restarts, 1, 20),
                                     ("--iterations", args.iterations, 1, 10_000)):
        if not low <= value <= high:
            print(f"atelier train-melody: {option} must be from {low} to {high:,}", file=sys.stderr)
            return 2
    out = args.output or _style_dirs()[0] / f"{args.name}.safetensors"
    problem = cannot_write_to(out.parent, "the style cannot be saved there")
    if problem:
        print(f"atelier train-melody: {problem}", file=sys.stderr)
        return 2

    def show(event) -> None:
        if isinstance(event, Progress):
            fraction = event.fraction or 0.0
            bar = "#" * int(30 * fraction)
            print(f"\r[{bar:<30}] {100 * fraction:5.1f}% {event.message[:70]:<70}", end="", file=sys.stderr, flush=True)

    try:
        summary = run_job(train_style_job(args.folder, args.name, out, track=args.track, n_states=args.states,
                                          restarts=args.restarts, n_iter=args.iterations), show)
    except JobError as error:
        print(f"\natelier train-melody: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        kept = f"the style was not saved ({out} is as it was)"
        message = disk_full_sentence(kept) if error.errno == errno.ENOSPC else f"{user_message(error)} ({kept})"
        print(f"\natelier train-melody: {message}", file=sys.stderr)
        return 1
    print(file=sys.stderr)
    for f in summary["files"]:
        print(f"{'used' if f['used'] else 'skipped'}: {f['file']}: {f['reason']}")
    print(f"trained style {args.name!r} on {summary['melodies']} melodies ({summary['states']} states, "
          f"{summary['valid_bits_per_note']} bits per note on held-out melodies): {summary['path']}")
    return 0
