"""The building blocks of the programme definition's schema (programs/schema.py and
programs/review_schema.py): the strict model and the shapes of codes and texts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$")]
FieldName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,48}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Operator = Literal["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"]
Scalar = str | int | bool | None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def unique_codes(items: list[Any], what: str) -> None:
    codes = [item.code for item in items]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{what}: コードが重複しています")
