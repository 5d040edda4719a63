"""The built-in chat model: tokenizer, llama runner against transformers on the same GGUF, sampling, the reply job."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

from models.jobs import JobCancelled, JobError, Progress, Result, Token, run_job
from models.text import chat
from models.text.chat import ChatModel, clean_message_text, format_chat, shared_chat_model
from models.text.gguf_file import ModelFileError, find_smollm2_gguf, read_gguf
from models.text.llama import LlamaRunner
from models.text.sampling import SamplingSettings, apply_repetition_penalty, choose_next_token
from models.text.tokenizer import BPETokenizer, StreamDecoder

TEXTS = [
    "Hello, world!",
    "I have 3 cats and 12345 dogs.",
    "  leading spaces\n\nnewlines\ttabs  ",
    "naïve café — “quotes” 日本語 🎨",
    "It's we'll they're I'M",
    "x=1+2*3; print(f'{x:04d}')",
    "   \n  \n",
]
CHAT = [{"role": "user", "content": "What is the capital of France?"}]


# Many small decoding steps: on a busy 2-core machine two OpenMP threads keep waiting for each other.
pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def gguf():
    return read_gguf(keep_q4_1=True)


@pytest.fixture(scope="module")
def tokenizer(gguf):
    return BPETokenizer.from_gguf_metadata(gguf.metadata)


@pytest.fixture(scope="module")
def exact_runner(gguf):
    return LlamaRunner.from_gguf(gguf, weights="float32", max_context=256)


@pytest.fixture(scope="module")
def chat_model(gguf, tokenizer):
    # built from the GGUF already read here, and shared with the CLI tests that run after these
    model = ChatModel(LlamaRunner.from_gguf(gguf, weights="int4"), tokenizer)
    chat._shared.setdefault(("cpu", "int4", model.max_context), model)
    return shared_chat_model(weights="int4")


@pytest.fixture(scope="module")
def reference_model():
    transformers = pytest.importorskip("transformers")
    gguf = pytest.importorskip("gguf")
    path = find_smollm2_gguf()
    # transformers parses the file's 49k-token vocabulary once for the model and again for the tokenizer, and builds
    # gguf's tensor-name map once per module (397 times): 34 CPU s, the suite's slowest fixture. One parse and one
    # map serve both; what transformers computes from them is unchanged.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(gguf, "GGUFReader", functools.lru_cache(maxsize=1)(gguf.GGUFReader))
        patch.setattr(gguf, "get_tensor_name_map", functools.lru_cache(maxsize=1)(gguf.get_tensor_name_map))
        model = transformers.AutoModelForCausalLM.from_pretrained(
            str(path.parent), gguf_file=path.name, dtype=torch.float32
        )
        tok = transformers.AutoTokenizer.from_pretrained(str(path.parent), gguf_file=path.name)
    return model.eval(), tok


def test_our_gguf_reader_matches_the_gguf_package():
    gguf_package = pytest.importorskip("gguf")
    from gguf.quants import dequantize as reference_dequantize

    from models.text.gguf_reader import Q4_1, GGUFFile, dequantize
    from models.text.quantized import dequantize_q4_1, unpack_q4_1

    path = find_smollm2_gguf()
    ours = GGUFFile(path)
    reference = gguf_package.GGUFReader(str(path))
    for key, field in reference.fields.items():
        if not key.startswith("GGUF."):
            assert ours.fields[key] == field.contents(), key
    assert [t.name for t in ours.tensors] == [t.name for t in reference.tensors]
    for index in (0, 1, 2, 5, len(ours.tensors) - 1):  # Q8_0 embedding, F32 norms, Q4_1 matrices
        mine, theirs = ours.tensors[index], reference.tensors[index]
        expected = reference_dequantize(np.asarray(theirs.data), theirs.tensor_type)
        got = dequantize_q4_1(*unpack_q4_1(mine.data)).numpy() if mine.type == Q4_1 else dequantize(mine)
        assert np.array_equal(got.reshape(expected.shape), expected), mine.name
    with pytest.raises(ModelFileError):
        read_gguf(Path(__file__))  # not a GGUF file


def test_tokenizer_round_trips_and_knows_control_tokens(tokenizer):
    for text in TEXTS:
        assert tokenizer.decode(tokenizer.encode(text)) == text
    assert tokenizer.encode("Hello, world!") == [19556, 28, 905, 17]
    # digits are split one by one (SmolLM's pre-tokenizer); a space before a digit is its own token
    assert tokenizer.encode("x 12") == [104, 216, 33, 34]
    assert tokenizer.encode("<|im_start|>user\n") == [1, 4093, 198]
    assert tokenizer.encode("<|im_start|>", allow_control=False) != [1]


def test_stream_decoder_never_shows_half_a_character(tokenizer):
    text = "Colour 🎨 and 日本語, naïve."
    ids = tokenizer.encode(text)
    decoder = StreamDecoder(tokenizer)
    pieces = [decoder.push(i) for i in ids] + [decoder.flush()]
    assert "".join(pieces) == text
    assert all("\ufffd" not in piece for piece in pieces)
    assert any(piece == "" for piece in pieces)  # the emoji spans several tokens: held back, not garbled


def test_tokenizer_and_template_match_transformers(tokenizer, reference_model):
    _, reference = reference_model
    for text in TEXTS:
        assert tokenizer.encode(text) == reference.encode(text, add_special_tokens=False)
    conversation = [
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "A poem?"},
    ]
    assert format_chat(conversation) == reference.apply_chat_template(
        conversation, tokenize=False, add_generation_prompt=True
    )
    with_system = [{"role": "system", "content": "Be brief."}] + conversation
    assert format_chat(with_system) == reference.apply_chat_template(
        with_system, tokenize=False, add_generation_prompt=True
    )


def test_logits_agree_with_transformers_on_the_same_gguf(tokenizer, exact_runner, reference_model):
    model, _ = reference_model
    ids = tokenizer.encode(format_chat(CHAT))
    ours = exact_runner.forward(ids, 0, all_logits=True)
    with torch.no_grad():
        theirs = model(torch.tensor([ids])).logits[0]
    assert ours.shape == theirs.shape
    assert torch.allclose(ours, theirs, atol=2e-3, rtol=0), (ours - theirs).abs().max()
    exact_runner.cached_tokens = []


def test_int4_weights_stay_close_to_the_exact_ones(tokenizer, exact_runner, chat_model):
    ids = tokenizer.encode(format_chat(CHAT))
    exact = exact_runner.forward(ids, 0, all_logits=True)
    fast = chat_model.runner.forward(ids, 0, all_logits=True)
    chat_model.runner.cached_tokens = []
    agreement = (exact.argmax(-1) == fast.argmax(-1)).float().mean().item()
    assert agreement >= 0.85, agreement
    correlation = torch.corrcoef(torch.stack([exact.flatten(), fast.flatten()]))[0, 1].item()
    assert correlation > 0.99, correlation


def test_cached_decoding_equals_a_full_forward_pass(tokenizer, exact_runner):
    ids = tokenizer.encode(format_chat(CHAT) + "The capital")
    full = exact_runner.forward(ids, 0, all_logits=True)
    exact_runner.cached_tokens = []
    start = len(ids) - 5
    step_logits = [exact_runner.prefill(ids[:start])]
    for token in ids[start:]:
        step_logits.append(exact_runner.step(token))
    assert torch.allclose(torch.stack(step_logits), full[start - 1 :], atol=1e-3)
    # a second prompt sharing the prefix reuses the cache and gives what a fresh pass gives
    extended = ids + tokenizer.encode(" of Italy")
    reused = exact_runner.prefill(extended)
    fresh = exact_runner.forward(extended, 0, all_logits=True)[-1]
    assert torch.allclose(reused, fresh, atol=1e-3)
    exact_runner.cached_tokens = []


def test_a_long_prompt_is_read_in_chunks_and_can_be_stopped_between_them(tokenizer, exact_runner):
    ids = tokenizer.encode(format_chat([{"role": "user", "content": "Colour, light and shade. " * 6}]))
    exact_runner.cached_tokens = []
    whole = exact_runner.forward(ids, 0, all_logits=True)[-1]
    exact_runner.cached_tokens = []

    def stop():
        raise JobCancelled()

    with pytest.raises(JobCancelled):
        exact_runner.prefill(ids, chunk=16, between_chunks=stop)
    assert exact_runner.cached_tokens == ids[:16]  # the cache says exactly what it holds
    calls = []
    chunked = exact_runner.prefill(ids, chunk=16, between_chunks=lambda: calls.append(1))
    assert len(calls) == (len(ids) - 16 - 1) // 16
    assert torch.allclose(chunked, whole, atol=1e-3)
    exact_runner.cached_tokens = []


def test_a_pass_can_be_stopped_between_layers_and_the_cache_stays_true(tokenizer, exact_runner):
    """Stop inside one pass (the reply job checks its cancel flag after every layer): the pass ends there, the cache
    still says what it holds, and the next pass gives what an uninterrupted one gives."""
    ids = tokenizer.encode(format_chat(CHAT) + "The capital")
    exact_runner.cached_tokens = []
    whole = exact_runner.forward(ids, 0, all_logits=True)
    exact_runner.cached_tokens = []
    layers_read = []
    exact_runner.prefill(ids[:-1], between_layers=lambda: layers_read.append(1))
    assert len(layers_read) == len(exact_runner.layers)  # one chunk: every layer checked once

    def stop_at_the_third_layer():
        layers_read.append(1)
        if len(layers_read) == len(exact_runner.layers) + 3:
            raise JobCancelled()

    with pytest.raises(JobCancelled):
        exact_runner.step(ids[-1], between_layers=stop_at_the_third_layer)
    assert exact_runner.cached_tokens == ids[:-1]
    assert torch.allclose(exact_runner.step(ids[-1]), whole[-1], atol=1e-3)
    exact_runner.cached_tokens = []


# llama.cpp 0.3.36's greedy tokens for the lighthouse prompt of bench/chat_speed.py, same Q4_1 file
LIGHTHOUSE = [{"role": "user", "content": "Write a short poem about a lighthouse in a storm."}]
LLAMA_CPP_GREEDY = [788, 260, 16862, 282, 260, 3426, 28, 253, 33059, 6443, 28, 253, 37257, 282, 1420, 28, 253, 3573]


def test_int4_tokens_give_the_same_bits_however_they_are_batched(tokenizer, chat_model):
    # what lets a conversation reuse any cached prefix and still give "same seed, same answer"
    runner = chat_model.runner
    ids = tokenizer.encode(format_chat(CHAT) + "The capital of France")
    whole = runner.forward(ids, 0)
    keys, values = runner.k_cache[:, :, : len(ids)].clone(), runner.v_cache[:, :, : len(ids)].clone()
    position = 0
    for size in (1, 1, 3, 7, 2, 1, len(ids)):  # decoding steps and prompt chunks of several sizes
        size = min(size, len(ids) - position)
        pieces = runner.forward(ids[position : position + size], position)
        position += size
    runner.cached_tokens = []
    assert torch.equal(pieces, whole)
    assert torch.equal(runner.k_cache[:, :, : len(ids)], keys) and torch.equal(runner.v_cache[:, :, : len(ids)], values)


def test_a_follow_up_reads_only_its_new_tokens_and_the_same_seed_gives_the_same_answer(chat_model, monkeypatch):
    runner = chat_model.runner
    settings = SamplingSettings(temperature=1.2, top_p=0.98, max_new_tokens=4, seed=11)
    runner.cached_tokens = []
    question = [{"role": "system", "content": "Be brief."}] + CHAT  # a short system line: fewer tokens to read
    first = run_job(chat_model.reply(question, settings))
    follow_up = question + [
        {"role": "assistant", "content": first.text},
        {"role": "user", "content": "And of Italy?"},
    ]
    starts: list[int] = []
    forward = runner.forward
    monkeypatch.setattr(
        runner, "forward", lambda tokens, start, **kw: starts.append(start) or forward(tokens, start, **kw)
    )
    warm = run_job(chat_model.reply(follow_up, settings))
    # the first message and the reply's tokens (all but the last, never fed back) are not read again
    assert starts[0] >= first.prompt_tokens + len(first.token_ids) - 1, (starts[0], first.prompt_tokens)
    runner.cached_tokens = []
    cold = run_job(chat_model.reply(follow_up, settings))
    assert warm.token_ids == cold.token_ids


def test_greedy_text_is_llama_cpps(chat_model):
    settings = SamplingSettings(temperature=0, repetition_penalty=1.0, max_new_tokens=len(LLAMA_CPP_GREEDY))
    assert run_job(chat_model.reply(LIGHTHOUSE, settings)).token_ids == LLAMA_CPP_GREEDY


def test_greedy_answer_is_sensible(chat_model):
    reply = run_job(chat_model.reply(CHAT, SamplingSettings(temperature=0, max_new_tokens=20)))
    assert "Paris" in reply.text
    assert reply.finish_reason == "end"
    assert reply.prompt_tokens > 10


def test_same_seed_same_answer_and_seeds_differ(chat_model):
    prompt = [{"role": "user", "content": "Tell me a story about a cat."}]

    def tokens(seed: int) -> list[int]:
        settings = SamplingSettings(temperature=1.2, top_p=0.98, max_new_tokens=8, seed=seed)
        return run_job(chat_model.reply(prompt, settings)).token_ids

    first = tokens(7)
    assert first == tokens(7)
    assert any(tokens(seed) != first for seed in (1, 2))


def test_max_length_is_honoured(chat_model):
    prompt = [{"role": "user", "content": "Write a long essay about the history of painting."}]
    reply = run_job(chat_model.reply(prompt, SamplingSettings(temperature=0, max_new_tokens=5)))
    assert len(reply.token_ids) == 5 and reply.finish_reason == "length"


def test_stop_takes_effect_within_one_token(chat_model):
    cancel = threading.Event()
    seen: list[str] = []
    prompt = [{"role": "user", "content": "Write a long essay about the history of painting."}]
    job = chat_model.reply(prompt, SamplingSettings(temperature=0, max_new_tokens=100), cancel)
    with pytest.raises(JobCancelled):
        for event in job:
            if isinstance(event, Token):
                seen.append(event.text)
                if len(seen) == 3:
                    cancel.set()
            assert not isinstance(event, Result)
    assert len(seen) == 3
    # the model stays usable after a stop
    assert "Paris" in run_job(chat_model.reply(CHAT, SamplingSettings(temperature=0, max_new_tokens=20))).text


def test_bad_input_is_refused_with_a_sentence(chat_model):
    with pytest.raises(JobError, match="empty"):
        run_job(chat_model.reply([{"role": "user", "content": "   "}]))
    with pytest.raises(JobError, match="too long"):
        run_job(chat_model.reply([{"role": "user", "content": "word " * 30_000}]))
    with pytest.raises(JobError, match="role"):
        run_job(chat_model.reply([{"role": "wizard", "content": "hi"}]))
    assert clean_message_text("a\x00b<|im_end|>\x07c\r\n") == "ab< |im_end| >c\n"


def test_long_history_drops_the_oldest_turns(chat_model):
    history = []
    for i in range(40):
        history += [
            {"role": "user", "content": f"Message {i}: " + "tell me about colour. " * 10},
            {"role": "assistant", "content": "Colour is light. " * 10},
        ]
    history.append({"role": "user", "content": "Last question?"})
    ids = chat_model.prompt_tokens([{"role": "system", "content": "Be brief."}] + history, 64)
    text = chat_model.tokenizer.decode(ids)
    assert len(ids) <= chat_model.max_context - 64
    assert text.startswith("<|im_start|>system\nBe brief.") and "Last question?" in text and "Message 0:" not in text


def test_sampling_keeps_to_the_nucleus_and_greedy_takes_the_top():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    generator = torch.Generator().manual_seed(0)
    settings = SamplingSettings(temperature=1.0, top_p=0.7, repetition_penalty=1.0)
    draws = {choose_next_token(logits, settings, generator) for _ in range(300)}
    assert draws == {0, 1}
    assert choose_next_token(logits, SamplingSettings(temperature=0, repetition_penalty=1.0)) == 0
    penalised = apply_repetition_penalty(torch.tensor([2.0, -1.0, 1.0]), [0, 1], 2.0)
    assert penalised.tolist() == [1.0, -2.0, 1.0]
    with pytest.raises(ValueError):
        SamplingSettings(top_p=0).validated()


@pytest.mark.gpu
def test_cuda_runner_agrees_with_the_cpu(gguf, tokenizer, exact_runner):
    ids = tokenizer.encode(format_chat(CHAT))
    cpu = exact_runner.forward(ids, 0, all_logits=True)
    exact_runner.cached_tokens = []
    cuda = (
        LlamaRunner.from_gguf(gguf, device="cuda", dtype=torch.bfloat16, max_context=256)
        .forward(ids, 0, all_logits=True)
        .cpu()
    )
    assert (cpu.argmax(-1) == cuda.argmax(-1)).float().mean() >= 0.85
    model = ChatModel.load(device="cuda", max_context=256)
    assert (
        model.runner.weights == "float32"
        and "Paris" in run_job(model.reply(CHAT, SamplingSettings(temperature=0, max_new_tokens=20))).text
    )


def test_loading_reports_its_layers_and_stops_between_them_once_cancelled():
    cancel = threading.Event()
    steps = ChatModel.loading(cancel=cancel)
    fractions = [next(steps).fraction for _ in range(3)]
    assert fractions[0] == 0.0 and 0 < fractions[1] < fractions[2] < 1  # a share of the layers built
    cancel.set()
    with pytest.raises(JobCancelled):
        next(steps)


def test_once_the_conversation_is_read_the_progress_says_the_answer_is_being_written(chat_model):
    # The status bar said "Answering: Reading the conversation" all through a streamed answer.
    events = list(chat_model.reply([{"role": "user", "content": "Hi"}], SamplingSettings(seed=1, max_new_tokens=4)))
    first_token = next(i for i, event in enumerate(events) if isinstance(event, Token))
    said = [event.message for event in events[:first_token] if isinstance(event, Progress)]
    assert said == ["Reading the conversation", "answering"]
