"""Validated option types: every duration and number a command takes is checked here,
before anything connects, so a bad value is a usage error (exit 2) said once.

- ``SECONDS`` / ``Seconds(low, high)``: a finite number of seconds in range (no ``nan``,
  ``inf``, negatives); ``POSITIVE_SECONDS`` must be above zero.
- ``DURATION``: a PostgreSQL duration for ``lock_timeout`` / ``statement_timeout``: a number
  with an optional unit ``us``, ``ms``, ``s``, ``min``, ``h``, ``d`` (a bare number is
  milliseconds, as PostgreSQL reads it; ``0`` turns the limit off), at most one day.
- ``DURATION_SECONDS``: a duration given as ``30s``, ``500ms``, ``2min`` (a bare number is
  seconds), returned as seconds: at least a millisecond, at most one day.
- ``PORT``: 1 to 65535.
"""

from __future__ import annotations

import math
import re

import click

_DURATION = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(us|ms|s|min|h|d)?\s*$", re.ASCII)
_TO_MS = {"us": 0.001, "ms": 1.0, None: 1.0, "s": 1000.0, "min": 60_000.0, "h": 3_600_000.0, "d": 86_400_000.0}
_MAX_MS = 86_400_000.0


class Seconds(click.ParamType):
    name = "seconds"

    def __init__(self, low: float = 0.0, high: float = 86_400.0, *, positive: bool = False) -> None:
        self.low, self.high, self.positive = low, high, positive

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                if not str(value).isascii():  # float() would take fullwidth digits
                    raise ValueError
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds (e.g. 10 or 0.5)", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        if number < self.low or number > self.high or (self.positive and number <= 0):
            lowest = "above 0" if self.positive else f"at least {self.low:g}"
            self.fail(f"{value!r} is out of range: seconds must be {lowest} and at most {self.high:g}", param, ctx)
        return number


class Duration(click.ParamType):
    """A PostgreSQL duration, returned as PostgreSQL will read it (``5s``, ``500ms``, ``0``)."""

    name = "duration"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        text = str(value)
        match = _DURATION.match(text)
        if not match:
            self.fail(f"{text!r} is not a duration: use e.g. 500ms, 5s, 2min, or 0 for no limit", param, ctx)
        amount, unit = float(match.group(1)), match.group(2)
        if not math.isfinite(amount) or amount * _TO_MS[unit] > _MAX_MS:
            self.fail(f"{text!r} is longer than a day", param, ctx)
        if amount and amount * _TO_MS[unit] < 1:
            self.fail(f"{text!r} is under a millisecond; use 0 for no limit", param, ctx)
        shown = match.group(1).rstrip("0").rstrip(".") if "." in match.group(1) else match.group(1)
        return f"{shown}{unit or ''}" if amount else "0"


class DurationSeconds(click.ParamType):
    """A duration as seconds (a float): ``30s``, ``500ms``, ``2min``, ``1h``; a bare number is
    seconds. At least a millisecond and at most a day."""

    name = "duration"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 - click's signature
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text, amount, unit = str(value), float(value), "s"
        else:
            text = str(value)
            match = _DURATION.match(text)
            if not match:
                self.fail(f"{text!r} is not a duration: use e.g. 30s, 500ms, 2min", param, ctx)
            amount, unit = float(match.group(1)), match.group(2) or "s"
        seconds = amount * _TO_MS[unit] / 1000.0
        if not math.isfinite(seconds) or seconds < 0.001 or seconds * 1000.0 > _MAX_MS:
            self.fail(f"{text!r} is out of range: a duration of at least 1ms and at most a day", param, ctx)
        return seconds


SECONDS = Seconds()
POSITIVE_SECONDS = Seconds(positive=True)
DURATION = Duration()
DURATION_SECONDS = DurationSeconds()
PORT = click.IntRange(1, 65535)
