"""Reelbot billing: plans, the price table, and the credit ledger.

Imports nothing from `bot/` or `engine/`. Credits are integers; every movement is a ledger row.
"""
