"""Shared bootstrap for nobody's ML workers."""
