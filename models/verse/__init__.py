"""Words worth keeping: the sentence VAE, syllables and rhyme, lyrics fitted to a melody, titles and poems.
No Qt here; the conversation model itself lives in models.text."""
