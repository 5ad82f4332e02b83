"""bot.parse.intent_model: the learned second opinion on intent, and its weights file.

The phrasings here are new (in no corpus), so they check that the model reads vocabulary the word lists
lack, and that a scene holding bot words, addressed to nobody, stays a scene.
"""

from __future__ import annotations

import json

import pytest

import bot.parse.intent_model as intent_model
from bot.parse import parse
from bot.parse.intent_model import MODEL_PATH, SCENE, IntentModel, addressed, features
from scripts import train_intent


def test_the_committed_weights_are_what_the_corpora_train():
    """Retraining on the tuned corpora gives the committed file (same features; weights to 3 decimals, with
    room for the last digit where another libm rounds differently). K stays out of training."""
    committed = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    fresh = train_intent.train(train_intent.load_rows(train_intent.corpus_files()))
    assert committed["labels"] == fresh["labels"] == [SCENE, "balance", "cancel", "feed", "help", "plans"]
    assert set(committed["weights"]) == set(fresh["weights"])
    worst = max(
        abs(a - b)
        for feat, row in fresh["weights"].items()
        for a, b in zip(row, committed["weights"][feat], strict=True)
    )
    assert worst <= 0.002, (
        f"bot/parse/intent_model.json is stale (max diff {worst}): run scripts/train_intent.py"
    )
    assert all(p.name not in train_intent.HELD_OUT for p in train_intent.corpus_files())
    assert "parse_corpus_blind_k.jsonl" in train_intent.HELD_OUT


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("real quick, how many credits am I sitting on?", "balance"),
        ("就想问问 我这个月还剩几个点", "balance"),
        ("where can i peep what everyone else has been cooking", "feed"),
        ("hey, is there somewhere I can look at the clips other people posted this week?", "feed"),
        ("新来的 这个咋用啊", "help"),
        ("is the pro plan worth it for a small studio like mine?", "plans"),
        ("kill my render pls, typo in it", "cancel"),
    ],
)
def test_questions_in_words_no_list_holds_are_answered_not_rendered(text, action):
    req = parse(text)
    assert req.action == action
    assert not req.is_generative


@pytest.mark.parametrize(
    "text",
    [
        "a salesman explaining subscription prices on a whiteboard",
        "一个会计在查看账户余额",
        "a wizard showing his apprentice how to brew a potion",
        "could you make a cat surfing a wave at sunset?",
        "cancel culture protest with signs, documentary style",
    ],
)
def test_scenes_with_bot_words_stay_scenes(text):
    assert parse(text).action == "create"


def test_a_stop_verb_speaks_to_someone_only_where_it_bids():
    assert addressed("stop the rendering, the client changed their mind")
    assert addressed("刚才那个 不要做了 取消 取消")
    assert not addressed("no stop sign")
    assert not addressed("取消了的演唱会，空荡荡的体育场")
    assert not addressed("一个销售在白板上讲解会员套餐价格")


def test_without_the_weights_file_the_rules_alone_decide(monkeypatch):
    text = "where can i peep what everyone else has been cooking"
    monkeypatch.setattr(intent_model, "_model", lambda: None)
    assert parse(text).action == "create"


def test_features_read_words_pairs_and_chinese_characters():
    assert features("how much 积分?") == {"w:how", "w:much", "b:how_much", "c:积", "c:分", "d:积分", "q:?"}


def test_probabilities_are_a_distribution_over_the_labels():
    model = IntentModel(["scene", "balance"], [0.0, 0.0], {"w:credits": [-1.0, 2.0]})
    probs = model.probabilities("my credits")
    assert set(probs) == {"scene", "balance"}
    assert probs["balance"] == pytest.approx(1 / (1 + pow(2.718281828459045, -3.0)))
    assert sum(probs.values()) == pytest.approx(1.0)
