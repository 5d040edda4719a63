"""The melody engine: key-free note tokens, a melody HMM, exact constrained generation, MIDI in and out."""
