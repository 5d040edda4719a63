"""The three activity tabs. Each owns one long-lived worker for its engine's jobs."""
