"""Lines with a form, written by the chat model under constraints: exact syllables, stress on strong
beats where the dictionary knows it, a rhyme, a word count, a subject word.

Beam search over tokens: each beam expands into its most likely next tokens, and a token is kept only
if the line can still meet the form (a finished word may not overflow the syllable count; the line may
end only on the exact count, on a rhyming word). When a rhyme is needed, every beam may also finish at
once on a rhyming word that fills the line (the model's own probability of that word decides). The
finished lines are then scored exactly by the model and the most fluent is kept.

    writer = FormWriter(chat_model)
    writer.line(LineForm(syllables=8, rhyme_with="sea"), prompt_ids)

The form itself (`LineForm`) and the word lists its checks use are in models/verse/line_form.py, the words a line
cannot stop on in end_words.py, the stress check in stress.py; the search's records (`Beam`, `Ranked`) in beam.py.

Speed: the prompt is read once (and a song's next line reads only the line before it); every open beam
then takes each step together, attending to the prompt's shared keys and values plus its own few tokens.
"""

from __future__ import annotations

import re

import torch

from models.verse.beam import Beam, Ranked, token_pieces
from models.verse.end_words import needs_a_word_after
from models.verse.glued_rhymes import GLUED_RHYME_NATS, glued_on, read_in_song
from models.verse.line_ends import LineEnds
from models.verse.line_form import (
    DANGLING_FLOOR,
    FUNCTION_WORDS,
    NOT_WORDS,
    OLD_WORDS,
    LineForm,
    normalise,
    tidy,
)
from models.verse.line_shapes import settles_opening
from models.verse.lm_decoder import DecodeState, FrozenLM
from models.verse.pronounce import Pronouncing, words_in
from models.verse.stress import stress_fits
from models.verse.verbs import string_of_nouns
from models.verse.word_order import breaks_word_order

_NEW_WORD = re.compile(r"^ [A-Za-z]+(?:'[a-z]+)?$")
_WORD_PIECE = re.compile(r"^[A-Za-z]+(?:'[a-z]*)?$|^'[a-z]+$")
_PUNCTUATION = re.compile(r"^[,.!?;]$")
_WORD_GOES_ON = re.compile(r"^[a-z]+$")  # a piece that carries on the word before it ("Tran" + "quility")
RHYME_FLOOR = -9.0  # a rhyming word less likely than this (log-probability) is not forced in
REPEAT_PENALTY = 1.0  # nats off the tokens of earlier lines' content words
WORN_PENALTY = 2.0  # nats more off the tokens of words the song has said in many lines (`LineForm.worn`)
OPENER_PENALTY = 3.0  # nats off a line's first token when its song opened lines so often (`LineForm.openers`)
TOPIC_BONUS = 1.5  # nats added to the tokens of the topic's words (the 135M model drifts to its stock lines)
STALE_PENALTY = 2.0  # nats off a line each time it says a word pair said before ("in my arms", "the only")
# nats off a line that opens in a shape its song said often (`LineForm.stale_openings`), once the shape is settled:
# ranking alone did not stop the open road's twelve-line "The sun's on it / The wind's on it" (every candidate in it)
STALE_OPENING_PENALTY = 3.0
TOPIC_LINE_BONUS = 0.3  # added to a finished line's mean log-probability per token when it names the topic
READ_ALONE = 16  # a rhymed sung line's best candidates whose ends are also read alone (the rest are dropped)
# a rhymed line whose end read alone is less likely than this is refused, not ranked lower: of the 13 lines of three
# bench runs of session 10 (four 16-line songs each) that ended below e^-4 alone, 12 were wrong read aloud ("The
# moon is a mirror, meets" e^-6.9, "A tale of laughter and tears, a part" e^-6.1, "Ladies and gentlemen, never"
# e^-4.2; whole: "In the dark, I see" e^-4.4); the search then tries another pair, a rarer rhyme, or none
BADLY_HANGING = -4.0


class FormWriter:
    def __init__(self, chat_model, words: Pronouncing | None = None, beams: int = 6, expand: int = 24) -> None:
        self.tokenizer = chat_model.tokenizer
        self.lm = FrozenLM(chat_model.runner)
        self.words = words or Pronouncing.shared()
        self.beams, self.expand = beams, expand
        self.newline = self.tokenizer.encode("\n", allow_control=False)[0]
        self.end_ids = {self.newline} | set(getattr(chat_model, "stop_ids", set()))
        self.pieces = token_pieces(self.tokenizer)
        self.word_goes_on = torch.tensor([i for i, p in enumerate(self.pieces) if _WORD_GOES_ON.match(p)])
        # what may come where a line ends: its end, a stop, a comma ("," ".\n")
        stops = {i for i, p in enumerate(self.pieces) if _PUNCTUATION.match(p.rstrip("\n"))}
        self.line_ends = torch.tensor(sorted(self.end_ids | stops))
        self.ends_alone = LineEnds(self.lm, self.tokenizer, self.line_ends)
        self._rhyme_cache: dict[str, list[tuple[str, int, int]]] = {}
        self._prompt_cache: tuple[list[int], DecodeState | None] = ([], None)

    # -- the form's checks --------------------------------------------------------------------------
    def _finish_word(self, form: LineForm, beam: Beam) -> tuple[int, list[str]] | None:
        """Syllables and words once the beam's partial word is finished; None if that breaks the form."""
        if not beam.partial:
            return beam.done_syllables, beam.words
        word = beam.partial.lower()
        if word in beam.words and (word not in FUNCTION_WORDS or beam.words.count(word) >= 2):  # "tail tail tail"
            return None
        # made up ("Remnall": the dictionary's 125,000 only), or English no one speaks ("I'll be with ye")
        if not self.words.knows(word) or word in NOT_WORDS or word in OLD_WORDS:
            return None
        if breaks_word_order(beam.words, word):  # "The road's ain't", "you've always know"
            return None
        count = self.words.syllables(word)
        if form.syllables is not None and beam.done_syllables + count > form.syllables:
            return None
        if form.syllables is not None and not stress_fits(self.words, form.strong, word, beam.done_syllables):
            return None
        if form.refuse is not None and form.refuse([*beam.words, word], False):
            return None
        return beam.done_syllables + count, beam.words + [word]

    @staticmethod
    def _stale_cost(form: LineForm, beam: Beam | None, words: list[str]) -> float:
        """What the word just finished costs if it makes a word pair said before (none off the topic's), or settles
        an opening shape said often.
        `beam` None: the last word was just added; else only when the beam had a word to finish."""
        if len(words) < 2 or (beam is not None and not beam.partial):
            return 0.0
        pair = (words[-2], words[-1])
        cost = STALE_PENALTY if pair in form.stale and not set(pair) & form.topic else 0.0
        if form.stale_openings and settles_opening(words) in form.stale_openings:
            cost += STALE_OPENING_PENALTY
        return cost

    def _may_end(self, form: LineForm, syllables: int, words: list[str], text: str) -> bool:
        if not words or not (form.words[0] <= len(words) <= form.words[1]):
            return False
        if form.syllables is not None and syllables != form.syllables:
            return False
        last = words[-1]
        if last in form.end_avoid:  # "tomorrow / tomorrow": the same last word again reads as no rhyme at all
            return False
        if form.rhyme_with and self.words.knows(form.rhyme_with) and not self.words.rhymes(last, form.rhyme_with):
            return False
        if form.rhyme_source and len(self._rhymes_of(last)) < 4:
            return False
        if needs_a_word_after(words):  # "the only", "it's", "a long": cut off, however likely the model finds it
            return False
        if form.include_any and not form.include_any & set(words):
            return False
        if normalise(text) in form.avoid:
            return False
        if form.refuse is not None and form.refuse(words, True):
            return False
        # not the same line again in other words: at most a third of its content words from any earlier line
        content = set(words) - FUNCTION_WORDS
        return all(len(content & set(earlier.split())) <= form.overlap * max(len(content), 1) for earlier in form.avoid)

    def may_end_with(self, form: LineForm, text: str) -> bool:
        """Whether a line written earlier (a spare) keeps the form: its count, rhyme, end and overlap rules."""
        return self._may_end(form, self.words.line_syllables(text), words_in(text), text)

    def _cuts_a_word(self, beam: Beam, logprobs: torch.Tensor) -> bool:
        """Whether ending the line now would cut its last word off ("The Sea of Tran", a dictionary word): the
        model would rather carry on the word than end the line."""
        if not beam.partial:
            return False
        goes_on = torch.logsumexp(logprobs[self.word_goes_on], dim=0)
        return bool(goes_on > logprobs[sorted(self.end_ids)].max())

    def _stops_short(self, form: LineForm, beam: Beam, logprobs: torch.Tensor, raw: torch.Tensor) -> bool:
        """Whether ending the line now would cut it off: mid-word ("The Sea of Tran"), or, where the form sets a
        floor (sung lines), mid-thought ("a story, a true": the model gives the line's end less than e^floor
        in `raw`, its log-probabilities before any bonus or penalty)."""
        if form.end_floor is not None and float(torch.logsumexp(raw[self.line_ends], dim=0)) < form.end_floor:
            return True
        return (form.syllables is None or form.end_floor is not None) and self._cuts_a_word(beam, logprobs)

    def _hang_cost(self, form: LineForm, raw: torch.Tensor) -> float:
        """What ending the line now costs its rank where the form asks it softly (`hang_cost`): so much mean
        log-probability per token for each nat the model's probability of the line's end (in `raw`) falls short
        of e^DANGLING_FLOOR. A rhymed line keeps its rhyme, but of the rhyming lines found, those whose last word
        finishes the phrase win ("...a story, a true" ends at e^-4)."""
        if not form.hang_cost:
            return 0.0
        end = float(torch.logsumexp(raw[self.line_ends], dim=0))
        return form.hang_cost * max(0.0, DANGLING_FLOOR - end)

    @staticmethod
    def _owed(form: LineForm, beam: Beam, text: str) -> tuple[float, float]:
        """What the words `text` (the beam's, one step on) cost where the form asks it (`verbless_cost`): the cost
        while they are a string of nouns, given back once a verb comes ("In the night," pays, "In the night, I
        soar" does not). The change to the beam's score, and what the new beam owes."""
        owed = form.verbless_cost if form.verbless_cost and string_of_nouns(text) else 0.0
        return beam.owed - owed, owed

    def _expand(
        self, form: LineForm, beam: Beam, token: int, logprob: float, cut: bool = False, hang: float = 0.0
    ) -> tuple[str, Beam] | None:
        """("open", beam), ("done", beam) or None when the token breaks the form (`cut`: ending here would cut
        the line off, see `_stops_short`; `hang`: what ending here costs, see `_hang_cost`)."""
        piece = self.pieces[token]
        score = beam.score + logprob
        if beam.must_end:
            if token not in self.end_ids or cut:
                return None
            done = Beam(beam.tokens + [token], beam.text, score, beam.done_syllables, "", beam.words)
            done.hang = beam.hang + hang
            return "done", done
        if token in self.end_ids or piece.endswith("\n") and _PUNCTUATION.match(piece.rstrip("\n") or ","):
            if cut:
                return None
            finished = self._finish_word(form, beam)
            if finished is None or not self._may_end(form, *finished, beam.text):
                return None
            score -= self._stale_cost(form, beam, finished[1])
            # a stop at the line's end finishes no piece ("In the moonlight." is one)
            change, owed = self._owed(form, beam, beam.text.rstrip(",.;:!? "))
            done = Beam(beam.tokens + [token], beam.text, score + change, finished[0], "", finished[1])
            done.hang, done.owed = beam.hang + hang, owed
            return "done", done
        if _NEW_WORD.match(piece) or (not beam.text and _WORD_PIECE.match(piece)):
            finished = self._finish_word(form, beam)
            if finished is None or len(finished[1]) >= form.words[1]:
                return None
            if form.syllables is not None and finished[0] >= form.syllables:
                return None
            score -= self._stale_cost(form, beam, finished[1])
            change, owed = self._owed(form, beam, beam.text)
            child = Beam(
                beam.tokens + [token], beam.text + piece, score + change, finished[0], piece.strip(), finished[1]
            )
            child.owed = owed
            return "open", child
        if _WORD_PIECE.match(piece) and beam.partial:
            partial = beam.partial + piece
            if form.syllables is not None and self.words.syllables(partial) > form.syllables - beam.done_syllables + 1:
                return None
            child = Beam(beam.tokens + [token], beam.text + piece, score, beam.done_syllables, partial, beam.words)
            child.owed = beam.owed
            return "open", child
        if _PUNCTUATION.match(piece) and beam.partial:
            finished = self._finish_word(form, beam)
            if finished is None or cut and form.end_floor is not None and finished[0] == form.syllables:
                return None
            score -= self._stale_cost(form, beam, finished[1])
            change, owed = self._owed(form, beam, beam.text + piece)
            child = Beam(beam.tokens + [token], beam.text + piece, score + change, finished[0], "", finished[1])
            child.hang = beam.hang + (hang if finished[0] == form.syllables else 0.0)  # the line's last word
            child.owed = owed
            return "open", child
        return None

    def _word_tokens(self, words: set[str]) -> set[int]:
        """The tokens that say these words whole, as they start a word (" sea", " Sea", "Sea")."""
        out = set()
        for word in words:
            for variant in (" " + word, " " + word.capitalize(), word.capitalize()):
                ids = self.tokenizer.encode(variant, allow_control=False)
                if len(ids) == 1:
                    out.add(ids[0])
        return out

    def _rhymes_of(self, word: str) -> list[tuple[str, int, int]]:
        """Common words (one token each) that rhyme with `word`: (word, token, syllables)."""
        if word not in self._rhyme_cache:
            found = []
            for candidate in self.words.rhyming_words(word):
                if candidate not in self.words.common or len(candidate) < 2:
                    continue
                ids = self.tokenizer.encode(" " + candidate, allow_control=False)
                if len(ids) == 1:
                    found.append((candidate, ids[0], self.words.syllables(candidate)))
            self._rhyme_cache[word] = found
        return self._rhyme_cache[word]

    def _rhyme_endings(
        self, form: LineForm, beam: Beam, logprobs: torch.Tensor, floor: float = RHYME_FLOOR
    ) -> list[Beam]:
        """Finish the beam at once on a rhyming word that fills the line exactly (one token words); for a pair's
        first line, on one of its likeliest words that has rhymes (else an 8-syllable first line must stop on
        such a word by itself, and a lighthouse poem found one candidate in 10 beams)."""
        if not (form.rhyme_with or form.rhyme_source) or form.syllables is None or not beam.text:
            return []
        finished = self._finish_word(form, beam)
        if finished is None:
            return []
        left = form.syllables - finished[0]
        if not 1 <= left <= 3:
            return []
        out = []
        endings = self._rhymes_of(form.rhyme_with) if form.rhyme_with else self._rhymable(logprobs)
        for word, token, count in endings:
            if count != left or logprobs[token] < floor or not stress_fits(self.words, form.strong, word, finished[0]):
                continue
            if word in finished[1] and word not in FUNCTION_WORDS or word in OLD_WORDS:  # "I'll sail sail", "ye"
                continue
            if breaks_word_order(finished[1], word):  # "you've always know"
                continue
            words = finished[1] + [word]
            text = beam.text + " " + word
            if self._may_end(form, form.syllables, words, text):
                stale = self._stale_cost(form, beam, finished[1]) + self._stale_cost(form, None, words)
                change, owed = self._owed(form, beam, text)
                score = beam.score + float(logprobs[token]) - stale + change
                ending = Beam(beam.tokens + [token], text, score, form.syllables, "", words, must_end=True)
                ending.owed = owed
                out.append(ending)
        return sorted(out, key=lambda b: -b.score)[:2]

    def _rhymable(self, logprobs: torch.Tensor, top: int = 48) -> list[tuple[str, int, int]]:
        """The likeliest next words (one token, common) that have rhymes enough to end a pair's first line."""
        out = []
        for token in torch.topk(logprobs, top).indices.tolist():
            word = self.pieces[token].strip().lower()
            if _NEW_WORD.match(self.pieces[token]) and word in self.words.common and len(self._rhymes_of(word)) >= 4:
                out.append((word, token, self.words.syllables(word)))
        return out

    def _cannot_end(self, form: LineForm, beam: Beam) -> bool:
        """Whether the beam's words already fill the syllable count on a word the line may not end on ("In the
        twilight, the", "The seasons, they are" for five syllables): no word may follow, and no end is allowed."""
        if form.syllables is None or beam.must_end:
            return False
        finished = self._finish_word(form, beam)
        return finished is not None and finished[0] == form.syllables and not self._may_end(form, *finished, beam.text)

    def _keep(self, form: LineForm, grown: list[tuple[int, Beam]], beams: int) -> list[tuple[int, Beam]]:
        """The beams that go on: the `beams` best open ones that can still end, and two of those that just ended on a
        rhyme (a rare rhyming word costs more than any open beam has paid so far, and would otherwise never
        survive the cut). A beam that cannot end is dropped before it takes a place: the model's likeliest ways on
        are short words ("the", "I", "are"), and for a five-syllable haiku line all ten places went to beams at five
        syllables on such a word; the next step refused every one, and the widest search found no line at all
        (session 14: 2 haiku of 12 had an empty line)."""
        grown = sorted(grown, key=lambda item: -item[1].score)
        kept: list[tuple[int, Beam]] = []
        for item in grown:
            if len(kept) == beams:
                break
            if not item[1].must_end and not self._cannot_end(form, item[1]):
                kept.append(item)
        return kept + [item for item in grown if item[1].must_end][:2]

    # -- writing -----------------------------------------------------------------------------------
    def _prompt_state(self, prompt: list[int]) -> DecodeState:
        """The prompt but its last token, read once: a song's next line reads only the line before it."""
        head = list(prompt[:-1])
        cached_prompt, cached = self._prompt_cache
        if cached is not None and head[: len(cached_prompt)] == cached_prompt:
            if len(head) > len(cached_prompt):
                x = self.lm.embed(torch.tensor([head[len(cached_prompt) :]]))
                self.lm.layers(x, cached.position, 0, self.lm.n_layers, keep=cached)
                cached.position += x.shape[1]
            state = cached
        else:
            state = self.lm.start(head)
        self._prompt_cache = (head, state)
        return state

    def _choices(self, logprobs: torch.Tensor, expand: int, noise: float, generator) -> torch.Tensor:
        """Each row's `expand` next tokens to try: the likeliest, or with Gumbel noise a seeded draw (stochastic
        beam search). The noise is drawn for a row's 4 x `expand` likeliest tokens only: the rest of the
        49,152 would need noise larger than the gap to reach the top, and drawing it cost as much as a layer."""
        if noise <= 0:
            return torch.topk(logprobs, min(expand, logprobs.shape[-1]), dim=-1).indices
        pool = torch.topk(logprobs, min(4 * expand, logprobs.shape[-1]), dim=-1)
        uniform = torch.rand(pool.values.shape, generator=generator).clamp(1e-9, 1 - 1e-9)
        ranked = pool.values - noise * torch.log(-torch.log(uniform))
        return pool.indices.gather(-1, torch.topk(ranked, min(expand, ranked.shape[-1]), dim=-1).indices)

    @torch.inference_mode()
    def candidates(
        self,
        form: LineForm,
        prompt: list[int],
        max_tokens: int = 32,
        generator: torch.Generator | None = None,
        noise: float = 0.0,
        beams: int | None = None,
        expand: int | None = None,
        rhyme_floor: float = RHYME_FLOOR,
    ) -> list[Beam]:
        """Finished lines that keep the form, with their log-probabilities under the model (plus the topic's
        bonus, less the stale pairs' cost). All open beams take each step together, as one batch, after the
        prompt's keys and values (read once, shared). A lower `rhyme_floor` forces rarer rhymes in."""
        beams, expand = beams or self.beams, expand or self.expand
        state = self.lm.rows(self._prompt_state(prompt))
        logits = self.lm.step(state, torch.tensor([prompt[-1]]))
        open_beams = [Beam([], "", 0.0)]
        finished: list[Beam] = []
        penalty = torch.tensor(sorted(form.penalise), dtype=torch.long)
        worn = torch.tensor(sorted(form.worn), dtype=torch.long)
        openers = torch.tensor(sorted(form.openers), dtype=torch.long)
        favour = torch.tensor(sorted(self._word_tokens(form.topic)), dtype=torch.long)
        for step in range(max_tokens):
            logprobs = torch.log_softmax(logits.float(), dim=-1)
            raw = logprobs.clone() if form.end_floor is not None or form.hang_cost else logprobs
            if penalty.numel():
                logprobs[:, penalty] -= REPEAT_PENALTY
            if worn.numel():
                logprobs[:, worn] -= WORN_PENALTY
            if step == 0 and openers.numel():
                logprobs[:, openers] -= OPENER_PENALTY
            if favour.numel():
                logprobs[:, favour] += TOPIC_BONUS
            top = self._choices(logprobs, expand, noise, generator).tolist()
            grown: list[tuple[int, Beam]] = []
            for row, beam in enumerate(open_beams):
                if beam.tokens:  # a word already in this line is less likely again ("glass, glass, glass")
                    logprobs[row, torch.tensor(beam.tokens)] -= REPEAT_PENALTY
                if beam.must_end:
                    choices = [self.newline]
                else:
                    grown += [(row, child) for child in self._rhyme_endings(form, beam, logprobs[row], rhyme_floor)]
                    choices = top[row]
                row_logprobs = logprobs[row]
                cut = self._stops_short(form, beam, row_logprobs, raw[row])
                hang = self._hang_cost(form, raw[row])
                for token in choices:
                    result = self._expand(form, beam, token, float(row_logprobs[token]), cut, hang)
                    if result is None:
                        continue
                    kind, child = result
                    if kind == "done":
                        finished.append(child)
                    else:
                        grown.append((row, child))
            grown = self._keep(form, grown, beams)
            if not grown or len(finished) >= 3 * beams:
                break
            state = self.lm.select(state, torch.tensor([row for row, _ in grown]))
            open_beams = [child for _, child in grown]
            logits = self.lm.step(state, torch.tensor([b.tokens[-1] for b in open_beams]))
        unique: dict[str, Beam] = {}
        for beam in finished:
            key = normalise(beam.text)
            if key not in unique or unique[key].score < beam.score:
                unique[key] = beam
        return list(unique.values())

    def line(self, form: LineForm, prompt: list[int], seed: int = 0, variety: float = 0.6, **search) -> str | None:
        """The most fluent line that keeps the form, or None when the search found none."""
        ranked = self.ranked(form, prompt, seed, variety, **search)
        return ranked[0].text if ranked else None

    def ranked(self, form: LineForm, prompt: list[int], seed: int = 0, variety: float = 0.6, **search) -> list[Ranked]:
        """Lines that keep the form, most fluent first; `search` may widen it (beams=, expand=)."""
        generator = torch.Generator().manual_seed(seed)
        found = self.candidates(form, prompt, generator=generator, noise=variety, **search)
        if not found:  # a plainer search before giving up
            found = self.candidates(form, prompt, generator=generator, noise=0.0, **search)
        # mean log-probability per token: the line's fluency, whatever its length in tokens; and on its topic
        glued = [False] * len(found)
        if form.hang_cost and found:  # "..., brother": a rhyme glued onto a phrase already whole (glued_rhymes.py)
            rows = [b.tokens for b in found]
            read = read_in_song(self.lm, self._prompt_state(prompt), prompt[-1], rows, self.line_ends)
            glued = [glued_on(self.pieces, b.tokens, *r) for b, r in zip(found, read, strict=True)]
        hang = [b.hang + form.hang_cost * GLUED_RHYME_NATS * g for b, g in zip(found, glued, strict=True)]
        out = [
            Ranked(tidy(b.text), b.score / len(b.tokens) + TOPIC_LINE_BONUS * bool(form.topic & set(b.words)) - h, h)
            for b, h in zip(found, hang, strict=True)
        ]
        out = sorted((line for line in out if line.text), key=lambda line: -line.score)
        return self._read_alone(form, out[:READ_ALONE]) if form.hang_cost else out

    def _read_alone(self, form: LineForm, lines: list[Ranked]) -> list[Ranked]:
        """The lines' hang costs with their ends also read alone (see models/verse/line_ends.py): in its song a
        line's end is likely after the usual count of syllables whatever the words ("...the sea, a far"), alone
        only when its phrase is whole. A line pays for the less likely of the two ends; one whose end alone is
        below e^BADLY_HANGING is refused."""
        alone = self.ends_alone.logprobs([line.text for line in lines])
        out = []
        for line, end in zip(lines, alone, strict=True):
            if end < BADLY_HANGING:
                continue
            hang = max(line.hang, form.hang_cost * max(0.0, DANGLING_FLOOR - end))
            out.append(Ranked(line.text, line.score + line.hang - hang, hang))
        return sorted(out, key=lambda line: -line.score)
