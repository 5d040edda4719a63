"""The Chat tab's orchestration: what a message asks for (requests) and carrying it out with the engines
(paint, music, verse). The one place in models/ where one engine calls another."""
