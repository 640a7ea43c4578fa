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
import inspect
import threading
from collections.abc import Callable, Iterable
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


def _fields(cls: type, names: list[str]) -> dict[str, dataclasses.Field[Any]]:
    """The ``dataclasses.Field`` of each annotated name, as the standard decorator records
    them (``dataclasses.fields``, ``replace`` and ``asdict`` read these)."""
    notes = inspect.get_annotations(cls)
    made: dict[str, dataclasses.Field[Any]] = {}
    for name in names:
        value = cls.__dict__.get(name, dataclasses.MISSING)
        f: Any = value if isinstance(value, dataclasses.Field) else dataclasses.field(default=value)
        _check(cls, [f])
        f.name, f.type = name, notes[name]
        f._field_type = _FIELD
        if f.kw_only is dataclasses.MISSING:
            f.kw_only = False
        made[name] = f
    return made


def _check(cls: type, fields: Iterable[dataclasses.Field[Any]]) -> None:
    """The shared methods compare and show every field, as eq, repr and hash would."""
    if not all(f.repr and f.compare and f.hash is None and f.init for f in fields):
        raise TypeError(f"{cls.__qualname__}: every field must be in repr, eq and hash")


def _frozen_methods(cls: type[Any], names: tuple[str, ...]) -> dict[str, Any]:
    """``__setattr__``/``__delattr__`` that refuse the fields, as a frozen dataclass's do."""
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return {"__setattr__": __setattr__, "__delattr__": __delattr__}


def _slotted(cls: type, names: tuple[str, ...]) -> Any:
    """``cls`` made again with ``__slots__`` (what ``slots=True`` does), and the
    ``__getstate__``/``__setstate__`` pickling then needs."""
    body = {k: v for k, v in cls.__dict__.items()
            if k not in names and k not in ("__dict__", "__weakref__")}
    body["__slots__"] = names

    def __getstate__(self: Any) -> list[Any]:
        return [getattr(self, n) for n in names]

    def __setstate__(self: Any, state: list[Any]) -> None:
        for n, v in zip(names, state, strict=False):
            object.__setattr__(self, n, v)

    body.setdefault("__getstate__", __getstate__)
    body.setdefault("__setstate__", __setstate__)
    return type(cls)(cls.__name__, cls.__bases__, body)


def _value_methods(made: Any, names: tuple[str, ...], frozen: bool, order: bool) -> None:
    key = _key(names)
    methods: dict[str, Any] = {"__repr__": _repr(names),
                               "__eq__": _compare(key, lambda a, b: a == b),
                               "__hash__": (lambda self: hash(key(self))) if frozen else None}
    if order:
        methods["__lt__"] = _compare(key, lambda a, b: a < b)
        methods["__le__"] = _compare(key, lambda a, b: a <= b)
        methods["__gt__"] = _compare(key, lambda a, b: a > b)
        methods["__ge__"] = _compare(key, lambda a, b: a >= b)
    if frozen:
        methods.update(_frozen_methods(made, names))
    for name, method in methods.items():
        if method is not None:
            method.__qualname__ = f"{made.__qualname__}.{name}"
        setattr(made, name, method)


def _record(*, frozen: bool, slots: bool = False,
            order: bool = False) -> Callable[[type[T]], type[T]]:
    """``dataclasses.dataclass(frozen=..., slots=..., order=...)`` for a class with its own
    ``__init__`` (which sets the fields, with ``object.__setattr__`` when frozen, and calls
    ``__post_init__`` if it has one, as the generated one would)."""

    def wrap(cls: type[T]) -> type[T]:
        if "__init__" not in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} must define __init__")
        notes = inspect.get_annotations(cls)
        names = [n for n, t in notes.items() if not str(t).startswith(("ClassVar", "InitVar"))]
        if _FIELD is None or len(names) != len(notes) or any(
                hasattr(b, "__dataclass_fields__") for b in cls.__mro__[1:]):
            return _standard(cls, frozen, slots, order)
        fields = _fields(cls, names)
        made: Any = _slotted(cls, tuple(names)) if slots else cls
        if not slots:  # as the standard decorator leaves them: a default stays a class value
            for f in fields.values():
                if f.default is dataclasses.MISSING and f.name in made.__dict__:
                    delattr(made, f.name)
                elif f.default is not dataclasses.MISSING:
                    setattr(made, f.name, f.default)
        made.__dataclass_fields__ = fields
        made.__dataclass_params__ = _Params(frozen, order)
        setattr(made, "__match_args__", tuple(names))  # noqa: B010 - not a plain attribute to mypy
        _value_methods(made, tuple(names), frozen, order)
        return made  # type: ignore[no-any-return]

    return wrap


def _standard(cls: type[T], frozen: bool, slots: bool, order: bool) -> type[T]:
    """The standard decorator's class, with the same shared methods (a Python whose
    dataclasses module keeps its fields differently, or a class this module does not make)."""
    made: Any = dataclasses.dataclass(frozen=frozen, slots=slots, init=False, repr=False,
                                      eq=False)(cls)
    fields = dataclasses.fields(made)
    _check(cls, fields)
    _value_methods(made, tuple(f.name for f in fields), frozen, order)
    return made  # type: ignore[no-any-return]


class _Params:
    """What ``__dataclass_params__`` tells about the class (the flags the decorator had)."""

    __slots__ = ("eq", "frozen", "init", "order", "repr", "unsafe_hash")

    def __init__(self, frozen: bool, order: bool) -> None:
        self.init = self.repr = self.eq = True
        self.unsafe_hash = False
        self.frozen, self.order = frozen, order


_FIELD = getattr(dataclasses, "_FIELD", None)  # the marker fields() looks for


if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
else:
    dataclass = _record
