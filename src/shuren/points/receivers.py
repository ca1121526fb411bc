"""Credits from other modules' events (see the signals they document)."""
