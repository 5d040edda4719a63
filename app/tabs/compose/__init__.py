"""The Compose tab: generate, audition, loop, harmonize, keep and export melodies."""
