"""Stand-in for superlance: event listeners that acknowledge every event."""
