"""Fakes at Reelbot's ports, shared by the tests: stand-ins for engines and for the chat services.

The service fakes (``telegram_api``, ...) speak the real wire contract of the service they replace, so
integration tests drive the real client libraries against them.
"""
