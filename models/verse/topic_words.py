"""A topic's words as the chat model hears them: the words a song about it would use ("rain" -> water, wet, clouds,
storm...), read off the model's next word after three leads ("Here are words for a song about rain: the", ...), each
against the same lead with no topic. The song writer favours them, so that a song keeps to its topic once its first lines have said the
topic's own word (the titles' table of near words knows sixteen subjects; "rain", "a lost dog", "a train" had only
their own word, and a rain song went on "I hold you in my arms, it's sweet / And the night is complete").

    TopicWords(FormWriter(chat_model), words).near("a train")    # {"rail", "tracks", "railroad", "station", "wheels", ...}
"""

from __future__ import annotations

import re

import torch

from models.text.chat import format_chat
from models.verse.beam import token_pieces
from models.verse.line_form import FUNCTION_WORDS, OLD_WORDS
from models.verse.pronounce import Pronouncing

# (about the topic, with no topic): one lead alone lets in its own words ("a lost dog": "how", "next", "radio"); the
# mean over three keeps the words every lead lifts ("canine", "missing", "owner", "faithful")
LEADS = (
    ("Here are words for a song about {topic}: the", "Here are words for a song: the"),
    ("A song about {topic} uses words like", "A song uses words like"),
    ("In a song about {topic}, I sing of the", "In a song, I sing of the"),
)
# words about a song, not about its topic: the lead asks for "words for a song", and the model answers "words",
# "tune", "lines" for any topic
SONG_WORDS = set(
    "word words song songs tune tunes line lines lyrics lyric verse verses sound sounds music melody melodies "
    "refrain chorus track tracks beat beats rhythm rhyme rhymes voice title note notes anything something".split()
)
NEAR = 16  # words kept per topic
SURE = -9.0  # a word the model gives less than e^SURE after the leads (their mean) is not one of the topic's
LIFT = 1.0  # nor one the topic makes less than this many nats likelier than no topic does (the leads' mean)
_WORD = re.compile(r"^ [a-z]{3,}$")


class TopicWords:
    def __init__(self, forms, words: Pronouncing | None = None, near: int = NEAR) -> None:
        """`forms`: the song writer's FormWriter, whose batched model (`lm`) and tokenizer this reads with."""
        self.lm, self.tokenizer, self.count = forms.lm, forms.tokenizer, near
        words = words or Pronouncing.shared()
        pieces = token_pieces(self.tokenizer)
        self.pieces = pieces
        # one-token common words: the writer's bonus goes to a word's first token, and a rare word read off the
        # lead ("brine", "gale") is one the model will not sing
        self.candidates = torch.tensor(
            [
                bool(_WORD.match(p)) and (w := p.strip()) in words.common and w not in FUNCTION_WORDS | OLD_WORDS | SONG_WORDS
                for p in pieces
            ]
        )
        self._neutral: torch.Tensor | None = None
        self._cache: dict[str, set[str]] = {}

    @torch.inference_mode()
    def _next_word(self, request: str, lead: str) -> torch.Tensor:
        ids = self.tokenizer.encode(format_chat([{"role": "user", "content": request}]) + lead)
        logits = self.lm.step(self.lm.rows(self.lm.start(ids[:-1])), torch.tensor([ids[-1]]))
        return torch.log_softmax(logits.float(), dim=-1)[0]

    def near(self, topic: str) -> set[str]:
        """Up to `NEAR` words a song about the topic would use: likely after the leads (at least e^SURE), and made
        likelier by the topic (by at least LIFT nats); ranked by how much likelier, and half how likely."""
        key = " ".join(topic.lower().split())
        if key not in self._cache:
            if self._neutral is None:
                self._neutral = torch.stack([self._next_word("Write a song.", neutral) for _, neutral in LEADS])
            about = torch.stack([self._next_word(f"Write a song about {key}.", lead.format(topic=key)) for lead, _ in LEADS])
            lift = (about - self._neutral).mean(0)
            about = torch.logsumexp(about, 0) - torch.log(torch.tensor(float(len(LEADS))))
            keep = self.candidates & (about > SURE) & (lift > LIFT)
            rank = torch.where(keep, lift + 0.5 * about, torch.tensor(float("-inf")))
            top = torch.topk(rank, self.count)
            self._cache[key] = {
                self.pieces[int(i)].strip() for i, r in zip(top.indices, top.values, strict=True) if r > float("-inf")
            }
        return self._cache[key]
