"""Fakes at Reelbot's ports: local stand-ins for the services the adapters talk to.

Each fake speaks the real wire contract of the service it replaces, so tests drive the real client
libraries against it; none of them imports Reelbot code.
"""
