"""`atelier chat "message"`: answer on standard output, streaming; creative requests write their file.

    atelier chat "compose a sad Irish tune in D minor, 16 bars" --out songs/
    atelier chat "lyrics for my last melody" --conversation 3
    atelier chat "hello" --server http://127.0.0.1:11434

The conversation is saved in the history (unless --no-save) and its id printed, so
`--conversation ID` continues it. Ctrl-C stops the answer within one token.
"""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("chat", help="talk to the assistant; it can also paint, compose and write lyrics")
    parser.add_argument("message", help="what to say (use - to read it from standard input)")
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for paintings and melodies (default: here)")
    parser.add_argument("--conversation", type=int, help="continue the saved conversation with this id")
    parser.add_argument("--no-save", action="store_true", help="do not save this exchange in the history")
    parser.add_argument("--temperature", type=float, default=0.7)
    parser.add_argument("--top-p", type=float, default=0.9)
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--seed", type=int, help="same seed, same answer (default: a fresh one)")
    parser.add_argument("--server", help="an Ollama or OpenAI-compatible server you run, e.g. http://127.0.0.1:11434")
    parser.add_argument("--server-model", help="the model name on that server (default: its first)")
    parser.add_argument("--threads", type=int, help="CPU threads for the built-in model")
    parser.set_defaults(handler=run)


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def _context(history) -> object:
    from models.assistant.creative import CreativeContext

    context = CreativeContext()
    for message in history:
        kind = message.meta.get("creative")
        if kind == "melody":
            context.last_melody = message.meta.get("params")
        elif kind == "painting":
            context.last_painting = message.meta.get("params")
            files = message.meta.get("files") or []
            context.last_painting_file = Path(files[0]) if files else None
    return context


def run(args: argparse.Namespace) -> int:
    import random

    import torch

    from app.paths import history_database_path
    from app.store import Store, StoreError
    from models.assistant.creative import carry_out
    from models.assistant.requests import NOTHING_TO_MAKE_AGAIN, last_creative_message, parse_request
    from models.device import pick_device
    from models.jobs import JobCancelled, JobError, Result, Token
    from models.text.chat import MAX_MESSAGE_CHARACTERS, clean_message_text, shared_chat_model
    from models.text.sampling import SamplingSettings

    if args.message == "-":  # a pasted file may be anything: undecodable bytes become U+FFFD, never an error
        message = sys.stdin.buffer.read(4 * MAX_MESSAGE_CHARACTERS).decode("utf-8", errors="replace")
    else:
        message = args.message
    message = clean_message_text(message).strip()
    if not message:
        print('The message is empty: say something, e.g. atelier chat "hello".', file=sys.stderr)
        return 2
    if len(message) > MAX_MESSAGE_CHARACTERS:
        print(
            f"The message is too long ({len(message):,} characters; at most {MAX_MESSAGE_CHARACTERS:,}). Shorten it.",
            file=sys.stderr,
        )
        return 1
    problem = _bad_arguments(args)
    if problem:
        print(f"atelier chat: {problem}", file=sys.stderr)
        return 2
    if args.threads:
        torch.set_num_threads(args.threads)
    try:
        store = None if args.no_save and args.conversation is None else Store(history_database_path())
    except StoreError as error:  # read-only, full, busy or damaged: said; a new chat goes on without saving
        if args.conversation is not None:
            print(str(error), file=sys.stderr)
            return 1
        print(f"{error} This exchange is not saved.", file=sys.stderr)
        store = None
    history = []
    conversation_id = None
    if args.conversation is not None:
        if args.conversation not in {cid for cid, _, _ in store.conversations()}:
            print(
                f"There is no conversation {args.conversation}. Leave out --conversation to start a new one.",
                file=sys.stderr,
            )
            return 2
        conversation_id = args.conversation
        history = store.messages(conversation_id)
    save = store is not None and not args.no_save
    if save:  # the user's message at once, with its new conversation in the same transaction
        try:
            conversation_id, _ = store.add_to_conversation(conversation_id, "user", message, title=message[:60])
        except StoreError as error:  # e.g. a full disk: answer all the same, and say it is not saved
            print(f"{error} This exchange is not saved.", file=sys.stderr)
            save = False
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    cancel = threading.Event()
    request = parse_request(message)
    if request.kind in ("again", "change"):  # "another one", "make it sadder": the last request, this run's seed
        asked = last_creative_message([m.content for m in history if m.role == "user"] + [message])
        if asked is None:
            print(NOTHING_TO_MAKE_AGAIN)
            return 0
        request = parse_request(asked)
    answer_meta: dict = {"seed": seed}
    pieces: list[str] = []
    stop_on_terminate = _TerminateAsInterrupt()
    try:
        if request.kind != "chat":
            device = pick_device().device
            result = None
            for event in carry_out(
                request,
                _context(history),
                out_dir=args.out,
                seed=seed,
                device=device,
                cancel=cancel,
                server_url=args.server,
            ):
                if isinstance(event, Token):
                    pieces.append(event.text)
                    _write(event.text)
                elif isinstance(event, Result):
                    result = event.value
            answer_meta |= {"creative": request.kind, "params": result.params, "files": [str(p) for p in result.files]}
        else:
            settings = SamplingSettings(
                temperature=args.temperature, top_p=args.top_p, max_new_tokens=args.max_tokens, seed=seed
            ).validated()
            conversation = [
                {"role": m.role, "content": m.content} for m in history if m.role in ("system", "user", "assistant")
            ]
            conversation.append({"role": "user", "content": message})

            def built_in():
                device = pick_device().device
                print(f"(loading the built-in model on {device.type})", file=sys.stderr)
                yield from shared_chat_model(device=device).reply(conversation, settings, cancel)

            if args.server:
                from models.text.server import ServerBackend, reply_or_fall_back

                server_job = ServerBackend(args.server, model=args.server_model).reply(conversation, settings, cancel)
                job = reply_or_fall_back(server_job, built_in, lambda notice: print(notice, file=sys.stderr))
            else:
                job = built_in()
            reply = None
            for event in job:
                if isinstance(event, Token):
                    pieces.append(event.text)
                    _write(event.text)
                elif isinstance(event, Result):
                    reply = event.value
            _write("\n")
            if reply.settings.get("notice"):
                print(reply.settings["notice"], file=sys.stderr)
            answer_meta |= {
                "tokens_per_second": round(reply.tokens_per_second, 1),
                "first_token_seconds": round(reply.first_token_seconds, 3),
                "finish": reply.finish_reason,
                "settings": reply.settings,
            }
            print(
                f"({max(len(reply.token_ids), reply.token_count)} tokens, {reply.tokens_per_second:.1f} tokens/s, first token after {reply.first_token_seconds * 1000:.0f} ms)",
                file=sys.stderr,
            )
    except KeyboardInterrupt:
        cancel.set()
        _write(" [stopped]\n")
        answer_meta["stopped"] = True
    except JobCancelled:
        _write(" [stopped]\n")
        answer_meta["stopped"] = True
    except JobError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        stop_on_terminate.restore()
    if save:
        try:
            store.add_message(conversation_id, "assistant", "".join(pieces).strip(), answer_meta)
            print(
                f"(conversation {conversation_id}; continue it with --conversation {conversation_id})", file=sys.stderr
            )
        except StoreError as error:
            print(
                f"{error} Your message is saved in conversation {conversation_id}; the answer is not.", file=sys.stderr
            )
    if store is not None:
        store.close()
    return 0


def _bad_arguments(args: argparse.Namespace) -> str:
    """What is wrong with the sampling options or the server address, in a sentence; "" when nothing is."""
    from models.jobs import JobError
    from models.text.sampling import SamplingSettings

    if args.seed is not None and not 0 <= args.seed < 2**63:
        return "--seed must be a whole number from 0 to 2^63 - 1"
    if args.threads is not None and not 1 <= args.threads <= 256:
        return "--threads must be from 1 to 256"
    if not 0 <= args.temperature <= 10:  # NaN and infinity fail too
        return "--temperature must be from 0 (always the likeliest word) to 10"
    if not args.max_tokens <= 32_768:
        return "--max-tokens may be at most 32,768"
    try:
        SamplingSettings(temperature=args.temperature, top_p=args.top_p, max_new_tokens=args.max_tokens).validated()
        if args.server:
            from models.text.server import check_server_url

            check_server_url(args.server)
    except (ValueError, JobError) as error:
        return str(error)
    return ""


class _TerminateAsInterrupt:
    """While an answer streams, SIGTERM stops it as Ctrl-C does, so the part written so far is saved."""

    def __init__(self) -> None:
        import signal

        self._installed = threading.current_thread() is threading.main_thread()
        if self._installed:
            self._previous = signal.signal(signal.SIGTERM, self._interrupt)

    @staticmethod
    def _interrupt(signum, frame) -> None:  # noqa: ANN001 - the signal module's signature
        raise KeyboardInterrupt

    def restore(self) -> None:
        import signal

        if self._installed:
            signal.signal(signal.SIGTERM, self._previous if self._previous is not None else signal.SIG_DFL)
