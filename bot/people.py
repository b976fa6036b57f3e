"""Who and where, without a platform's vocabulary: adapters resolve `<@U…>` or `<at>…</at>` into these."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, eq=False)
class Person:
    """A user of one platform workspace; two Persons are equal when they are the same account."""

    platform: str
    workspace: str
    user_id: str
    name: str = ""
    tz: str | None = None
    is_bot: bool = False
    active: bool = True
    locale: str | None = None
    """The language the platform says they use (`vi-VN`), when it says; their own choice overrides it."""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.platform, self.workspace, self.user_id)

    @property
    def label(self) -> str:
        """How plain text names this person when a renderer cannot mention them."""
        return f"@{self.name or self.user_id}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Person) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)


@dataclass(frozen=True)
class Channel:
    """A conversation: a public or private channel, or a direct message with the bot."""

    platform: str
    workspace: str
    id: str
    is_direct: bool = False
    name: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        if self.is_direct:
            return "a direct message"
        return self.name if self.name.startswith("#") else f"#{self.name or self.id}"
