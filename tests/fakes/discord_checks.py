"""What Discord checks on what a bot sends, with Discord's own error codes: message content, embeds,
components and attachments (Resources: Message; Embed Limits; Components), modals, and application
commands (Interactions: Application Commands: names, descriptions, options, localizations, counts).

Pure functions raising tests/fakes/discord_models.ApiError; written from the API documentation, never from
discord.py.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.discord_models import ApiError, StoredFile, form_error

JSON = dict[str, Any]

# -- what Discord checks on a message a bot sends (Resources: Message, Embed limits, Components) ----------

CONTENT_LIMIT = 2000
EMBED_TOTAL_LIMIT = 6000
_EMBED_TEXT = {"title": 256, "description": 4096}
BUTTON_STYLES = {1, 2, 3, 4, 5, 6}


def check_message(body: JSON, files: list[StoredFile], *, upload_limit: int, editing: bool = False) -> None:
    """Raise ApiError as Discord would for a message body (create, or edit with `editing`)."""
    content = body.get("content")
    if content is not None and not isinstance(content, str):
        raise form_error("content", "BASE_TYPE_STRING", "Must be a string.")
    if content and len(content) > CONTENT_LIMIT:
        raise form_error("content", "BASE_TYPE_MAX_LENGTH", f"Must be {CONTENT_LIMIT} or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    total = 0
    for i, embed in enumerate(embeds):
        total += check_embed(embed, f"embeds.{i}")
    if total > EMBED_TOTAL_LIMIT:
        raise form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    check_components(body.get("components") or [])
    size = sum(len(f.data) for f in files)
    if size > upload_limit:
        raise ApiError(413, 40005, "Request entity too large")
    if not editing and not (
        content or embeds or files or body.get("components") or body.get("sticker_ids") or body.get("poll")
    ):
        raise ApiError(400, 50006, "Cannot send an empty message")


def check_embed(embed: JSON, path: str) -> int:
    """Raise for an embed over Discord's limits; returns the characters it counts toward the 6000 total."""
    counted = 0
    for key, limit in _EMBED_TEXT.items():
        value = embed.get(key)
        if value is not None:
            if len(value) > limit:
                raise form_error(
                    f"{path}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
                )
            counted += len(value)
    for key, inner, limit in (("footer", "text", 2048), ("author", "name", 256)):
        if embed.get(key):
            value = embed[key].get(inner, "")
            if not value or len(value) > limit:
                raise form_error(
                    f"{path}.{key}.{inner}",
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {limit} in length.",
                )
            counted += len(value)
    fields = embed.get("fields") or []
    if len(fields) > 25:
        raise form_error(f"{path}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for j, f in enumerate(fields):
        for key, limit in (("name", 256), ("value", 1024)):
            if not f.get(key) or len(f[key]) > limit:
                raise form_error(
                    f"{path}.fields.{j}.{key}",
                    "BASE_TYPE_BAD_LENGTH",
                    f"Must be between 1 and {limit} in length.",
                )
            counted += len(f[key])
    return counted


def check_components(rows: list[JSON]) -> None:
    """Action rows of buttons: at most 5 rows of at most 5, labels up to 80, unique custom_ids up to 100."""
    if len(rows) > 5:
        raise form_error("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row.get("type") != 1:
            raise form_error(f"components.{i}.type", "UNION_TYPE_CHOICES", "Value must be one of {1}.")
        items = row.get("components") or []
        if not 1 <= len(items) <= 5:
            raise form_error(
                f"components.{i}.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."
            )
        for j, item in enumerate(items):
            where = f"components.{i}.components.{j}"
            if item.get("type") != 2:
                continue  # selects: not used by this bot, not checked here
            style = item.get("style")
            if style not in BUTTON_STYLES:
                raise form_error(
                    f"{where}.style", "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3, 4, 5, 6)."
                )
            label = item.get("label") or ""
            if len(label) > 80:
                raise form_error(f"{where}.label", "BASE_TYPE_MAX_LENGTH", "Must be 80 or fewer in length.")
            if style == 5:
                if not item.get("url") or "custom_id" in item:
                    raise form_error(
                        f"{where}.url", "BUTTON_COMPONENT_URL_REQUIRED", "A link button needs a url."
                    )
                continue
            custom_id = item.get("custom_id") or ""
            if not 1 <= len(custom_id) <= 100:
                raise form_error(
                    f"{where}.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
                )
            if custom_id in seen:
                raise form_error(
                    f"{where}.custom_id",
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            seen.add(custom_id)


def check_modal(data: JSON) -> None:
    """A modal (interaction callback type 9): title up to 45, 1 to 5 text inputs, each labelled."""
    title = data.get("title") or ""
    if not 1 <= len(title) <= 45:
        raise form_error("data.title", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
    if not 1 <= len(data.get("custom_id") or "") <= 100:
        raise form_error("data.custom_id", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    inputs = modal_inputs(data)
    if not 1 <= len(data.get("components") or []) <= 5 or not inputs:
        raise form_error("data.components", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, (label, text_input) in enumerate(inputs):
        if not label or len(label) > 45:
            raise form_error(
                f"data.components.{i}.label", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length."
            )
        if text_input.get("style") not in (1, 2):
            raise form_error(
                f"data.components.{i}.style", "BASE_TYPE_CHOICES", "Value must be one of (1, 2)."
            )


def modal_inputs(data: JSON) -> list[tuple[str, JSON]]:
    """(label, text input) of each text input of a modal, whether wrapped in an action row (type 1, label
    on the input) or in a label component (type 18, label on the wrapper)."""
    found = []
    for comp in data.get("components") or []:
        if comp.get("type") == 1:
            found += [(c.get("label", ""), c) for c in comp.get("components") or [] if c.get("type") == 4]
        elif comp.get("type") == 18 and (comp.get("component") or {}).get("type") == 4:
            found.append((comp.get("label", ""), comp["component"]))
    return found


# -- application commands (Interactions: Application Commands) ------------------------------------------------

CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
OPTION_TYPES = {
    3: "string",
    4: "integer",
    5: "boolean",
    6: "user",
    7: "channel",
    8: "role",
    10: "number",
    11: "attachment",
}
LOCALES = frozenset(
    "id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg "
    "ru uk hi th zh-CN ja zh-TW ko".split()
)


def _name_ok(name: str, *, chat_input: bool) -> bool:
    """Discord's ^[-_'\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$ (lower case for chat-input commands);
    context-menu names are 1-32 characters of anything, spaces included."""
    if not 1 <= len(name) <= 32:
        return False
    if not chat_input:
        return True
    return all(ch.isalnum() or ch in "-_'" for ch in name) and name == name.lower()


def check_command(cmd: JSON, index: int) -> None:
    """Raise the 50035 Discord gives for an application command that breaks its rules."""
    kind = cmd.get("type", CHAT_INPUT)
    chat_input = kind == CHAT_INPUT
    where = str(index)
    if not _name_ok(cmd.get("name", ""), chat_input=chat_input):
        raise form_error(f"{where}.name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    description = cmd.get("description", "")
    if chat_input and not 1 <= len(description) <= 100:
        raise form_error(
            f"{where}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    if not chat_input and description:
        raise form_error(
            f"{where}.description",
            "APPLICATION_COMMAND_DESCRIPTION_NOT_EMPTY",
            "Context menu commands cannot have a description",
        )
    for key in ("name_localizations", "description_localizations"):
        for locale, text in (cmd.get(key) or {}).items():
            if locale not in LOCALES:
                raise form_error(f"{where}.{key}.{locale}", "LOCALE_INVALID", f"Invalid locale {locale}")
            ok = (
                _name_ok(text, chat_input=chat_input)
                if key == "name_localizations"
                else 1 <= len(text) <= 100
            )
            if not ok:
                raise form_error(
                    f"{where}.{key}.{locale}", "APPLICATION_COMMAND_INVALID_NAME", "Invalid localization"
                )
    options = cmd.get("options") or []
    if len(options) > 25:
        raise form_error(f"{where}.options", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    seen_optional, names = False, set()
    total = len(cmd.get("name", "")) + len(description)
    for j, opt in enumerate(options):
        here = f"{where}.options.{j}"
        if opt.get("type") not in OPTION_TYPES:
            raise form_error(f"{here}.type", "BASE_TYPE_CHOICES", "Value must be a valid option type.")
        if not _name_ok(opt.get("name", ""), chat_input=True) or opt["name"] in names:
            raise form_error(
                f"{here}.name", "APPLICATION_COMMAND_OPTIONS_NAME_INVALID", "Option name is invalid"
            )
        names.add(opt["name"])
        if not 1 <= len(opt.get("description", "")) <= 100:
            raise form_error(
                f"{here}.description", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        if opt.get("required"):
            if seen_optional:
                raise form_error(
                    f"{here}.required",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            raise form_error(f"{here}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for locale, text in (opt.get("name_localizations") or {}).items():
            if locale not in LOCALES or not _name_ok(text, chat_input=True):
                raise form_error(
                    f"{here}.name_localizations.{locale}",
                    "APPLICATION_COMMAND_INVALID_NAME",
                    "Invalid localization",
                )
        total += len(opt["name"]) + len(opt.get("description", ""))
        total += sum(len(str(c.get("name", ""))) + len(str(c.get("value", ""))) for c in choices)
    if total > 4000:
        raise form_error(where, "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")


def check_command_list(commands: list[JSON]) -> None:
    """A bulk overwrite: each command valid, names unique per type, at most 100 chat-input and 5 each of
    user and message commands."""
    seen: set[tuple[int, str]] = set()
    counts = {CHAT_INPUT: 0, USER_COMMAND: 0, MESSAGE_COMMAND: 0}
    for i, cmd in enumerate(commands):
        check_command(cmd, i)
        key = (cmd.get("type", CHAT_INPUT), cmd["name"])
        if key in seen:
            raise form_error(
                f"{i}.name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"
            )
        seen.add(key)
        counts[key[0]] = counts.get(key[0], 0) + 1
    if counts[CHAT_INPUT] > 100 or counts[USER_COMMAND] > 5 or counts[MESSAGE_COMMAND] > 5:
        raise ApiError(400, 30032, "Maximum number of application commands reached")
