"""Moderation: the one interface (bot/moderation/moderator.py) every prompt, input image and finished clip
goes through; its term lists, text views and optional classifiers; what it remembers (records.py)."""

from bot.moderation.moderator import NO_IMAGE_CLASSIFIER, Moderator, Verdict, adult_channel, decide

__all__ = ["NO_IMAGE_CLASSIFIER", "Moderator", "Verdict", "adult_channel", "decide"]
