"""The decision (交付決定): the round's committee meetings, its overrides of the rule's result,
each application's decision with the numbers that led to it, and the round's publication."""

from __future__ import annotations
