"""Frozen records made cheaply at import: `@record` is `@dataclass(frozen=True)` without compiling any code.

`@dataclass(frozen=True)` compiles six generated methods per class (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`, `__delattr__`), each with `exec` of source text, and inspects every annotation;
the syntax tree, the plan, the result and the findings declare about sixty such classes, and making them was
about a sixth of a cold `perfrules check` (`dataclass(frozen=True)` about 450 µs a class; even with every
method turned off, dataclasses' processing of the fields is about 80 µs). `record` makes the same class in
about 15 µs, with nothing compiled per class:

- the fields are `dataclasses.Field`s in `__dataclass_fields__`, as dataclasses makes them (the one private
  name used is `dataclasses._FIELD`, the marker of an ordinary field), so `fields`, `replace`, `asdict` and
  `is_dataclass` work as before; defaults stay class attributes, `__match_args__` is set;
- `__eq__`, `__hash__` and `__repr__` are shared functions over `operator.attrgetter`: the same fields
  compared, hashed and shown (a field's `compare`, `hash` and `repr` are honoured);
- `__setattr__`/`__delattr__` raise `FrozenInstanceError` as the frozen dataclass's do;
- `__init__` is a real function with the fields as its parameters (positional or by keyword, with the
  fields' defaults), made from one template per number of fields (`_template`, compiled once per arity
  and process) whose parameter and attribute names are replaced by the class's own (`CodeType.replace`):
  the bytecode of a hand-written `__init__` that sets each field with `object.__setattr__`, as fast to call
  as the one dataclasses compiles (a little faster: one lookup less per field).

A method the class writes itself is kept. A record has plain fields only (with or without a default,
`field(compare=..., repr=..., hash=...)`), declared in the class itself (no base class with fields): a class
that needs a `default_factory`, `__post_init__`, keyword-only or `init=False` fields, a `ClassVar` or an
`InitVar` is a `TypeError` at import; use `@dataclass(frozen=True)`.

    @record
    class Span:
        file: str
        line: int
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, field
from functools import cache
from operator import attrgetter
from types import CodeType, FunctionType
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_SET = object.__setattr__
_PSEUDO = ("ClassVar", "typing.ClassVar", "InitVar", "dataclasses.InitVar", "KW_ONLY", "dataclasses.KW_ONLY")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    if cls.__doc__ is None:  # as dataclasses writes one (it would call inspect.signature)
        cls.__doc__ = f"{cls.__name__}({', '.join(getattr(cls, '__annotations__', {}))})"
    own = _fields(cls)
    cls.__dataclass_fields__ = {f.name: f for f in own}  # type: ignore[attr-defined]
    cls.__match_args__ = tuple(f.name for f in own)  # type: ignore[attr-defined,misc]
    if "__init__" not in cls.__dict__:
        cls.__init__ = _init(cls, own)  # type: ignore[method-assign]
    _frozen(cls, frozenset(f.name for f in own))
    _compare_and_show(cls, own)
    return cls


def _fields(cls: type) -> tuple[Field[Any], ...]:
    """The class's fields as dataclasses makes them: a Field per annotation, its default left on the class."""
    if any("__dataclass_fields__" in base.__dict__ for base in cls.__mro__[1:]):
        raise TypeError(f"{cls.__qualname__}: a record cannot inherit fields: use @dataclass(frozen=True)")
    made: list[Field[Any]] = []
    for name, annotation in inspect.get_annotations(cls).items():
        text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
        if text.startswith(_PSEUDO):
            raise TypeError(f"{cls.__qualname__}.{name}: a record has plain fields only (no ClassVar, InitVar or "
                            "KW_ONLY): use @dataclass(frozen=True)")
        default = cls.__dict__.get(name, MISSING)
        one: Field[Any] = default if isinstance(default, Field) else field(default=default)
        if one.default is not MISSING and type(one.default).__hash__ is None:  # as dataclasses refuses a list
            raise ValueError(f"mutable default {type(one.default)} for field {name} is not allowed: "
                             "use @dataclass(frozen=True) with default_factory")
        one.name, one.type = name, annotation
        if one.kw_only is MISSING:
            one.kw_only = False
        one._field_type = dataclasses._FIELD  # type: ignore[attr-defined]  # an ordinary field, not a pseudo-field
        if isinstance(default, Field):  # a class attribute holds the default itself, as dataclasses leaves it
            if one.default is MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, one.default)
        if made and made[-1].default is not MISSING and one.default is MISSING:
            raise TypeError(f"non-default argument {name!r} follows default argument")
        made.append(one)
    return tuple(made)


def _init(cls: type, own: tuple[Any, ...]) -> Callable[..., None]:
    """The `__init__` a frozen dataclass would have: the template's code with the class's own names."""
    if ("__post_init__" in cls.__dict__
            or any(not f.init or f.kw_only is True or f.default_factory is not MISSING for f in own)):
        raise TypeError(f"{cls.__qualname__}: a record has plain fields only (no __post_init__, InitVar, "
                        "ClassVar, init=False, kw_only or default_factory): use @dataclass(frozen=True)")
    names = tuple(f.name for f in own)
    rename = {f"a{i}": name for i, name in enumerate(names)}
    template = _template(len(names))
    code = template.replace(
        co_varnames=("self", *names), co_name="__init__", co_qualname=f"{cls.__qualname__}.__init__",
        co_consts=tuple(rename.get(c, c) if isinstance(c, str) else c for c in template.co_consts))
    function = FunctionType(code, {"__set": _SET}, "__init__")
    defaults = tuple(f.default for f in own if f.default is not MISSING)
    function.__defaults__ = defaults or None  # _fields has checked that they come last
    function.__module__ = cls.__module__
    function.__qualname__ = f"{cls.__qualname__}.__init__"
    return function


@cache
def _template(count: int) -> CodeType:
    """`def __init__(self, a0, a1, ...): __set(self, "a0", a0); ...`, compiled once per number of fields."""
    params = "".join(f", a{i}" for i in range(count))
    body = "".join(f"    __set(self, 'a{i}', a{i})\n" for i in range(count)) or "    pass\n"
    namespace: dict[str, Any] = {}
    exec(f"def __init__(self{params}):\n{body}", {"__set": _SET}, namespace)  # fixed text, no input
    return namespace["__init__"].__code__  # type: ignore[no-any-return]


def _frozen(cls: Any, names: frozenset[str]) -> None:
    """The guards `@dataclass(frozen=True)` generates: assigning or deleting a field raises FrozenInstanceError."""

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for method in (__setattr__, __delattr__):
        if method.__name__ in cls.__dict__:
            raise TypeError(f"Cannot overwrite attribute {method.__name__} in class {cls.__name__}")
        method.__qualname__ = f"{cls.__qualname__}.{method.__name__}"
        setattr(cls, method.__name__, method)


def _compare_and_show(cls: type, own: tuple[Any, ...]) -> None:
    compared = _values([f.name for f in own if f.compare])
    hashed = _values([f.name for f in own if (f.compare if f.hash is None else f.hash)])
    shown = tuple(f.name for f in own if f.repr)

    def __eq__(self: Any, other: object) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __repr__(self: Any) -> str:
        return f"{self.__class__.__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in shown)})"

    for name, method in (("__eq__", __eq__), ("__hash__", __hash__), ("__repr__", __repr__)):
        if name not in cls.__dict__ or (name == "__hash__" and cls.__dict__[name] is None):
            method.__qualname__ = f"{cls.__qualname__}.{name}"
            setattr(cls, name, method)


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of these attributes of an object (as a dataclass compares and hashes them)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()
