"""Do the lyrics keep to their topic? Ten topics (not only the sea, home and winter of text_quality.py), 8-line AABB
lyrics of 8-6-8-6 syllables (what "lyrics about X" gets with no melody, twice over), written in one process as a
session writes them; then each line judged.

    nice -n 10 env OMP_NUM_THREADS=1 .venv/bin/python bench/topic_adherence.py --seeds 1 --out bench/results/topic_adherence.json
    .venv/bin/python bench/topic_adherence.py --songs written.json --out scored.json      # score lines written before

Measures, per line:
- judged on topic: the chat model (exact float32 weights) reads the line after "Write a song about T." for each of
  the ten topics T; the line is on its topic when its own topic makes it likelier (mean log-probability per token)
  than every other topic does (`rank` 1). A line may be on its topic without naming it ("A warm blanket of grey"
  for coming home) and off it while naming it; a generic line ("I'll hold you in my arms") is likelier after no
  topic in particular and ranks low. Checked by reading: see docs/chat-engine.md (session 15) for how often it agrees
  with a reader's labels.
- lift: the same mean log-probability after its own topic less after "Write a song." (no topic), in nats per token.
- names the topic: a topic word or a near word from the titles' table (`subject_words`): the measure of earlier
  sessions, blind to a line on topic in other words, and counting nonsense that names the word.
- fit (syllables by the dictionary), rhyme of each AABB pair, median perplexity (as text_quality.py reads it) and
  lines that hang (text_quality.hanging).
The judge is the model the writer steers, so a writer that ranked lines by the judge's own reading would score well
without being better; the writer does not (it favours the topic's words, `subject_words`), and the lines are
also read aloud.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from text_quality import Scorer, hanging  # noqa: E402

from models.text.chat import ChatModel, format_chat  # noqa: E402
from models.verse.line_form import LineForm  # noqa: E402
from models.verse.pronounce import Pronouncing, words_in  # noqa: E402
from models.verse.titles import subject_words  # noqa: E402

TOPICS = [
    "the sea",
    "rain",
    "a city at night",
    "a lost dog",
    "summer love",
    "a train",
    "coming home",
    "a winter night",
    "the mountains",
    "an old friend",
]
COUNTS = (8, 6, 8, 6, 8, 6, 8, 6)


def write_songs(seeds: list[int], topics: list[str]) -> list[dict]:
    from models.assistant import writing

    writer = writing.song_writer()
    forms = [LineForm(syllables=n) for n in COUNTS]
    songs = []
    for seed in seeds:
        for topic in topics:
            start = time.process_time()
            lines = writer.write(f"Write a song about {topic}.", forms, "AABB", seed, topic=topic)
            songs.append({"topic": topic, "seed": seed, "lines": lines, "cpu": round(time.process_time() - start, 1)})
            print(json.dumps(songs[-1]), flush=True)
    return songs


class Judge:
    """Mean log-probability per token of each line (and its line end) after a request to write a song."""

    def __init__(self, model: ChatModel) -> None:
        from models.verse.lm_decoder import FrozenLM

        self.tokenizer, self.lm = model.tokenizer, FrozenLM(model.runner)

    @torch.inference_mode()
    def scores(self, topic: str | None, lines: list[str]) -> list[float]:
        request = f"Write a song about {topic}." if topic else "Write a song."
        ids = self.tokenizer.encode(format_chat([{"role": "user", "content": request}]))
        state = self.lm.start(ids[:-1])
        out = []
        for first in range(0, len(lines), 16):
            chunk = [
                self.tokenizer.encode(" ".join(line.split()) + "\n", allow_control=False)
                for line in lines[first : first + 16]
            ]
            width = max(len(tokens) for tokens in chunk)
            x = torch.zeros((len(chunk), width + 1), dtype=torch.long)
            x[:, 0] = ids[-1]
            for row, tokens in enumerate(chunk):
                x[row, 1 : len(tokens) + 1] = torch.tensor(tokens)
            hidden = self.lm.layers(self.lm.embed(x), state.position, 0, self.lm.n_layers, past=state)
            logprobs = torch.log_softmax(self.lm.logits(hidden[:, :-1]).float(), dim=-1)
            for row, tokens in enumerate(chunk):
                out.append(float(logprobs[row, torch.arange(len(tokens)), torch.tensor(tokens)].mean()))
        return out


def score(songs: list[dict], topics: list[str]) -> dict:
    model = ChatModel.load(weights="float32")
    judge, scorer, words = Judge(model), Scorer(model), Pronouncing.shared()
    lines = [line for song in songs for line in song["lines"] if line.strip()]
    by_topic = {topic: judge.scores(topic, lines) for topic in topics}
    no_topic = judge.scores(None, lines)
    index = 0
    for song in songs:
        song["judged"] = []
        for line in song["lines"]:
            if not line.strip():
                song["judged"].append(None)
                continue
            own = by_topic[song["topic"]][index]
            rank = 1 + sum(by_topic[other][index] > own for other in topics if other != song["topic"])
            named = bool(set(words_in(line)) & subject_words(song["topic"]))
            song["judged"].append({"rank": rank, "lift": round(own - no_topic[index], 3), "names_topic": named})
            index += 1
    judged = [j for song in songs for j in song["judged"] if j]
    fit = sum(words.line_syllables(line) == n for song in songs for line, n in zip(song["lines"], COUNTS, strict=False))
    rhymed = pairs = 0
    for song in songs:
        for a, b in zip(song["lines"][0::2], song["lines"][1::2], strict=False):
            pairs += 1
            rhymed += bool(words_in(a) and words_in(b) and words.rhymes(words_in(a)[-1], words_in(b)[-1]))
    return {
        "lines": len(judged),
        "empty_lines": sum(not line.strip() for song in songs for line in song["lines"]),
        "judged_on_topic": f"{sum(j['rank'] == 1 for j in judged)} of {len(judged)}",
        "judged_on_topic_or_second": f"{sum(j['rank'] <= 2 for j in judged)} of {len(judged)}",
        "lifted_by_topic": f"{sum(j['lift'] > 0.1 for j in judged)} of {len(judged)}",
        "names_the_topic": f"{sum(j['names_topic'] for j in judged)} of {len(judged)}",
        "judged_on_topic_per_song": {
            f"{song['topic']} ({song['seed']})": sum(bool(j) and j["rank"] == 1 for j in song["judged"]) for song in songs
        },
        "syllable_fit": f"{fit} of {sum(len(song['lines']) for song in songs)}",
        "rhymed_pairs": f"{rhymed} of {pairs}",
        "median_perplexity": round(statistics.median(scorer.perplexities(lines)), 1),
        "cpu_seconds_writing": round(sum(song.get("cpu", 0.0) for song in songs), 1),
    } | hanging(scorer, lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", default="1", help="comma-separated seeds (each writes every topic)")
    parser.add_argument("--songs", type=Path, help="score these songs (a JSON list, as --out writes) instead")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/topic_adherence.json")
    args = parser.parse_args()
    torch.manual_seed(0)
    if args.songs:
        songs = json.loads(args.songs.read_text())
        songs = songs["songs"] if isinstance(songs, dict) else songs
    else:
        songs = write_songs([int(s) for s in args.seeds.split(",")], TOPICS)
    summary = score(songs, TOPICS)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"summary": summary, "songs": songs}, indent=1, ensure_ascii=False) + "\n")
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
