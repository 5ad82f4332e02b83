"""Reelbot chat side: parsing, the conversation core, and the platform adapters."""
