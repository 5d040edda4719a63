"""How good are the words? Fluency, form and novelty of what the Chat tab writes, before and after.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/text_quality.py --out bench/results/text_quality.json

Fluency: the median per-line perplexity under the chat model (SmolLM2-135M, exact float32 weights), each
line read after the same neutral context, against plain English verse lines (held-out lines of the shipped
corpus); the goal is a ratio <= 1.3. Form: syllable fit (dictionary count == notes), rhyme where asked (by the
dictionary), titles on the subject asked (a subject word or a near word), novelty (not a corpus line).
Variety and topic of the lyrics: the share of lines naming the song's topic (a topic word or a near word),
and the share of word pairs with a content word ("my arms", "the only") said already earlier in the run
(the three songs in order, as one session would write them): the 135M model's stock phrases.
Hanging ends ("The storm is a story, a true", "I'll make my be"): a line hangs when the chat model, reading it
alone after the same neutral context, gives its end (the line end, a stop or a comma) less than e^-2 after its
last word (trailing punctuation taken off first): the threshold read off 49 lines in session 4 (docs/chat-engine.md).
Parts: `lyrics` (three 8-bar tunes, AABB), `songs` (four 16-line songs, AABB and ABAB), `poems` (five four-line
poems as the chat's "write a poem about ..." asks them: 8 syllables, AABB), `titles` (with two haiku).
Each part writes with its own SongWriter: a writer avoids its own last lines (`SongWriter.recent`), so with one
writer for all a change to the lyrics alone re-rolled every song and poem after them (session 24).
Writers compared: the sentence VAE that shipped before (issue #17's "before"), the chat model sampled with
no constraints, the constrained writer (what ships), and the line VAE (frozen chat model as decoder).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.text.chat import ChatModel  # noqa: E402
from models.text.sampling import SamplingSettings  # noqa: E402
from models.verse.constrained import token_pieces  # noqa: E402
from models.verse.end_words import needs_a_word_after  # noqa: E402
from models.verse.line_form import normalise  # noqa: E402
from models.verse.lm_decoder import FrozenLM  # noqa: E402
from models.verse.pronounce import Pronouncing, words_in  # noqa: E402
from models.verse.titles import subject_words  # noqa: E402
from models.verse.vae import is_held_out  # noqa: E402
from models.verse.verse import DEFAULT_CORPUS, read_corpus  # noqa: E402

CONTEXT = "<|im_start|>assistant\n"
HANGING_FLOOR = -2.0  # a line whose end the model gives less than e^-2 hangs (see the module's doc)
TOPICS = ["the sea", "coming home", "a winter night"]
SUBJECTS = [("a stormy sea", "Turner"), ("a harbour at night", "Van Gogh"), ("a mountain village", "Hokusai")]
# 16-line songs (one line per bar of a 16-bar tune), both schemes: in ABAB a pair's partner is two lines on
SONGS = [
    ("the sea", "AABB", 4),
    ("coming home", "ABAB", 5),
    ("a winter night", "ABAB", 6),
    ("the open road", "AABB", 7),
]
# four-line poems as `atelier chat "write a poem about ..."` asks them: eight syllables a line, AABB
POEMS = [("a lighthouse", 0), ("a lighthouse", 1), ("autumn leaves", 0), ("the moon", 0), ("an old house", 0)]


class Scorer:
    """Per-line perplexity under the chat model with exact weights, lines batched."""

    def __init__(self, model: ChatModel | None = None) -> None:
        model = model or ChatModel.load(weights="float32")
        self.tokenizer = model.tokenizer
        self.lm = FrozenLM(model.runner)
        self.context = self.tokenizer.encode(CONTEXT)
        self.state = self.lm.start(self.context[:-1])
        self.line_ends: torch.Tensor | None = None

    @torch.inference_mode()
    def perplexities(self, lines: list[str]) -> list[float]:
        out = []
        for first in range(0, len(lines), 16):
            chunk = [
                self.tokenizer.encode(" ".join(line.split()), allow_control=False) for line in lines[first : first + 16]
            ]
            width = max(len(ids) for ids in chunk)
            ids = torch.zeros((len(chunk), width + 1), dtype=torch.long)
            ids[:, 0] = self.context[-1]
            for row, tokens in enumerate(chunk):
                ids[row, 1 : len(tokens) + 1] = torch.tensor(tokens)
            hidden = self.lm.layers(self.lm.embed(ids), self.state.position, 0, self.lm.n_layers, past=self.state)
            logprobs = torch.log_softmax(self.lm.logits(hidden[:, :-1]), dim=-1)
            for row, tokens in enumerate(chunk):
                picked = logprobs[row, torch.arange(len(tokens)), torch.tensor(tokens)]
                out.append(math.exp(-float(picked.mean())))
        return out

    @torch.inference_mode()
    def end_logprobs(self, lines: list[str]) -> list[float]:
        """Each line's log-probability of ending after its last word (its end, a stop or a comma): low when the
        last word leaves the phrase open."""
        if self.line_ends is None:
            pieces = token_pieces(self.tokenizer)
            ends = {i for i, p in enumerate(pieces) if re.fullmatch(r"[,.!?;]?\n?", p) and p}
            self.line_ends = torch.tensor(sorted(ends | {self.tokenizer.encode("<|im_end|>")[0]}))
        out = []
        for line in lines:
            ids = self.tokenizer.encode(" ".join(line.split()).rstrip(",.;:!?"), allow_control=False)
            x = self.lm.embed(torch.tensor([[self.context[-1], *ids]]))
            hidden = self.lm.layers(x, self.state.position, 0, self.lm.n_layers, past=self.state)
            logprobs = torch.log_softmax(self.lm.logits(hidden[:, -1]), dim=-1)[0]
            out.append(float(torch.logsumexp(logprobs[self.line_ends], dim=0)))
        return out


def hanging(scorer: Scorer, lines: list[str]) -> dict:
    """How many lines hang (see the module's doc), and which; and how many stop on a word that needs the word
    after it by the writer's grammar rule (models/verse/end_words.py: "a long", which the model cannot hear)."""
    lines = [line for line in lines if line.strip()]
    ends = scorer.end_logprobs(lines)
    hung = [f"{line} ({end:.1f})" for line, end in zip(lines, ends, strict=True) if end < HANGING_FLOOR]
    cut_off = [line for line in lines if needs_a_word_after(words_in(line))]
    return {
        "hanging_ends": f"{len(hung)} of {len(lines)}",
        "hanging": hung,
        "ends_needing_a_word_after": f"{len(cut_off)} of {len(lines)}",
    }


def summary(scorer: Scorer, lines: list[str], reference: float, corpus: set[str], seconds: float) -> dict:
    lines = [line for line in lines if line.strip()]
    ppl = scorer.perplexities(lines) if lines else []
    median = statistics.median(ppl) if ppl else float("nan")
    return {
        "lines": len(lines),
        "median_perplexity": round(median, 1),
        "ratio_to_verse": round(median / reference, 2),
        "novelty": round(sum(normalise(line) not in corpus for line in lines) / max(len(lines), 1), 3),
        "seconds_per_line": round(seconds / max(len(lines), 1), 2),
        "examples": lines[:8],
    }


def melodies() -> list:
    from models.music.generate import generate
    from models.music.request import MelodyRequest

    specs = [("scottish", "D", "minor", 8, 1), ("irish", "G", "major", 8, 2), ("bach", "C", "major", 8, 3)]
    return [
        generate(MelodyRequest(style=s, key=k, mode=m, bars=b, tempo=90, seed=seed))[0] for s, k, m, b, seed in specs
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/text_quality.json")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated parts to skip: before,free,constrained,lyrics,songs,poems,titles,line_vae",
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    torch.manual_seed(0)
    corpus_lines = read_corpus(DEFAULT_CORPUS)
    corpus = {normalise(line) for line in corpus_lines}
    words = Pronouncing.shared()
    scorer = Scorer()
    verse = [line for line in corpus_lines if is_held_out(line)]
    reference = statistics.median(scorer.perplexities(verse))
    results: dict = {
        "reference": {
            "what": "held-out lines of resources/text/fortune-lines.txt",
            "lines": len(verse),
            "median_perplexity": round(reference, 1),
        },
        "scoring": f"exp(mean token NLL) of each line after {CONTEXT!r}, SmolLM2-135M float32",
    }
    tunes = melodies()
    from models.verse.lyrics import phrase_forms

    forms_per_tune = [phrase_forms(m) for m in tunes]

    if "before" not in skip:
        from models.verse.verse import VerseWriter, phrase_note_counts

        writer = VerseWriter.load()
        start = time.perf_counter()
        lyric_lines = [
            line.text
            for m, topic in zip(tunes, TOPICS, strict=True)
            for line in writer.lyrics_for_phrases(phrase_note_counts(m), theme=topic, seed=1)
        ]
        titles_per_subject = [writer.titles(subject, n=5, seed=1) for subject, _ in SUBJECTS]
        titles = [t for group in titles_per_subject for t in group]
        results["before_sentence_vae"] = {
            "lyrics": summary(scorer, lyric_lines, reference, corpus, time.perf_counter() - start),
            "titles": summary(scorer, titles, reference, corpus, 0.0),
            "titles_on_subject": on_subject(titles_per_subject, [s for s, _ in SUBJECTS]),
        }
        log(results["before_sentence_vae"])

    chat = ChatModel.load()
    if "free" not in skip:
        start = time.perf_counter()
        free = []
        for topic in TOPICS:
            messages = [{"role": "user", "content": f"Write a song about {topic}."}]
            reply = run(chat.reply(messages, SamplingSettings(temperature=0.7, max_new_tokens=80, seed=1)))
            free += [line.strip() for line in reply.text.splitlines() if line.strip()][:8]
        results["chat_model_unconstrained"] = summary(scorer, free, reference, corpus, time.perf_counter() - start)
        results["chat_model_unconstrained"]["syllable_fit_note"] = "no form asked: the baseline for fluency only"
        log(results["chat_model_unconstrained"])

    if "constrained" not in skip:
        from models.verse.lyrics import SongWriter
        from models.verse.titles import TitleWriter

        results["constrained_chat_model"] = {}
    if "constrained" not in skip and "lyrics" not in skip:
        start = time.perf_counter()
        lyric_lines, fit, rhymed, pairs, on_topic = [], 0, 0, 0, 0
        lyrics_writer = SongWriter(chat)
        for forms, topic in zip(forms_per_tune, TOPICS, strict=True):
            lines = lyrics_writer.lyrics(forms, topic, "AABB", seed=1)
            lyric_lines += [line.text for line in lines]
            on_topic += sum(bool(set(words_in(line.text)) & subject_words(topic)) for line in lines)
            fit += sum(
                words.line_syllables(line.text) == form.syllables for line, form in zip(lines, forms, strict=True)
            )
            for a, b in zip(lines[0::2], lines[1::2], strict=False):
                pairs += 1
                rhymed += bool(
                    words_in(a.text) and words_in(b.text) and words.rhymes(words_in(a.text)[-1], words_in(b.text)[-1])
                )
        lyric_time = time.perf_counter() - start
        results["constrained_chat_model"] |= {
            "lyrics": summary(scorer, lyric_lines, reference, corpus, lyric_time),
            "syllable_fit": round(fit / sum(len(f) for f in forms_per_tune), 3),
            "rhyme_where_asked": round(rhymed / max(pairs, 1), 3),
            "rhymed_pairs": f"{rhymed} of {pairs}",
            "lines_on_topic": round(on_topic / max(len(lyric_lines), 1), 3),
            "all_lines": lyric_lines,  # `examples` holds the first 8 only
            "word_pairs_said_before": said_before(lyric_lines),
        } | hanging(scorer, lyric_lines)
        log(results["constrained_chat_model"], lyric_lines)
    if "constrained" not in skip and "songs" not in skip:
        results["constrained_chat_model"]["long_songs"] = long_songs(SongWriter(chat), words)
        every_line = [
            line for song in results["constrained_chat_model"]["long_songs"]["songs"] for line in song["lines"]
        ]
        fluency = summary(scorer, every_line, reference, corpus, 0.0)
        results["constrained_chat_model"]["long_songs"] |= hanging(scorer, every_line) | {
            key: fluency[key] for key in ("median_perplexity", "ratio_to_verse", "novelty")
        }
        log(results["constrained_chat_model"]["long_songs"], every_line)
    if "constrained" not in skip and "poems" not in skip:
        results["constrained_chat_model"]["poems"] = poems(SongWriter(chat), words)
        every_line = [line for poem in results["constrained_chat_model"]["poems"]["poems"] for line in poem["lines"]]
        fluency = summary(scorer, every_line, reference, corpus, 0.0)
        results["constrained_chat_model"]["poems"] |= hanging(scorer, every_line) | {
            key: fluency[key] for key in ("median_perplexity", "ratio_to_verse", "novelty")
        }
        log(results["constrained_chat_model"]["poems"], every_line)
    if "constrained" not in skip and "titles" not in skip:  # `--skip before,free,lyrics,songs,line_vae`: titles
        start = time.perf_counter()
        haiku_writer = SongWriter(chat)
        haiku = [haiku_writer.haiku(topic, seed=2) for topic in ("autumn", "the sea")]
        haiku_fit = sum(
            words.line_syllables(line) == n for poem in haiku for line, n in zip(poem, (5, 7, 5), strict=True)
        ) / (3 * len(haiku))
        haiku_time = time.perf_counter() - start
        titles_writer = TitleWriter(chat, words)
        start = time.perf_counter()
        titles_per_subject = [titles_writer.titles(subject, style=style, n=5, seed=1) for subject, style in SUBJECTS]
        titles = [t for group in titles_per_subject for t in group]
        results["constrained_chat_model"] |= {
            "haiku": {
                "poems": haiku,
                "syllable_fit": round(haiku_fit, 3),
                "seconds_per_line": round(haiku_time / 6, 2),
            },
            "titles": summary(scorer, titles, reference, corpus, time.perf_counter() - start),
            "titles_on_subject": on_subject(titles_per_subject, [s for s, _ in SUBJECTS]),
            "titles_written": f"{len(titles)} of {5 * len(SUBJECTS)}",
            "titles_per_subject": {
                subject: group for (subject, _), group in zip(SUBJECTS, titles_per_subject, strict=True)
            },
        }
        log(results["constrained_chat_model"], [line for poem in haiku for line in poem] + titles)

    if "line_vae" not in skip and (ROOT / "resources/text/line-vae.safetensors").exists():
        from models.verse.line_vae import LineVAE

        vae = LineVAE.load(ROOT / "resources/text/line-vae.safetensors", FrozenLM(chat.runner), chat.tokenizer)
        generator = torch.Generator().manual_seed(0)
        start = time.perf_counter()
        prior = vae.decode(torch.randn((24, vae.latent_size), generator=generator), temperature=0.0)
        results["line_vae_prior_samples"] = summary(scorer, prior, reference, corpus, time.perf_counter() - start)
        log(results["line_vae_prior_samples"], prior)

    write(args.out, results)
    return 0


def long_songs(writer, words: Pronouncing) -> dict:
    """16-line songs, AABB and ABAB: the share of pairs asked to rhyme that rhyme (by the dictionary), and fit."""
    from models.music.generate import generate
    from models.music.request import MelodyRequest
    from models.verse.line_form import rhyme_group
    from models.verse.lyrics import phrase_forms

    start = time.perf_counter()
    out: dict = {"songs": []}
    rhymed = pairs = fit = lines_written = 0
    for topic, scheme, seed in SONGS:
        tune = generate(MelodyRequest(style="scottish", key="D", mode="minor", bars=16, tempo=90, seed=seed))[0]
        forms = phrase_forms(tune, bars_per_phrase=1)
        lines = [line.text for line in writer.lyrics(forms, topic, scheme, seed=1)]
        ends = [words_in(line)[-1] if words_in(line) else "" for line in lines]
        groups: dict[str, list[int]] = {}
        for index in range(len(lines)):
            groups.setdefault(str(rhyme_group(scheme, index)), []).append(index)
        song_rhymed = sum(
            len(group) == 2 and bool(ends[group[0]]) and words.rhymes(ends[group[0]], ends[group[1]])
            for group in groups.values()
        )
        rhymed, pairs = rhymed + song_rhymed, pairs + len(groups)
        fit += sum(words.line_syllables(line) == form.syllables for line, form in zip(lines, forms, strict=True))
        lines_written += len(lines)
        out["songs"].append(
            {"topic": topic, "scheme": scheme, "rhymed_pairs": f"{song_rhymed} of {len(groups)}", "lines": lines}
        )
    return (
        out
        | opening_again([song["lines"] for song in out["songs"]])
        | {
            "rhyme_where_asked": round(rhymed / max(pairs, 1), 3),
            "rhymed_pairs": f"{rhymed} of {pairs}",
            "syllable_fit": round(fit / max(lines_written, 1), 3),
            "seconds_per_line": round((time.perf_counter() - start) / max(lines_written, 1), 2),
        }
    )


def opening_again(songs: list[list[str]]) -> dict:
    """Lines that open as an earlier line of their song did (the same first two words, or the same uncommon
    first word: "In the end," six times, "Ain't" nine), each song's most said opening, and the lines that open in
    a shape (line_shapes.opening_shape) said twice before in their song ("The sun's on it / The wind's on it / The
    sky's on it": a template), and those that close in a shape two of the song's last three lines closed in
    (line_shapes.stale_closings: "To the sun's rays, to your bed / The world is yours, to your side / ...")."""
    from collections import Counter

    from models.verse.line_shapes import closing_shape, opening_shape, stale_closings
    from models.verse.lyrics import openings

    again, templated, closed, most = 0, 0, 0, []
    for lines in songs:
        closed += sum(closing_shape(line) in stale_closings(lines[:i]) for i, line in enumerate(lines))
        said: Counter[str] = Counter()
        shapes: Counter[tuple[str, ...] | None] = Counter()
        for line in lines:
            keys = openings(line)
            again += any(said[key] for key in keys)
            said.update(keys)
            found = opening_shape(line)
            templated += found is not None and shapes[found] >= 2
            shapes[found] += 1
        most.append(" ".join(f"{key!r} x{n}" for key, n in said.most_common(1)))
    return {
        "lines_opening_again": f"{again} of {sum(map(len, songs))}",
        "most_said_opening": most,
        "lines_in_an_opening_shape_said_twice_before": f"{templated} of {sum(map(len, songs))}",
        "lines_closing_as_two_of_the_last_three_did": f"{closed} of {sum(map(len, songs))}",
    }


def poems(writer, words: Pronouncing) -> dict:
    """Four-line poems (8 syllables, AABB) as the chat's poem request writes them: rhyme and fit."""
    start = time.perf_counter()
    out: dict = {"poems": []}
    rhymed = fit = lines_written = 0
    for topic, seed in POEMS:
        lines = writer.poem(topic, lines=4, syllables=8, scheme="AABB", seed=seed)
        ends = [words_in(line)[-1] if words_in(line) else "" for line in lines]
        poem_rhymed = sum(bool(a) and words.rhymes(a, b) for a, b in zip(ends[0::2], ends[1::2], strict=False))
        rhymed += poem_rhymed
        fit += sum(words.line_syllables(line) == 8 for line in lines)
        lines_written += len(lines)
        out["poems"].append({"topic": topic, "seed": seed, "rhymed_pairs": f"{poem_rhymed} of 2", "lines": lines})
    return out | {
        "rhyme_where_asked": round(rhymed / max(2 * len(POEMS), 1), 3),
        "rhymed_pairs": f"{rhymed} of {2 * len(POEMS)}",
        "syllable_fit": round(fit / max(lines_written, 1), 3),
        "seconds_per_line": round((time.perf_counter() - start) / max(lines_written, 1), 2),
    }


def write(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


def on_subject(titles_per_subject: list[list[str]], subjects: list[str]) -> float:
    """The share of titles naming their own subject (each subject's titles judged against it, however many
    the writer gave)."""
    hits = sum(
        bool(set(words_in(title)) & subject_words(subject))
        for titles, subject in zip(titles_per_subject, subjects, strict=True)
        for title in titles
    )
    return round(hits / max(sum(len(t) for t in titles_per_subject), 1), 3)


def said_before(lines: list[str]) -> float:
    """The share of the lines' word pairs with a content word that an earlier line had said."""
    from models.verse.line_form import word_pairs

    seen: set[tuple[str, str]] = set()
    repeated = total = 0
    for line in lines:
        pairs = word_pairs([line])
        total += len(pairs)
        repeated += len(pairs & seen)
        seen |= pairs
    return round(repeated / max(total, 1), 3)


def run(job):
    from models.jobs import run_job

    return run_job(job)


def log(value, lines: Sequence[str] = ()) -> None:
    """A part's figures as it ends, cut at 600 characters, then its lines in full, one a row: a run cut short (the
    whole bench takes over an hour under load) can still be read line by line."""
    print(json.dumps(value, ensure_ascii=False)[:600], flush=True)
    for line in lines:
        print("    " + line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
