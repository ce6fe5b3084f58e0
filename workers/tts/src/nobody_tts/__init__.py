"""nobody's text-to-speech worker."""
