"""The one Settings object: read once at start-up from the environment / `.env` (prefix REELBOT_).

Nothing else in the project reads os.environ (but bot/light_settings.py, the few settings the light CLI
commands need, read the same way without pydantic); the object is passed down. Secrets are SecretStr so
they never show up in logs or reprs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Every setting of shared/DESIGN.md, plus a few operator knobs with safe defaults."""

    model_config = SettingsConfigDict(
        env_prefix="REELBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("./data")
    model: str = "auto"
    discord_token: SecretStr | None = None
    #: sync the slash commands to this one server (instant) instead of globally (up to an hour to show)
    discord_guild_id: int | None = None
    #: Discord role id -> plan: a member with the role gets the plan while they have it ("123:plus,456:pro"
    #: or JSON); the best plan of their roles wins, and never lowers a plan an admin set
    discord_role_plans: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    #: root of the Discord API (a self-hosted proxy, a test fake), e.g. http://127.0.0.1:8090; the bot
    #: appends /api/v10. Empty: Discord's own. The gateway address comes from GET /gateway/bot.
    discord_api_url: str = ""
    #: ask for the privileged message-content intent (turn it on in the developer portal too); without it
    #: mentions, slash commands, buttons and reactions still work, replies to clips that do not ping the bot
    #: do not
    discord_message_content: bool = True
    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    #: the Bot API server at telegram_api_url runs with --local (files up to 2000 MB instead of 20/50 MB)
    telegram_local_mode: bool = False
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    web_enabled: bool = True
    #: required (as a Bearer header, or once as ?token= in the page URL) when web_host is not loopback
    web_token: SecretStr | None = None
    #: the address members reach the web channel at (clip links other channels post); empty: http://host:port
    web_public_url: str = ""
    #: channels whose clips stay out of the community feed: `platform` (all of it) or `platform:chat`
    feed_hidden_channels: Annotated[list[str], NoDecode] = Field(default_factory=list)
    admins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    queue_url: str = ""
    #: the distributed queue's name in Redis (bots sharing one Redis use different names)
    queue_name: str = "reelbot"
    #: `reelbot worker`: jobs a worker holds beyond the one it renders (the next one waits on the GPU box)
    worker_prefetch: int = Field(default=1, ge=0, le=4)
    #: `reelbot worker`: seconds between heartbeats (silent for 3 heartbeats = gone, its job retried)
    worker_heartbeat_s: float = Field(default=2.0, gt=0, le=60)
    prices_file: Path | None = None
    plans_file: Path | None = None
    #: extra terms that block a prompt everywhere, one per line (the term lists below always apply)
    blocked_terms_file: Path | None = None
    #: a folder of term lists (*.txt with [category] sections) replacing the built-in seeds
    moderation_terms_dir: Path | None = None
    #: phrases that never block (one per line), e.g. a town whose name holds a blocked word
    moderation_allow_file: Path | None = None
    #: the optional classifiers: auto (used when installed) | off
    moderation_text_classifier: Literal["auto", "off"] = "auto"
    moderation_image_classifier: Literal["auto", "off"] = "auto"
    #: frames of each finished clip the image classifier looks at before it is posted
    moderation_frames: int = Field(default=4, ge=1, le=32)
    #: chats where sexual content and profanity are allowed ("platform:chat", comma separated)
    adult_chats: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: 🚩 reports from different members that hide a clip from the feed until an admin decides
    report_threshold: int = Field(default=3, ge=1)
    #: plan new members start on (None: the plans file's `default`, "free" in the built-in table)
    default_plan: str | None = None
    #: spends above this many credits ask for a confirm first (members can change their own)
    auto_approve_credits: int = 100
    #: in-process engine workers (one model copy each)
    workers: int = 1
    #: engine load options (engine/options.py): offload none|model|sequential|group, fp8 / compile true|false,
    #: cache off|on|threshold; empty = what `auto` picks. Clashing ones stop start-up with a clear message.
    engine_offload: str = ""
    engine_fp8: str = ""
    engine_compile: str = ""
    engine_cache: str = ""
    #: jobs waiting in the queue before new ones are refused
    max_queue: int = 500
    #: Telegram Stars packs, "credits:stars" pairs, e.g. "500:50,2000:180"; empty = /buy off
    telegram_star_packs: str = ""
    #: emoji -> action for reactions on clips. Telegram only lets members react with its fixed emoji set,
    #: which lacks 🔁🔀➕🚩, so those have Telegram-available twins (🔥 ✍ ⚡ 👎).
    #: ❤️ (Telegram's ❤) tips the clip's author `tip_credits`.
    reaction_actions: dict[str, str] = Field(
        default_factory=lambda: {
            "🔁": "loop",
            "🔀": "remix",
            "➕": "extend",
            "🚩": "report",
            "🔥": "loop",
            "✍": "remix",
            "⚡": "extend",
            "👎": "report",
            "❤️": "tip",
            "❤": "tip",
        }
    )
    #: credits a tip (a ❤️ reaction or the Tip button) moves from the tipper to the clip's author, once per
    #: tipper per clip; 0 (the default: tips move members' money, so the operator opts in) turns tips off
    tip_credits: int = Field(default=0, ge=0, le=1_000_000)
    log_level: str = "INFO"

    @field_validator("admins", "feed_hidden_channels", "adult_chats", mode="before")
    @classmethod
    def _split_admins(cls, v: object) -> object:
        if isinstance(v, str):
            return [p.strip() for p in v.replace(";", ",").split(",") if p.strip()]
        return v

    @field_validator(
        "prices_file",
        "plans_file",
        "blocked_terms_file",
        "default_plan",
        "moderation_terms_dir",
        "moderation_allow_file",
        mode="before",
    )
    @classmethod
    def _empty_is_none(cls, v: object) -> object:
        return None if v == "" else v

    @field_validator("discord_guild_id", mode="before")
    @classmethod
    def _empty_guild(cls, v: object) -> object:
        return None if v == "" else v

    @field_validator("discord_role_plans", mode="before")
    @classmethod
    def _split_role_plans(cls, v: object) -> object:
        """ "role:plan,role:plan" (or "role=plan"), or a JSON object; role ids are numbers."""
        if isinstance(v, str):
            text = v.strip()
            if text.startswith("{"):
                return json.loads(text)
            pairs: dict[str, str] = {}
            for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
                role, sep, plan = part.replace("=", ":").partition(":")
                if not sep or not role.strip().isdigit() or not plan.strip():
                    raise ValueError(f"role plan {part!r} is not role_id:plan, e.g. 123456789012345678:plus")
                pairs[role.strip()] = plan.strip()
            return pairs
        return v

    @field_validator("telegram_star_packs")
    @classmethod
    def _check_packs(cls, v: str) -> str:
        for part in filter(None, (p.strip() for p in v.split(","))):
            credits, sep, stars = part.partition(":")
            if not sep or not credits.strip().isdigit() or not stars.strip().isdigit() or int(stars) < 1:
                raise ValueError(f"pack {part!r} is not credits:stars, e.g. 500:50")
        return v

    @property
    def db_path(self) -> Path:
        return self.data_dir / "reelbot.db"

    @property
    def clips_dir(self) -> Path:
        return self.data_dir / "clips"

    @property
    def web_url(self) -> str:
        """Where members open the web channel (no trailing slash)."""
        if self.web_public_url:
            return self.web_public_url.rstrip("/")
        host = self.web_host if self.web_host not in ("0.0.0.0", "::", "") else "127.0.0.1"
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.web_port}"

    def engine_load_options(self) -> dict[str, Any]:
        """The `DiffusersEngine.load` options the REELBOT_ENGINE_* settings ask for. Raises ValueError for
        a value that cannot be read or a combination that cannot work (engine/options.py)."""
        from engine.options import engine_options

        return engine_options(self.engine_offload, self.engine_fp8, self.engine_compile, self.engine_cache)

    def role_plans(self, platform: str) -> dict[str, str]:
        """Role id -> plan on `platform` (only Discord has roles); empty where roles mean nothing."""
        return dict(self.discord_role_plans) if platform == "discord" else {}

    def star_packs(self) -> dict[int, int]:
        """credits -> stars for each configured Telegram Stars pack."""
        packs: dict[int, int] = {}
        for part in self.telegram_star_packs.split(","):
            if ":" in part:
                credits, stars = part.split(":", 1)
                packs[int(credits.strip())] = int(stars.strip())
        return packs
