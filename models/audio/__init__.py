"""Turning notes into sound: FluidSynth with a General MIDI SoundFont, or a built-in synthesizer."""
