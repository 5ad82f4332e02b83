"""A fake payment port: packs on offer and the refunds asked for, for core tests."""

from __future__ import annotations

from bot.errors import PaymentRefused


class FakePayments:
    """Sells `packs` (credits -> price); refunds each charge once, then refuses like a platform would."""

    def __init__(self, packs: dict[int, int]) -> None:
        self._packs = dict(packs)
        self.refunded: list[tuple[str, str]] = []

    def packs(self) -> dict[int, int]:
        return dict(self._packs)

    async def refund(self, user: str, charge_id: str) -> None:
        if any(c == charge_id for _, c in self.refunded):
            raise PaymentRefused("CHARGE_ALREADY_REFUNDED")
        self.refunded.append((user, charge_id))
