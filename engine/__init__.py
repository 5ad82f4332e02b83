"""Reelbot engine: model presets, the diffusers video engine, video io, and the job queue.

Imports nothing from `bot/` or `billing/`: it takes job descriptions and returns clips.
"""
