"""The tiny models' vocabularies, built in code: prompt words common enough to get their own pieces, then
single characters (and bytes, for Gemma's byte fallback), so any prompt tokenizes offline.
"""

from __future__ import annotations

import string

# Words that prompts use often get their own pieces; anything else falls back to single characters.
_WORDS = """
a an the of and or in on at to with from over under into by for as is are was be it its this that
cat dog bird fish horse car city street road river lake ocean sea beach wave waves sky cloud clouds sun
sunset sunrise moon star stars night day rain snow fog wind storm fire light lights neon forest tree trees
flower flowers field mountain mountains hill desert space planet robot man woman child people person
crowd face eyes hand hands dance dancing walking running flying swimming jumping slowly fast camera pan
zoom close up wide shot aerial drone view cinematic realistic anime style cartoon painting watercolor
red orange yellow green blue purple pink white black gold silver bright dark warm cold soft golden hour
water glass metal wood stone house room window door table chair book coffee cup food city's old new
small big tiny giant little long short high low slow motion time lapse loop seamless video clip scene
""".split()


def t5_vocabulary() -> list[tuple[str, float]]:
    """Unigram pieces and log-probabilities: T5's special tokens, then words, then single characters."""
    pieces: list[tuple[str, float]] = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("\u2581", -2.0)]
    seen = {p for p, _ in pieces}
    for word in dict.fromkeys(_WORDS):
        piece = "\u2581" + word
        if piece not in seen:
            pieces.append((piece, -4.0 - len(word) * 0.01))
            seen.add(piece)
    for ch in string.ascii_lowercase + string.ascii_uppercase + string.digits + string.punctuation:
        for piece, score in ((ch, -9.0), ("\u2581" + ch, -9.5)):
            if piece not in seen:
                pieces.append((piece, score))
                seen.add(piece)
    return pieces


def gemma_vocabulary() -> tuple[dict[str, int], list[tuple[str, str]]]:
    """A small BPE vocabulary and merges for GemmaTokenizer: Gemma's special tokens, the 256 byte-fallback
    pieces, single characters, and the common words (each after "\u2581", the space marker)."""
    vocab: dict[str, int] = {}
    for piece in ("<pad>", "<eos>", "<bos>", "<unk>", "<mask>"):
        vocab[piece] = len(vocab)
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    for ch in "\u2581" + string.ascii_lowercase + string.ascii_uppercase + string.digits + string.punctuation:
        vocab.setdefault(ch, len(vocab))
    merges: list[tuple[str, str]] = []
    for word in dict.fromkeys(_WORDS):
        piece = "\u2581"
        for ch in word:
            if piece + ch not in vocab:
                merges.append((piece, ch))
                vocab[piece + ch] = len(vocab)
            piece += ch
    return vocab, merges
