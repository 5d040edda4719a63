"""`atelier paint` and `atelier train-style`: the style engine from the command line."""

from __future__ import annotations

import argparse
import errno
import re
import sys
from pathlib import Path

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def register(subparsers: argparse._SubParsersAction) -> None:
    paint = subparsers.add_parser("paint", help="paint a sketch or a photo in an artist's style, or from scratch")
    paint.add_argument("--style", help="van-gogh, hokusai, munch, turner, a style you trained, or a .safetensors path")
    paint.add_argument("--input", type=Path, help="your sketch or photo (PNG, JPEG, ...); with --replay, where the "
                       "recipe's input is now")
    source = paint.add_mutually_exclusive_group()
    source.add_argument("--from-scratch", action="store_true",
                        help="paint a new scene: of --subject, or of something the painter painted")
    source.add_argument("--replay", type=Path, metavar="PNG", help="make a painting again from the recipe in its PNG")
    paint.add_argument("--subject", help='with --from-scratch: what to paint, in words, e.g. "a stormy harbour", '
                       '"a quiet village at dusk" (default: a subject the painter painted, chosen by the seed)')
    paint.add_argument("--save-sketch", type=Path, metavar="PNG",
                       help="with --from-scratch: also write the scene's sketch (rough colour shapes to paint over)")
    paint.add_argument("-o", "--output", type=Path, help="PNG to write (default: painting.png)")
    paint.add_argument(
        "--size", help="WIDTHxHEIGHT of the output, e.g. 1024x768, 8 to 16,384 pixels a side (default: the input's size)"
    )
    paint.add_argument("--strength", type=float, default=1.0, help="style strength, 0 (the input) to 1 (fully painted)")
    paint.add_argument("--palette", type=float, default=0.5, help="0 keeps your colours, 1 takes the painter's")
    paint.add_argument("--seed", type=int, default=0, help="brushwork (and composition) seed")
    paint.add_argument("--look", choices=("strokes", "texture"), default="strokes",
                       help="strokes: painted stroke by stroke (default); texture: the painter's texture laid over "
                       "the picture by the trained network")
    paint.add_argument("--brush-scale", type=float, default=1.0,
                       help="strokes: brush size, 0.25 to 4 times the painter's own (default 1)")
    paint.add_argument("--detail", type=float, default=0.5,
                       help="strokes: 0 simplifies the picture into broad areas, 1 keeps fine detail (default 0.5)")
    paint.add_argument("--outline", type=float, default=1.0,
                       help="strokes: contours, 0 (none) to 2 times the painter's own (default 1)")
    paint.add_argument("--best", action="store_true",
                       help="best quality: optimise the painting toward the painter's own (strokes: each stroke's "
                       "colour, place and width; texture: the pixels, minutes on a CPU)")
    paint.set_defaults(handler=run_paint)

    train = subparsers.add_parser("train-style", help="train a painting style from a folder of 1 to 500 images")
    train.add_argument("folder", type=Path)
    train.add_argument("--name", required=True, help="the style's name (letters, digits, - and _)")
    train.add_argument("--minutes", type=float, default=20.0, help="training time budget (resumes where it stopped)")
    train.add_argument("-o", "--output", type=Path,
                       help="checkpoint path (default: the data folder's models/styles, where the app finds it)")
    train.set_defaults(handler=run_train)


def _parse_size(text: str | None) -> tuple[int, int] | None:
    from models.paint.sizes import check_output_size

    if not text:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise ValueError(f"--size {text!r} is not WIDTHxHEIGHT, e.g. 1024x768")
    return check_output_size((int(match.group(1)), int(match.group(2))))  # before anything is allocated


def _fail(message: str) -> int:
    print(f"atelier: {message}", file=sys.stderr)
    return 2


def run_paint(args: argparse.Namespace) -> int:
    from app.errors import not_written
    from app.paths import paint_styles_dir
    from models.checkpoint import CheckpointError
    from models.device import pick_device
    from models.jobs import JobError, run_job
    from models.paint.images import ImageRejected, load_image
    from models.paint.painting import DEFAULT_SCRATCH_SIZE, paint_job
    from models.paint.recipe import PaintRecipe, file_sha256, read_recipe, save_png_with_recipe
    from models.paint.scratch import subject_for
    from models.paint.style import find_style, load_style

    try:
        if args.replay:
            recipe = read_recipe(args.replay)
            # --style and --input may say where the style and the picture live now.
            style_name = args.style or _existing(recipe.style_path) or recipe.style
            input_path = args.input or (Path(recipe.input_path) if recipe.input_path else None)
            output = args.output or args.replay.with_name(args.replay.stem + "-replay.png")
        else:
            if not args.style:
                return _fail("say which style to paint in with --style (e.g. --style van-gogh)")
            if not args.input and not args.from_scratch:
                return _fail("give --input PICTURE, or --from-scratch, or --replay PNG")
            if args.from_scratch and (args.best or args.input):
                return _fail("--best and --input paint an input picture; they do not go with --from-scratch")
            if not args.from_scratch and (args.subject or args.save_sketch):
                return _fail("--subject and --save-sketch describe a painting from scratch: add --from-scratch")
            size = _parse_size(args.size) or (DEFAULT_SCRATCH_SIZE if args.from_scratch else None)
            recipe = PaintRecipe(style=args.style, seed=args.seed, strength=args.strength, palette=args.palette,
                                 size=size, quality="best" if args.best else "fast", from_scratch=args.from_scratch,
                                 subject=args.subject or "", look=args.look, brush_scale=args.brush_scale,
                                 detail=args.detail, outline=args.outline)
            recipe.render_params().checked()  # a control out of its range is a sentence before any loading
            style_name, input_path = args.style, args.input
            output = args.output or Path("painting.png")
        if output.is_dir():
            return _fail(f"{output} is a folder: give -o a file name, e.g. {output / 'painting.png'}")
        device = pick_device()
        if device.notice:
            print(device.notice, file=sys.stderr)
        style_path = find_style(style_name, [paint_styles_dir()])
        style = load_style(style_path, device.device)
        if args.replay and recipe.checkpoint_hash not in ("", style.checkpoint_hash):
            print(f"note: the style {style_name!r} has changed since this painting was made", file=sys.stderr)
        recipe = recipe.replace(style=style.name, checkpoint_hash=style.checkpoint_hash,
                                style_path=str(style_path.resolve()))
        if recipe.from_scratch:
            recipe = recipe.replace(subject=subject_for(style.name, recipe.subject, recipe.seed))
        picture = None
        if not recipe.from_scratch:
            if input_path is None:
                return _fail("this recipe names no input picture: say where it is with --input")
            if args.replay and not input_path.exists():
                return _fail(f"the input {input_path} of this recipe is gone; give it with --input if it moved")
            try:
                loaded = load_image(input_path, max_side=4096, min_side=8)
            except ImageRejected as rejection:
                raise ImageRejected(f"{input_path}: {rejection}") from None
            for note in loaded.notes:
                print(f"note: input {note}", file=sys.stderr)
            picture, sha256 = loaded.image, file_sha256(input_path)
            if args.replay and recipe.input_sha256 not in ("", sha256):
                print(f"note: the input {input_path.name} has changed since this painting was made", file=sys.stderr)
            recipe = recipe.replace(input_path=str(input_path.resolve()), input_sha256=sha256)
        best = recipe.quality == "best"
        sketch_to = args.save_sketch if not args.replay else None
        image = run_job(paint_job(recipe, style, picture, device=device.device),
                        lambda event: _on_event(event, best, sketch_to))
        if best:
            print(file=sys.stderr)
    except (CheckpointError, ImageRejected, JobError, ValueError) as error:
        return _fail(str(error))
    try:
        save_png_with_recipe(image, output, recipe)
    except OSError as error:
        print(f"atelier: {not_written(output, error)}", file=sys.stderr)
        return 1
    print(f"wrote {output} ({image.size[0]}x{image.size[1]}, style {style.name}, seed {recipe.seed})")
    return 0


def _existing(path: str) -> str | None:
    return path if path and Path(path).is_file() else None


def _on_event(event, best: bool, sketch_to: Path | None) -> None:
    """Best quality takes minutes: a progress line. A painting from scratch says what its scene holds (and
    writes the sketch when asked)."""
    from models.jobs import Preview, Progress

    if isinstance(event, Progress) and best:
        print(f"\r{100 * (event.fraction or 0):5.1f}% {event.message}".ljust(60), end="", file=sys.stderr, flush=True)
    elif isinstance(event, Preview) and hasattr(event.value, "describe"):
        print("\n".join(event.value.describe()))
        if sketch_to is not None:
            import io

            from PIL import Image

            from models.files import atomic_write_bytes

            buffer = io.BytesIO()
            Image.fromarray(event.value.sketch).save(buffer, format="PNG")
            atomic_write_bytes(sketch_to, buffer.getvalue())
            print(f"wrote the sketch to {sketch_to}")


def run_train(args: argparse.Namespace) -> int:
    from models.paint.distributed import in_torchrun, leave_process

    code = _train(args)
    if in_torchrun():  # under torchrun the process ends here, its work written (see leave_process)
        leave_process(code)
    return code


def _train(args: argparse.Namespace) -> int:
    from app.errors import cannot_write_to, disk_full_sentence, user_message
    from app.paths import paint_styles_dir
    from models.device import pick_device
    from models.jobs import JobCancelled, JobError, Progress, Result
    from models.paint.training import TrainingConfig, train_style_from_folder

    if not NAME_PATTERN.match(args.name):
        return _fail(f"the style name {args.name!r} may use only letters, digits, - and _")
    if not 0 < args.minutes <= 7 * 24 * 60:  # NaN fails too
        return _fail(f"--minutes {args.minutes:g}: give a training time of more than 0 minutes (at most a week)")
    output = args.output or paint_styles_dir() / f"{args.name}.safetensors"
    problem = cannot_write_to(output.parent, "the style cannot be saved there")
    if problem:
        return _fail(problem)
    device = pick_device()
    if device.notice:
        print(device.notice, file=sys.stderr)
    print(f"training {args.name!r} on {device.description} for up to {args.minutes:g} minutes")
    config = TrainingConfig(name=args.name, minutes=args.minutes)
    try:
        for event in train_style_from_folder(args.folder, output, config, device=device.device):
            if isinstance(event, Progress) and event.message:
                percent = f"{event.fraction * 100:5.1f}% " if event.fraction is not None else ""
                print(f"\r{percent}{event.message}".ljust(70), end="", flush=True)
            elif isinstance(event, Result) and event.value is not None:  # None: a torchrun worker other than 0
                summary = event.value
                print(f"\nwrote {summary.style_path}: {summary.steps} steps in {summary.seconds / 60:.1f} min")
                from models.paint.references import write_style_references_from_folder

                for path in write_style_references_from_folder(summary.style_path, args.folder):
                    print(f"wrote {path}")
    except JobError as error:
        print()
        return _fail(str(error))
    except OSError as error:  # the disk filled up (or went away) during training
        print()
        kept = f"training stopped; the last checkpoint saved in {output.parent} is kept, and the same command continues from it"
        return _fail(disk_full_sentence(kept) if error.errno == errno.ENOSPC else f"{user_message(error)} ({kept})")
    except (KeyboardInterrupt, JobCancelled):
        print("\nstopped; run the same command again to continue where it stopped")
        return 130
    return 0
