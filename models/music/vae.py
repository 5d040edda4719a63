"""A small melody VAE (2 bars of 4/4 on a sixteenth-note grid) for morphing one melody into another.

As in Magenta's MusicVAE, a bidirectional GRU encodes a melody to a Gaussian latent code and a GRU
decoder, conditioned on the code, writes it back one step at a time. Each step is a class: "hold"
(the previous note goes on), "rest", or a pitch from an octave below to two octaves above the
tonic. Interpolating between the codes of two melodies (spherically) and decoding gives a smooth
morph. Small enough to train on the CPU in minutes.
"""

from __future__ import annotations

import math
import os
import threading
import time

import numpy as np
import torch
from torch import nn

from models.checkpoint import load_checkpoint, save_checkpoint
from models.jobs import Job, Progress, Result, check_cancelled
from models.music import tokens
from models.music.constrained import Event
from models.music.corpus import RESOURCE_DIR, Tune
from models.music.melody import Melody

KIND = "melody-vae"
VAE_PATH = RESOURCE_DIR / "vae.safetensors"
STEP_TICKS = 6  # a sixteenth note
STEPS = 32  # two bars of 4/4
WINDOW_TICKS = STEP_TICKS * STEPS
HOLD, REST, LOWEST = 0, 1, -12
N_PITCHES = 37  # -12 .. +24 semitones from the tonic
N_CLASSES = 2 + N_PITCHES


class MelodyVAE(nn.Module):
    def __init__(self, embed: int = 48, hidden: int = 128, latent: int = 32) -> None:
        super().__init__()
        self.config = {"embed": embed, "hidden": hidden, "latent": latent}
        self.embed = nn.Embedding(N_CLASSES + 1, embed)  # the extra class is "start"
        self.encoder = nn.GRU(embed, hidden, batch_first=True, bidirectional=True)
        self.to_latent = nn.Linear(2 * hidden, 2 * latent)
        self.to_hidden = nn.Linear(latent, hidden)
        self.decoder = nn.GRU(embed + latent, hidden, batch_first=True)
        self.out = nn.Linear(hidden, N_CLASSES)

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        _, h = self.encoder(self.embed(x))
        mu, logvar = self.to_latent(torch.cat([h[0], h[1]], dim=-1)).chunk(2, dim=-1)
        return mu, logvar.clamp(-8, 8)

    def decode_logits(self, z: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
        """Teacher-forced logits (B, STEPS, C) for targets x."""
        start = torch.full((x.shape[0], 1), N_CLASSES, dtype=torch.long, device=x.device)
        inputs = self.embed(torch.cat([start, x[:, :-1]], dim=1))
        inputs = torch.cat([inputs, z[:, None, :].expand(-1, x.shape[1], -1)], dim=-1)
        output, _ = self.decoder(inputs, torch.tanh(self.to_hidden(z))[None])
        return self.out(output)

    @torch.no_grad()
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Greedy decoding (B, STEPS); the first step is never "hold"."""
        h = torch.tanh(self.to_hidden(z))[None]
        previous = torch.full((z.shape[0],), N_CLASSES, dtype=torch.long, device=z.device)
        steps = []
        for t in range(STEPS):
            output, h = self.decoder(torch.cat([self.embed(previous), z], dim=-1)[:, None], h)
            logits = self.out(output[:, 0])
            if t == 0:
                logits[:, HOLD] = -math.inf
            previous = logits.argmax(-1)
            steps.append(previous)
        return torch.stack(steps, dim=1)


def tune_windows(tune: Tune) -> list[np.ndarray]:
    """Every 2-bar window of a tune in 4/4, 2/2 or 2/4 that sits on the sixteenth grid, as step classes."""
    if tune.meter.bar_ticks not in (48, 96):
        return []
    reference = tokens.REFERENCE_TONIC + tune.tonic
    end = max(o + d for o, d, _ in tune.notes)
    windows = []
    for start in range(0, end - WINDOW_TICKS + 1, tune.meter.bar_ticks):
        steps = np.full(STEPS, REST, dtype=np.int64)
        ok, n_notes = True, 0
        for onset, duration, pitch in tune.notes:
            if onset + duration <= start or onset >= start + WINDOW_TICKS:
                continue
            if onset % STEP_TICKS or duration % STEP_TICKS:
                ok = False
                break
            first = (onset - start) // STEP_TICKS
            last = min((onset + duration - start) // STEP_TICKS, STEPS)
            if pitch < 0:
                steps[max(first, 0):last] = REST
                continue
            offset = int(np.clip(pitch - reference, LOWEST, LOWEST + N_PITCHES - 1))
            steps[max(first, 0):last] = HOLD
            steps[max(first, 0)] = 2 + offset - LOWEST
            n_notes += first >= 0
        if ok and n_notes >= 4 and steps[0] != HOLD:
            windows.append(steps)
    return windows


def melody_steps(melody: Melody, start: int = 0) -> np.ndarray:
    """Two 4/4 bars of a melody from tick `start` as step classes (the melody must be in a 96- or 48-tick metre)."""
    reference = tokens.REFERENCE_TONIC + melody.tonic
    steps = np.full(STEPS, REST, dtype=np.int64)
    for e in melody.events:
        if e.onset < start:
            continue
        first = (e.onset - start) // STEP_TICKS
        if first >= STEPS:
            break
        last = min((e.onset + e.ticks - start) // STEP_TICKS, STEPS)
        pitch = tokens.symbol_to_pitch(e.symbol, melody.tonic, melody.mode)
        if pitch is None:
            continue
        steps[first:last] = HOLD
        steps[first] = 2 + int(np.clip(pitch - reference, LOWEST, LOWEST + N_PITCHES - 1)) - LOWEST
    return steps


def steps_to_events(steps: np.ndarray, tonic: int, mode: str) -> list[Event]:
    """Step classes -> token events: notes split at bar lines, lengths snapped down to token durations."""
    reference = tokens.REFERENCE_TONIC + tonic
    runs: list[tuple[int, int, int | None]] = []  # (first step, length, pitch or None)
    for t, c in enumerate(int(s) for s in steps):
        if c == HOLD and runs and runs[-1][2] is not None and t % 16 != 0:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1, runs[-1][2])
        elif c == HOLD and runs and runs[-1][2] is not None:
            runs.append((t, 1, runs[-1][2]))  # a bar line: the note is struck again
        elif c in (HOLD, REST):
            if runs and runs[-1][2] is None and t % 16 != 0:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1, None)
            else:
                runs.append((t, 1, None))
        else:
            runs.append((t, 1, reference + c - 2 + LOWEST))
    events = []
    for first, length, pitch in runs:
        onset, remaining = first * STEP_TICKS, length * STEP_TICKS
        while remaining > 0:
            fitting = max(d for d in tokens.DURATIONS if d <= remaining and d % STEP_TICKS == 0)
            symbol = tokens.REST if pitch is None else tokens.pitch_to_symbol(pitch, tonic, mode)[0]
            events.append(Event(onset, symbol, tokens.DURATIONS.index(fitting)))
            onset, remaining, pitch = onset + fitting, remaining - fitting, None  # the remainder is a rest
    return events


def slerp(a: torch.Tensor, b: torch.Tensor, fraction: float) -> torch.Tensor:
    omega = torch.arccos(torch.clamp(torch.dot(a / a.norm(), b / b.norm()), -1.0, 1.0))
    if omega.abs() < 1e-6:
        return (1 - fraction) * a + fraction * b
    return (torch.sin((1 - fraction) * omega) * a + torch.sin(fraction * omega) * b) / torch.sin(omega)


def interpolate(vae: MelodyVAE, a: Melody, b: Melody, n: int) -> list[Melody]:
    """`n` two-bar melodies morphing from `a` to `b` (both ends included), in a's key, mode and tempo."""
    if n < 2:
        raise ValueError("ask for at least 2 melodies (the two ends)")
    for melody in (a, b):
        if melody.meter.bar_ticks not in (48, 96):
            raise ValueError("interpolation works on melodies in 4/4, 2/2 or 2/4")
    vae.eval()
    with torch.no_grad():
        codes = [vae.encode(torch.as_tensor(melody_steps(m))[None])[0][0] for m in (a, b)]
        z = torch.stack([slerp(codes[0], codes[1], i / (n - 1)) for i in range(n)])
        decoded = vae.decode(z).numpy()
    meter = tokens.Meter(4, 4)
    return [Melody(steps_to_events(steps, a.tonic, a.mode), a.tonic, a.mode, meter, 2, a.tempo, "vae", i, a.humanize)
            for i, steps in enumerate(decoded)]


def end_on_tonic(events: list[Event], tonic: int, mode: str, meter: tokens.Meter,
                 pitch_range: tuple[int, int] | None = None) -> list[Event]:
    """The same notes with the last one moved to the nearest tonic (inside `pitch_range` when one is),
    held through any rests after it in its bar, so the melody closes on the tonic as a generated one does:
    from the last closing place of the bar at or before it (`Meter.closing_onsets`), the notes after that place
    giving way. The VAE ends where the corpus's tunes do, before their pickup: all nine in-betweens of two
    closing tunes ended on beat 4 or its last eighth."""
    bar_ticks = meter.bar_ticks
    notes = [i for i, e in enumerate(events) if e.symbol != tokens.REST]
    if not notes:
        return events
    last = events[notes[-1]]
    written = tokens.symbol_to_pitch(last.symbol, tonic, mode)
    assert written is not None  # `notes` indexes note events, never rests
    tonics = [tokens.REFERENCE_TONIC + tonic + 12 * octave for octave in range(-4, 5)]
    inside = [p for p in tonics if pitch_range is None or pitch_range[0] <= p <= pitch_range[1]]
    pitch = min(inside or tonics, key=lambda p: (abs(p - written), p))
    end = events[-1].onset + events[-1].ticks
    held = end - last.onset
    fits = held in tokens.DURATIONS and last.onset // bar_ticks == (end - 1) // bar_ticks
    symbol = tokens.pitch_to_symbol(pitch, tonic, mode)[0]
    bar_start = end - bar_ticks
    places = [bar_start + p for p in meter.closing_onsets() if bar_start + p <= last.onset]
    if places and end - max(places) in tokens.DURATIONS:
        place = max(places)
        before = [e for e in events if e.onset < place]
        crossing = before[-1].onset + before[-1].ticks - place if before else 0
        if crossing <= 0 or place - before[-1].onset in tokens.DURATIONS:  # a note sounding at the place is cut there
            if crossing > 0:
                before[-1] = Event(before[-1].onset, before[-1].symbol, tokens.DURATIONS.index(place - before[-1].onset))
            return before + [Event(place, symbol, tokens.DURATIONS.index(end - place))]
    closing = Event(last.onset, symbol, tokens.DURATIONS.index(held) if fits else last.duration)
    return events[: notes[-1]] + [closing] + ([] if fits else events[notes[-1] + 1:])


def morph(vae: MelodyVAE, a: Melody, b: Melody, count: int, close_on_tonic: bool = False,
          pitch_range: tuple[int, int] | None = None) -> list[Melody]:
    """`count` melodies on the way from `a` to `b` (the two ends left out), each as long as `a`.

    Every two bars are morphed on their own (their codes interpolated spherically and decoded), so the
    in-between melodies follow both melodies phrase by phrase rather than only their first two bars.
    With `close_on_tonic` (the request's "End on the tonic") each ends on the tonic like a generated one.
    """
    if not 1 <= count <= 16:
        raise ValueError("ask for between 1 and 16 in-between melodies")
    if a.meter.bar_ticks != 96 or b.meter.bar_ticks != 96:
        raise ValueError("morphing works on melodies in 4/4 or 2/2")
    if a.bars != b.bars or a.bars % 2:
        raise ValueError("morphing needs two melodies with the same even number of bars")
    starts = range(0, a.total_ticks, WINDOW_TICKS)
    fractions = [(i + 1) / (count + 1) for i in range(count)]
    vae.eval()
    with torch.no_grad():
        codes = [vae.encode(torch.as_tensor(np.stack([melody_steps(m, start) for start in starts])))[0] for m in (a, b)]
        z = torch.stack([slerp(codes[0][w], codes[1][w], f) for f in fractions for w in range(len(starts))])
        decoded = vae.decode(z).numpy().reshape(count, len(starts), STEPS)
    melodies = []
    for windows in decoded:
        events = [Event(e.onset + start, e.symbol, e.duration) for start, steps in zip(starts, windows, strict=True)
                  for e in steps_to_events(steps, a.tonic, a.mode)]
        if close_on_tonic:
            events = end_on_tonic(events, a.tonic, a.mode, a.meter, pitch_range)
        melodies.append(Melody(events, a.tonic, a.mode, a.meter, a.bars, a.tempo, a.style, a.seed, a.humanize))
    return melodies


def save_vae(vae: MelodyVAE, path: str | os.PathLike = VAE_PATH, training: dict | None = None) -> None:
    save_checkpoint(path, vae.state_dict(), kind=KIND, hyperparameters=vae.config, training=training or {})


def load_vae(path: str | os.PathLike = VAE_PATH) -> MelodyVAE:
    checkpoint = load_checkpoint(path, kind=KIND)
    vae = MelodyVAE(**{k: int(v) for k, v in checkpoint.hyperparameters.items()})
    from models.checkpoint import check_shapes

    check_shapes(checkpoint.tensors, {k: tuple(v.shape) for k, v in vae.state_dict().items()}, os.fspath(path))
    vae.load_state_dict(checkpoint.tensors)
    return vae.eval()


def train_vae_job(train: np.ndarray, valid: np.ndarray, *, minutes: float = 5.0, batch: int = 128, beta: float = 0.2,
                  free_nats: float = 8.0, seed: int = 0, cancel: threading.Event | None = None) -> Job:
    """Train on (N, STEPS) step-class windows for a time budget; Result is (vae, summary dict)."""
    torch.manual_seed(seed)
    vae = MelodyVAE()
    optimiser = torch.optim.Adam(vae.parameters(), lr=2e-3)
    x_train, x_valid = torch.as_tensor(train), torch.as_tensor(valid)
    generator = torch.Generator().manual_seed(seed)
    began, step, history = time.time(), 0, []
    while time.time() - began < 60 * minutes:
        check_cancelled(cancel)
        vae.train()
        index = torch.randint(0, len(x_train), (batch,), generator=generator)
        x = x_train[index]
        mu, logvar = vae.encode(x)
        z = mu + torch.randn(mu.shape, generator=generator) * (0.5 * logvar).exp()
        reconstruction = nn.functional.cross_entropy(vae.decode_logits(z, x).transpose(1, 2), x, reduction="sum") / batch
        kl = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).sum(-1).mean()
        warmup = min(1.0, step / 2000)
        loss = reconstruction + beta * warmup * torch.clamp(kl, min=free_nats)
        optimiser.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(vae.parameters(), 1.0)
        optimiser.step()
        step += 1
        if step % 100 == 0:
            history.append({"step": step, "reconstruction": round(reconstruction.item(), 3), "kl": round(kl.item(), 3)})
            yield Progress(min(1.0, (time.time() - began) / (60 * minutes)),
                           f"step {step}: reconstruction {reconstruction.item():.2f} nats, KL {kl.item():.2f}")
    vae.eval()
    with torch.no_grad():
        mu, _ = vae.encode(x_valid)
        accuracy = float((vae.decode(mu) == x_valid).float().mean())
    summary = {"steps": step, "minutes": round((time.time() - began) / 60, 1), "train_windows": len(train),
               "valid_windows": len(valid), "valid_reconstruction_accuracy": round(accuracy, 4),
               "history": history[-5:]}
    yield Result((vae, summary))
