"""Rhymes glued on: a line whose sense ended a word before its rhyme.

"I'm the one you need to know, brother", "There's no end to the road, weather", "I'm home, I'll always be mine
right": the search forced a rhyming word onto a phrase that was already whole. Read in its song, the chat model
would have ended such a line a word earlier (its end at least e^GLUE_END there, before any comma) and finds the
last word unlikely where it came (at most e^GLUE_WORD). Read off the four 16-line bench songs of session 7, each
line judged by ear first: of the 16 lines this flags, 12 sound wrong ("..., brother", "..., mother", "I'm yours
together", "here to tell you live", "I find my home tonight", "A story of ice white"), one is doubtful and 3 are
whole ("I am yours now", "you'll always be mine too", "The road is the way ahead"); a rhyme the sentence was
waiting for is not flagged ("I will not rest till I am whole": the end before "whole" was e^-6).

A rhyme is also glued on as a short clause after the phrase's comma (or stop): "I'll hold you close, I'm sold", "In
the end, you're deep", "A song of love, it's a war", "The winter, I'm the one, in deep". There the end right before
the last word is unlikely ("I'm" wants a word after it), so the test above misses it; the line could have ended at
its last comma or stop, and its last word is far less likely where it came (at most e^GLUE_TAIL_WORD). Read off
session 16's stored bench lines (four 16-line songs, 20 lyric lines) after judging them by ear: of the 84, 11 are
flagged so, 10 of them wrong ("it's black", "I'm sold", "in the night below", "I am close", "to the moon's gone",
"it's just me, see", "in the snow. The town"), one whole ("The seas are my home, they're everywhere", e^-8.3); whole
tails with a rare word stay ("The sea's my home, I'll be fine" e^-7.2, "you're free" e^-7.2, "the moon is turning"
e^-7.0). docs/chat-engine.md (session 17) measures it on the writer.

    glued_on(pieces, tokens, token_logprobs, end_logprobs)    # one line, read in its song by `read_in_song`
"""

from __future__ import annotations

import re

import torch

from models.verse.lm_decoder import DecodeState, FrozenLM

# such a line's rank pays as an end this many nats short of the floor would (`HANG_COST` per nat), and it counts
# as hanging, so the song writer tries its wider searches and other pairs for it
GLUED_RHYME_NATS = 2.0
GLUE_END = -2.0  # the line could have ended a word earlier: its end at least this likely there
GLUE_WORD = -4.5  # and its last word at most this likely where it came
GLUE_TAIL_WORD = -7.5  # after a comma where the line could have ended, a last word this unlikely is glued on
_LETTERS = re.compile("[A-Za-z]")
_PUNCTUATION = re.compile(r"^[,.!?;:]$")


def glued_on(pieces: list[str], tokens: list[int], token_logprobs: list[float], end_logprobs: list[float]) -> bool:
    """Whether a finished line (its tokens, its end token last) glued its last word on. `token_logprobs[j]`: the
    model's log-probability of tokens[j] in the line's song; `end_logprobs[j]`: of a line end in its place."""
    last = len(tokens)  # past the last word: its end token and any stop or comma before it are not the word
    while last and not _LETTERS.search(pieces[tokens[last - 1]]):
        last -= 1
    start = last - 1
    while start > 0 and not pieces[tokens[start]].startswith(" "):
        start -= 1
    before = start - 1 if start > 0 and _PUNCTUATION.match(pieces[tokens[start - 1]].strip()) else start
    if last == 0 or before <= 0:  # one word: nothing before it to have ended
        return False
    word = sum(token_logprobs[start:last])
    if end_logprobs[before] >= GLUE_END and word <= GLUE_WORD:
        return True
    commas = [j for j in range(1, start) if _PUNCTUATION.match(pieces[tokens[j]].strip())]
    return bool(commas) and end_logprobs[commas[-1]] >= GLUE_END and word <= GLUE_TAIL_WORD


@torch.inference_mode()
def read_in_song(
    lm: FrozenLM, prompt: DecodeState, last_prompt_token: int, lines: list[list[int]], line_ends: torch.Tensor
) -> list[tuple[list[float], list[float]]]:
    """Each line (its tokens) read after the song so far (`prompt`: its keys and values but its last token):
    its tokens' log-probabilities and a line end's in each token's place, as `glued_on` takes them."""
    out = []
    for first in range(0, len(lines), 8):  # 8 lines at a time: a row's logits over the vocabulary are 0.2 MB a token
        chunk = lines[first : first + 8]
        ids = torch.zeros((len(chunk), 1 + max(map(len, chunk))), dtype=torch.long)
        ids[:, 0] = last_prompt_token
        for row, tokens in enumerate(chunk):
            ids[row, 1 : len(tokens) + 1] = torch.tensor(tokens, dtype=torch.long)
        hidden = lm.layers(lm.embed(ids[:, :-1]), prompt.position, 0, lm.n_layers, past=prompt)
        logprobs = torch.log_softmax(lm.logits(hidden), dim=-1)
        ends = torch.logsumexp(logprobs[:, :, line_ends], dim=-1)
        read = logprobs.gather(-1, ids[:, 1:, None])[..., 0]
        out += [(read[row, : len(t)].tolist(), ends[row, : len(t)].tolist()) for row, t in enumerate(chunk)]
    return out
