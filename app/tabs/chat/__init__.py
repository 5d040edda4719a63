"""The Chat tab: a local assistant that talks, writes lines and lyrics, and asks the other tabs for pictures and melodies."""
