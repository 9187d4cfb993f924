"""A pydantic base for models read from user files: true/false is never a number.

YAML reads ``yes``, ``on`` and ``true`` as booleans, and Python counts ``True`` as the
integer 1, so without a check ``count: true`` becomes one aircraft and
``schema_version: true`` version 1. Every field of an :class:`InputModel` refuses a boolean
unless its type admits one. The limits on user input are listed in ``docs/scenarios.md``.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationInfo, field_validator


def accepts_bool(annotation: Any) -> bool:
    """True if a field typed ``annotation`` may hold ``True`` or ``False``."""
    if annotation is bool or annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return any(isinstance(value, bool) for value in typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        return any(accepts_bool(inner) for inner in typing.get_args(annotation))
    return False


class InputModel(BaseModel):
    """Base of the models of user input: a boolean is refused where no boolean belongs."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_bool_for_other_types(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, bool) and info.field_name is not None:
            field = cls.model_fields.get(info.field_name)
            if field is not None and not accepts_bool(field.annotation):
                msg = "got true/false where a number or a name is expected"
                raise ValueError(msg)
        return value
