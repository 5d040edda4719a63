"""The line VAE (the frozen chat model as its decoder): training reaches only the coder, and the shipped
model's powers (encode, blend, riff, sample, move along a direction) run and keep their promises."""

from __future__ import annotations

import pytest
import torch

from models.checkpoint import CheckpointError
from models.resources import resource
from models.verse.line_vae import LineCoder, LineVAE, LineVAEConfig, repeating
from models.verse.line_vae_training import bag_of_words, kl_weight, learning_rate, training_loss
from models.verse.lm_decoder import DecodeState, FrozenLM
from models.verse.word_join import Spelling

pytestmark = pytest.mark.usefixtures("one_torch_thread")
LINES = ["The sea is calm tonight.", "I wandered lonely as a cloud", "The night is young and so are we"]


@pytest.fixture(scope="module")
def shipped():
    from models.text.chat import shared_chat_model

    model = shared_chat_model("cpu")
    path = resource("text", "line-vae.safetensors")
    return LineVAE.load(path, FrozenLM(model.runner), model.tokenizer)


def test_training_moves_only_the_coder():
    from models.text.chat import ChatModel

    model = ChatModel.load(weights="float32", max_context=64)
    lm = FrozenLM(model.runner)
    config = LineVAEConfig(memory_layers=2, slots=2, latent=8, hidden=32, word_bias=True, reads_embeddings=True)
    coder = LineCoder(config)
    vae = LineVAE(coder, lm, model.tokenizer)
    ids = [model.tokenizer.encode(line, allow_control=False) for line in LINES]
    features, lengths = vae.line_features(ids)
    state = vae.preamble_state()
    first = vae.first_memory_layer
    past = DecodeState(
        [k if i >= first else None for i, k in enumerate(state.keys)],
        [v if i >= first else None for i, v in enumerate(state.values)],
        state.position,
    )
    start = lm.layers(lm.embed(torch.tensor([[vae.preamble[-1]]])), state.position, 0, first, past=state)[0, 0]
    vocabulary = torch.tensor(sorted({t for line in ids for t in line} | {vae.end_id}))
    index = {int(t): k for k, t in enumerate(vocabulary)}
    targets = torch.full((len(ids), features.shape[1] + 1), -100)
    for row, line in enumerate(ids):
        targets[row, : len(line) + 1] = torch.tensor([index[t] for t in line] + [index[vae.end_id]])
    before = model.runner.layers[-1]["down"].weight.clone()
    sharpness = torch.ones((), requires_grad=True)
    embedded = vae.line_embeddings(ids)
    reconstruction, kl, kl_term, bag = training_loss(
        coder, lm, features, lengths, start.detach(), targets, past, state.position, vocabulary, 0.1,
        embedded=embedded, bag_sharpness=sharpness,
    )  # fmt: skip
    (reconstruction + kl_term + bag).backward()
    assert reconstruction.item() > 0 and kl.item() >= 0 and bag.item() > 0
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in coder.to_memory.parameters())
    assert coder.words is not None and coder.words[2].weight.grad.abs().sum() > 0  # type: ignore[union-attr]
    assert coder.embedding_norm is not None and coder.embedding_norm.weight.grad.abs().sum() > 0  # it reads them
    assert sharpness.grad is not None
    assert torch.equal(model.runner.layers[-1]["down"].weight, before)  # the chat model stays frozen


def test_a_resumed_run_carries_its_schedules_on_without_a_second_warm_up():
    # First leg: 2e-3 -> 2e-4 over 55 minutes, stopped there; resumed with --minutes 135 (80 more).
    first_leg = [learning_rate(minute * 60, 55 * 60, 2e-3, 2e-4) for minute in range(56)]
    assert first_leg[0] == pytest.approx(2e-3) and first_leg[-1] == pytest.approx(2e-4)
    reached = first_leg[-1]
    second_leg = [learning_rate(minute * 60, 135 * 60, reached, 5e-5, resumed_at=55 * 60) for minute in range(55, 136)]
    assert second_leg[0] == pytest.approx(reached)  # not back up to the start's 2e-3 (1.2e-3 by the old formula)
    assert second_leg[-1] == pytest.approx(5e-5)
    rates = first_leg + second_leg
    assert all(later <= earlier for earlier, later in zip(rates, rates[1:], strict=False))
    # The KL weight goes by the step, which the saved state keeps: full at step 1,410, as when the run stopped.
    assert kl_weight(0, 50, 150, 1.0) == 0.0 and kl_weight(125, 50, 150, 1.0) == pytest.approx(0.5)
    assert kl_weight(1410, 50, 150, 1.0) == 1.0


class PieceTokenizer:
    """A stand-in tokenizer: each token is one piece of text; token 0 ends the line."""

    pieces = ["<|im_end|>", " whis", "pled", "per", " the", " seab", "aby", " sea", ",", "'s", " wind"]
    control_ids = {0}

    def token_bytes(self, token: int) -> bytes:
        return self.pieces[token].encode()

    def decode(self, ids, skip_control: bool = False) -> str:
        return "".join(self.pieces[i] for i in ids if not (skip_control and i in self.control_ids))


def test_word_pieces_join_only_into_known_words():
    tokens = {piece.strip(): k for k, piece in enumerate(PieceTokenizer.pieces)}
    spelling = Spelling(["whisper", "the", "sea", "wind"], PieceTokenizer())
    assert not spelling.allows("whis", tokens["pled"]) and spelling.allows("whis", tokens["per"])
    assert not spelling.allows("whis", tokens["<|im_end|>"]) and not spelling.allows("whis", tokens["the"])
    assert spelling.allows("whisper", tokens["<|im_end|>"]) and spelling.allows("whisper", tokens[","])
    assert not spelling.allows("", tokens["seab"]) and spelling.allows("", tokens["sea"])
    assert spelling.allows("sea", tokens["'s"]) and spelling.allows("", tokens["'s"])  # the sea's; a quote
    # Decoding " the whis": "pled" scores best, but only "per" (whisper) may follow. After " the", both of the two
    # best ("thepled", "theper") are barred, and a wider look finds words that may follow. After " seab" (reached
    # without the rule) nothing may follow: then nothing is barred, rather than leave a row with nothing to say.
    logits = torch.zeros((3, len(PieceTokenizer.pieces)))
    logits[:, tokens["pled"]], logits[:, tokens["per"]] = 5.0, 1.0
    spelling.bar(logits, [[tokens["the"], tokens["whis"]], [tokens["the"]], [tokens["seab"]]], candidates=2)
    assert logits[0].argmax() == tokens["per"]
    assert logits[1, tokens["pled"]] == logits[1, tokens["per"]] == float("-inf") and logits[1].max() == 0.0
    assert logits[2, tokens["pled"]] == 5.0
    # A sampler may draw from beyond the candidates looked at: a barred draw is drawn again.
    draws = iter([torch.tensor([tokens["pled"]]), torch.tensor([tokens["aby"]])])
    logits = torch.zeros((1, len(PieceTokenizer.pieces)))
    chosen = spelling.choose(logits, [[tokens["the"], tokens["whis"]]], lambda scores: next(draws, scores.argmax(-1)))
    assert chosen.tolist() == [tokens["per"]]


def test_codes_are_deterministic_and_not_collapsed(shipped):
    mu, logvar = shipped.encode(LINES)
    again, _ = shipped.encode(LINES)
    assert torch.equal(mu, again) and mu.shape == (3, shipped.latent_size)
    assert float(mu.std(0).mean()) > 0.05  # different lines, different codes
    assert shipped.metadata["training"]["held_out"]["active_units"] >= shipped.latent_size // 2


def test_blend_and_riff_paths(shipped):
    from models.assistant import writing

    path = writing.blend(LINES[0], LINES[1], 3)
    assert len(path) == 3 and path[0] == LINES[0] and path[-1] == LINES[1] and all(path)
    riffs = shipped.riff(LINES[2], n=2, seed=1)
    assert riffs and all(r and r.lower() != LINES[2].lower() for r in riffs) and len(set(riffs)) == len(riffs)
    direction = shipped.direction([LINES[0]], [LINES[2]])
    assert len(shipped.move(LINES[1], direction, (1.0,))) == 1
    assert len(shipped.sample(1, seed=3)) == 1


def test_the_bag_of_words_asks_the_code_for_each_of_the_lines_words_once():
    """Each distinct word of the line (not its end, not the padding) costs its negative log-probability under
    one softmax of the word scores: scores that favour the line's words cost less than flat ones."""
    targets = torch.tensor([[2, 3, 2, 0], [1, 0, -100, -100]])  # line 1 says 2, 3, 2 then ends (0)
    lengths = torch.tensor([3, 1])
    flat = torch.zeros((2, 4))
    log4 = torch.log(torch.tensor(4.0))
    assert torch.isclose(bag_of_words(flat, targets, lengths), (2 * log4 + log4) / 2)  # 2 words, then 1
    named = torch.tensor([[0.0, 0.0, 5.0, 5.0], [0.0, 5.0, 0.0, 0.0]])
    assert bag_of_words(named, targets, lengths) < bag_of_words(flat, targets, lengths) - 1
    ends = torch.tensor([[5.0, 0.0, 0.0, 0.0], [5.0, 0.0, 0.0, 0.0]])  # favouring the end does not pay
    assert bag_of_words(ends, targets, lengths) > bag_of_words(flat, targets, lengths)


def test_the_encoder_reads_the_lines_input_embeddings():
    """Two lines the layer states cannot tell apart get different codes when their words differ; a coder
    that reads the embeddings refuses to encode without them."""
    torch.manual_seed(0)
    coder = LineCoder(LineVAEConfig(dim=16, kv_dim=8, head_dim=4, memory_layers=1, slots=1, latent=4, hidden=8,
                                    reads_embeddings=True))  # fmt: skip
    features, lengths = torch.randn(1, 3, 16).expand(2, -1, -1), torch.tensor([3, 3])
    embedded = torch.randn(2, 3, 16)
    mu, _ = coder.encode(features, lengths, embedded)
    assert not torch.allclose(mu[0], mu[1])
    padded = torch.cat([embedded, torch.randn(2, 2, 16)], dim=1)  # what lies past a line's end is not read
    assert torch.allclose(coder.encode(features, lengths, padded)[0], mu)
    with pytest.raises(ValueError, match="embedded"):
        coder.encode(features, lengths)


def test_an_older_checkpoint_reads_as_trained_and_a_foreign_one_says_why(shipped, tmp_path):
    """Settings a checkpoint lacks take their defaults, which are the older behaviour (session 5's line VAE
    read only the layer states); settings this version does not know, or weights that do not fit, are refused
    with a sentence."""
    import json

    lm, tokenizer = shipped.lm, shipped.tokenizer
    small = {"memory_layers": 2, "slots": 1, "latent": 4, "hidden": 8, "memory_hidden": 8}
    path = LineVAE(LineCoder(LineVAEConfig(**small)), lm, tokenizer).save(tmp_path / "old.safetensors")
    meta = json.loads(path.with_suffix(".json").read_text())
    del meta["hyperparameters"]["reads_embeddings"]  # as session 5 wrote it
    path.with_suffix(".json").write_text(json.dumps(meta))
    old = LineVAE.load(path, lm, tokenizer)
    assert not old.coder.config.reads_embeddings and old.encode(LINES[:1])[0].shape == (1, 4)
    meta["hyperparameters"]["reads_tea_leaves"] = True
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="newer version"):
        LineVAE.load(path, lm, tokenizer)
    del meta["hyperparameters"]["reads_tea_leaves"]
    meta["hyperparameters"]["reads_embeddings"] = True  # the encoder's first layer then has the wrong shape
    path.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="does not hold the weights"):
        LineVAE.load(path, lm, tokenizer)


def test_a_decoded_line_never_says_a_three_token_run_twice_nor_a_word_twice_in_a_row():
    assert repeating([9, 7]) == {7}  # "plagiarism, plagiarism" may not go on with "plagiarism"
    assert repeating([5, 6, 5]) == {5, 6}  # "This is This": not "is" (a run twice in a row), not "This" again
    assert repeating([4, 8, 2, 4, 8]) == {8, 2}  # a three-token word twice in a row
    assert repeating([1, 2, 3, 1, 2]) == {2, 3}  # "c": "a b c" said again (an n-gram); "b": "b b"
    assert repeating([]) == set()


def test_a_lines_own_code_explains_it_better_than_another_lines(shipped):
    mu, _ = shipped.encode(LINES)
    own, other = shipped.nll(LINES, mu), shipped.nll(LINES, mu.roll(1, 0))
    assert bool((own < other).all())
    assert float((other - own).mean()) > 12  # nats the code carries (the 100-step model's: 5 on these lines)
    # against the prior's mean code (z = 0: knowing nothing of the line), what the code adds: session 4's
    # model 13.0 nats on these lines, session 5's (word bias) 14.9, session 7's (reads the input embeddings,
    # 128 numbers, bag of words) 22.2
    assert float((shipped.nll(LINES, torch.zeros_like(mu)) - own).mean()) > 18
    assert shipped.coder.words is not None and shipped.vocabulary is not None
    assert shipped.coder.config.reads_embeddings


def test_the_codes_word_bias_names_words_in_decoding_and_in_the_likelihood(shipped):
    """A coder with a word bias adds its words' scores at every position: pointed at " ocean", the decoded
    line says it (less often once its favour is spent), and a line with it gains more likelihood than the
    same line with another word."""
    lm, tokenizer = shipped.lm, shipped.tokenizer
    ocean = tokenizer.encode(" ocean", allow_control=False)
    assert len(ocean) == 1
    coder = LineCoder(LineVAEConfig(memory_layers=2, slots=1, latent=4, hidden=8, memory_hidden=8, word_bias=True))
    steered = LineVAE(coder, lm, tokenizer)
    z = torch.zeros((1, 4))
    lines = ["The ocean is wide", "The river is wide"]
    before = steered.nll(lines, z.expand(2, -1))  # the word map starts at zero: no bias yet
    with torch.no_grad():
        coder.words[2].bias.copy_(3.0 * lm.runner.embed(torch.tensor(ocean)).float()[0])  # type: ignore[index]
    spent, kept = (steered.decode(z, max_tokens=5, spend=spend)[0].lower().split() for spend in (True, False))
    assert "ocean" not in steered.decode(z, max_tokens=5, word_weight=0.0)[0].lower()  # weighed to nothing
    # once said, its favour is spent: "ocean's ocean, a" against "ocean ocean oceans oceanocean oceans"
    assert 1 <= sum("ocean" in word for word in spent) < sum("ocean" in word for word in kept), (spent, kept)
    gained = before - steered.nll(lines, z.expand(2, -1))
    assert float(gained[0]) > float(gained[1]) + 2


def test_decoding_keeps_to_the_words_it_was_trained_on(shipped, tmp_path):
    """The vocabulary saved with the checkpoint bounds what decoding may say (a strong steer reached tokens
    the training softmax never held back: "FF%||FF"); a checkpoint without one decodes as before."""
    lm, tokenizer = shipped.lm, shipped.tokenizer
    words = tokenizer.encode(" sea calm night", allow_control=False)
    config = LineVAEConfig(memory_layers=2, slots=1, latent=4, hidden=8, memory_hidden=8, word_bias=True)
    vae = LineVAE(LineCoder(config), lm, tokenizer, vocabulary=torch.tensor(words))  # no end: it says 4 tokens
    loaded = LineVAE.load(vae.save(tmp_path / "line-vae.safetensors"), lm, tokenizer)
    assert loaded.vocabulary is not None and sorted(loaded.vocabulary.tolist()) == sorted(words)
    said = loaded.decode(torch.zeros((1, 4)), max_tokens=4)[0].split()
    assert len(said) == 4 and set(said) <= {"sea", "calm", "night"}, said


def test_a_riff_gives_lines_cut_off_on_a_word_that_needs_the_next_only_last():
    class Decoded:  # a stand-in: the codes' lines as a riff would decode them
        latent_size = 2

        def encode(self, lines):
            return torch.zeros(len(lines), 2), None

        def decode(self, codes, temperature):
            return ["I heard a knock as the", "the sea", "A song of the sea", "The wind is", "A song of the sea"]

    assert LineVAE.riff(Decoded(), "The sea", n=1) == ["A song of the sea"]
    assert LineVAE.riff(Decoded(), "The sea", n=3) == ["A song of the sea", "I heard a knock as the", "The wind is"]


def test_the_chat_shows_blended_and_riffed_lines_without_a_trailing_comma(monkeypatch):
    from models.assistant import writing

    class Decoded:  # a stand-in line VAE: lines as the fortune-trained decoder ends them
        def blend(self, first, second, steps):
            return [first, "The night is waiting,", "I walked the stairs;", second]

        def riff(self, line, n, seed):
            return ["The morning is cloudy.", "I have heard a weary whisper,"]

    monkeypatch.setattr(writing, "line_vae", Decoded)
    assert writing.blend("Love, ", "Rain,", 4) == ["Love, ", "The night is waiting", "I walked the stairs", "Rain,"]
    assert writing.riff("Love", 2, 0) == ["The morning is cloudy.", "I have heard a weary whisper"]
