"""nobody's speech-to-text worker."""
