"""Frozen dataclasses without compiling their methods at import time.

``@dataclass(frozen=True, slots=True)`` writes each class's ``__init__``,
``__repr__``, ``__eq__``, ``__hash__`` and order methods as source text and
compiles it: about 0.4 ms per class on every start-up, a few milliseconds of
a commit hook for provlint's value types. ``dataclass`` here makes the same
classes for types that write their own ``__init__``: the standard decorator
still runs (so ``dataclasses.fields``, ``replace``, ``asdict`` and pickling
work, and assigning a field raises ``FrozenInstanceError``), but
``__repr__``, ``__eq__``, ``__hash__`` and the order methods are shared
closures over the field names that return what the generated ones return.

For mypy, ``provlint.record.dataclass`` *is* ``dataclasses.dataclass``, so it
checks these classes as the frozen dataclasses they behave as;
tests/test_record.py compares each one with a twin made by the standard
decorator.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")
set_field = object.__setattr__  # how a frozen dataclass's own __init__ sets its fields


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of an instance's field values (what the generated methods compare)."""
    get = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (get(obj),)
    return get


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        key = id(self), threading.get_ident()
        if key in running:  # a value that contains itself
            return "..."
        running.add(key)
        try:
            body = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        finally:
            running.discard(key)
        return f"{self.__class__.__qualname__}({body})"

    return __repr__


def _compare(key: Callable[[Any], tuple[Any, ...]], op: Callable[[Any, Any], bool]) -> Any:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return op(key(self), key(other))
        return NotImplemented

    return method


def _frozen_dataclass(*, frozen: bool, slots: bool = False,
                      order: bool = False) -> Callable[[type[T]], type[T]]:
    """``dataclasses.dataclass(frozen=True, slots=..., order=...)`` for a class with its own
    ``__init__`` (which sets the fields with ``object.__setattr__`` and calls
    ``__post_init__`` if it has one, as the generated one would)."""
    if not frozen:
        raise TypeError("provlint.record makes frozen dataclasses only")

    def wrap(cls: type[T]) -> type[T]:
        if "__init__" not in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} must define __init__")
        made: Any = dataclasses.dataclass(frozen=True, slots=slots, init=False, repr=False,
                                          eq=False)(cls)
        fields = dataclasses.fields(made)
        if not all(f.repr and f.compare and f.hash is None for f in fields):
            raise TypeError(f"{cls.__qualname__}: every field must be in repr, eq and hash")
        names = tuple(f.name for f in fields)
        key = _key(names)
        made.__repr__ = _repr(names)
        made.__eq__ = _compare(key, lambda a, b: a == b)
        made.__hash__ = lambda self: hash(key(self))
        if order:
            made.__lt__ = _compare(key, lambda a, b: a < b)
            made.__le__ = _compare(key, lambda a, b: a <= b)
            made.__gt__ = _compare(key, lambda a, b: a > b)
            made.__ge__ = _compare(key, lambda a, b: a >= b)
        for name in ("__repr__", "__eq__", "__hash__", "__lt__", "__le__", "__gt__", "__ge__"):
            method = made.__dict__.get(name)
            if method is not None and hasattr(method, "__qualname__"):
                method.__qualname__ = f"{made.__qualname__}.{name}"
        return made  # type: ignore[no-any-return]

    return wrap


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    dataclass = _frozen_dataclass
