"""The vocabulary every side of Reelbot shares: the request contract and the one database writer.

A leaf package: it imports nothing from bot/, billing/ or engine/, and all three may import it.
"""
