"""Shared building blocks: execution contexts, event names, emitters."""
