"""One choice set per field: each value with its label and, where the UI colours it, its colour.

A field's set is written once, as a ``ChoiceSet`` subclass in ``<app>/choices.py`` (NetBox's
``choices.py`` is the model), and the model field (``choices=X.choices``), the forms, the filters,
the API schemas and the templates all read it — no tuple list, ``TextChoices`` or label dict
beside it.

When a pure core owns the values (a ``StrEnum``) and needs the Chinese names for its own
messages, the core keeps that one table, marking each name with ``gettext_noop`` from here so that
``makemessages`` extracts it; the app's set is built from the table with ``from_names`` and
translates it lazily. So there is still one list.

Pure: this module imports no Django, so cores may use it; the app passes ``gettext_lazy`` in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar


def gettext_noop(text: str) -> str:
    """Mark a literal for translation without translating it (``makemessages`` knows the name)."""
    return text


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: Any  # a str or a lazy translation: str() it where the text is needed
    colour: str = ""  # the CSS class the page colours the value with; "" for none

    def __post_init__(self) -> None:
        # A StrEnum member in a model's choices would reach the migrations as an enum reference.
        object.__setattr__(self, "value", str(self.value))


def from_names(
    names: Mapping[Any, str],
    translate: Callable[[str], Any] = str,
    colours: Mapping[Any, str] | None = None,
) -> tuple[Choice, ...]:
    """The choices of a core's name table, in its order: ``translate`` is ``gettext_lazy``."""
    colours = colours or {}
    return tuple(
        Choice(str(value), translate(name), colours.get(value, "")) for value, name in names.items()
    )


class ChoiceSet:
    """Subclass and set ``CHOICES``; read ``choices`` (Django's pairs), ``values``, ``label``,
    ``colour``. Every method answers for a value the set does not know instead of raising:
    old rows and imported data must still show."""

    CHOICES: ClassVar[tuple[Choice, ...]] = ()
    choices: ClassVar[list[tuple[str, Any]]]
    values: ClassVar[tuple[str, ...]]
    _by_value: ClassVar[dict[str, Choice]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        by_value = {c.value: c for c in cls.CHOICES}
        if len(by_value) != len(cls.CHOICES):
            raise ValueError(f"{cls.__name__}: a value appears twice")
        cls._by_value = by_value
        cls.values = tuple(by_value)
        cls.choices = [(c.value, c.label) for c in cls.CHOICES]

    @classmethod
    def label(cls, value: str | StrEnum | None) -> str:
        """The label in the active language; an unknown value shows as itself."""
        if value is None:
            return ""
        choice = cls._by_value.get(str(value))
        return str(choice.label) if choice else str(value)

    @classmethod
    def colour(cls, value: str | StrEnum | None) -> str:
        choice = cls._by_value.get(str(value)) if value is not None else None
        return choice.colour if choice else ""

    @classmethod
    def labels(cls) -> dict[str, Any]:
        """Value → (lazy) label, for a template or a JSON schema."""
        return {c.value: c.label for c in cls.CHOICES}
