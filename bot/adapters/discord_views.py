"""Discord's components for Reelbot: the buttons (discord.py dynamic items on the one button codec's
templates, so a button on any message, old ones after a restart included, reaches the core), the view a
Reply's buttons become, and the forms (modals) that ask a remix prompt or a storyboard's cards.

Presentation only: a press or a submitted form goes to the adapter, which hands it to the core.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import discord

from bot import buttons as codec
from bot.messages import label, text
from bot.replies import Button

#: a form stays answerable this long (Discord keeps a modal open as long as the member likes)
MODAL_TIMEOUT_S = 15 * 60
#: the longest prompt the remix form takes (the parser's own limit)
PROMPT_MAX = 2000
#: the longest storyboard the form takes
CARDS_MAX = 4000

_STYLES = {
    "confirm": discord.ButtonStyle.success,
    "accept": discord.ButtonStyle.success,
    "dismiss": discord.ButtonStyle.secondary,
    "cancel": discord.ButtonStyle.danger,
    "delete": discord.ButtonStyle.danger,
    "remix": discord.ButtonStyle.primary,
    "tip": discord.ButtonStyle.success,
}


class Presses(Protocol):
    """What the buttons and forms call: the adapter."""

    async def on_button(self, interaction: discord.Interaction[Any], data: str) -> None: ...

    async def on_form(
        self, interaction: discord.Interaction[Any], form: str, values: dict[str, Any]
    ) -> None: ...


def _presses(interaction: discord.Interaction[Any]) -> Presses:
    presses: Presses = interaction.client.reelbot  # type: ignore[attr-defined]  # set by ReelClient
    return presses


class PendingButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=codec.PENDING_TEMPLATE):
    """A confirm / offer / dismiss button ("p:<token>", "x:<token>")."""

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> PendingButton:
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _presses(interaction).on_button(interaction, self.custom_id)


class JobButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=codec.JOB_TEMPLATE):
    """A button about a job or its clip ("j:<verb>:<job id>": remix, loop, extend, variation, tip, ...)."""

    def __init__(self, item: discord.ui.Button[Any]) -> None:
        super().__init__(item)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: Any, /
    ) -> JobButton:
        assert isinstance(item, discord.ui.Button)
        return cls(item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await _presses(interaction).on_button(interaction, self.custom_id)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (PendingButton, JobButton)


def view_for(rows: list[list[Button]], lang: str) -> discord.ui.View | None:
    """A persistent view of `rows` (captions from the message table, custom ids from the one codec);
    None when there are no buttons."""
    if not rows:
        return None
    view = discord.ui.View(timeout=None)
    for index, row in enumerate(rows[:5]):
        for button in row[:5]:
            data = codec.encode(button)
            item: discord.ui.Button[Any] = discord.ui.Button(
                label=label(button, lang)[:80],
                custom_id=data,
                row=index,
                style=_STYLES.get(button.action, discord.ButtonStyle.secondary),
            )
            kind = PendingButton if data[0] in "px" else JobButton
            view.add_item(kind(item))
    return view


def no_view() -> discord.ui.View:
    """An empty view: sent with an edit, it takes the buttons off a message."""
    return discord.ui.View(timeout=None)


# -- forms ------------------------------------------------------------------------------------------------


class _Form(discord.ui.Modal):
    """A form whose answers go to the adapter as {field: value} under its name (remix, storyboard)."""

    def __init__(
        self,
        name: str,
        title: str,
        fields: dict[str, discord.ui.TextInput[Any]],
        labels: dict[str, str],
        extra: dict[str, Any],
        on_error: Callable[[discord.Interaction[Any], Exception], Awaitable[None]],
    ) -> None:
        super().__init__(title=title[:45], timeout=MODAL_TIMEOUT_S)
        self.name = name
        self.fields = fields
        self.extra = extra
        self._on_error = on_error
        for key, field in fields.items():
            self.add_item(discord.ui.Label(text=labels[key][:45], component=field))

    async def on_submit(self, interaction: discord.Interaction[Any], /) -> None:
        values = {**self.extra, **{key: field.value for key, field in self.fields.items()}}
        await _presses(interaction).on_form(interaction, self.name, values)

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]
        # a Modal's on_error gets no item (discord.py's Modal overrides View's three-argument form)
        await self._on_error(interaction, error)


def remix_form(
    job_id: str, lang: str, on_error: Callable[[discord.Interaction[Any], Exception], Awaitable[None]]
) -> discord.ui.Modal:
    """The form a Remix button (or the Remix context menu) opens: the new prompt for clip `job_id`."""
    prompt: discord.ui.TextInput[Any] = discord.ui.TextInput(
        style=discord.TextStyle.paragraph,
        max_length=PROMPT_MAX,
        required=True,
        placeholder=text("modal_remix_placeholder", lang)[:100],
        custom_id="prompt",
    )
    return _Form(
        "remix",
        text("modal_remix_title", lang),
        {"prompt": prompt},
        {"prompt": text("modal_remix_label", lang)},
        {"job": job_id},
        on_error,
    )


def storyboard_form(
    options: dict[str, Any],
    lang: str,
    on_error: Callable[[discord.Interaction[Any], Exception], Awaitable[None]],
) -> discord.ui.Modal:
    """The form /storyboard opens: its timed cards, one per line; the command's other options ride along."""
    cards: discord.ui.TextInput[Any] = discord.ui.TextInput(
        style=discord.TextStyle.paragraph,
        max_length=CARDS_MAX,
        required=True,
        placeholder=text("modal_storyboard_placeholder", lang)[:100],
        custom_id="cards",
    )
    return _Form(
        "storyboard",
        text("modal_storyboard_title", lang),
        {"cards": cards},
        {"cards": text("modal_storyboard_label", lang)},
        dict(options),
        on_error,
    )
