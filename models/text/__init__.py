"""The built-in conversation model (SmolLM2 in torch, from its GGUF file) and the optional local LLM
server backend. No Qt here; verse and the creative-request orchestration live in models.verse and
models.assistant."""
