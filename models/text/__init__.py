"""The Chat tab's engines: the built-in conversation model (SmolLM2 in torch), the sentence VAE, the
creative-request parser and the optional local LLM server backend. No Qt here."""
