"""Rhymes glued on: a line whose sense ended a word before its rhyme.

"I'm the one you need to know, brother", "There's no end to the road, weather", "I'm home, I'll always be mine
right": the search forced a rhyming word onto a phrase that was already whole. Read in its song, the chat model
would have ended such a line a word earlier (its end at least e^GLUE_END there, before any comma) and finds the
last word unlikely where it came (at most e^GLUE_WORD). Read off the four 16-line bench songs of session 7, each
line judged by ear first: of the 16 lines this flags, 12 sound wrong ("..., brother", "..., mother", "I'm yours
together", "here to tell you live", "I find my home tonight", "A story of ice white"), one is doubtful and 3 are
whole ("I am yours now", "you'll always be mine too", "The road is the way ahead"); a rhyme the sentence was
waiting for is not flagged ("I will not rest till I am whole": the end before "whole" was e^-6).

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
    return end_logprobs[before] >= GLUE_END and sum(token_logprobs[start:last]) <= GLUE_WORD


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
