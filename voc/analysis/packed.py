"""numpy arrays kept in a pickle as plain bytes, made arrays again on first use.

A `voc analyze` that loads a cached analyzer (:mod:`voc.analysis.snapshot`) scores with
the compiled kernels, which keep their own copies of the sentiment model's tables: the
model's numpy arrays (weights, vocabulary, the reference scorer's tables) are read only
to train, save or evaluate a model, or by the pure-Python scorer. Pickled as
:class:`Packed` (dtype, shape and bytes: no numpy needed to unpickle them) and unpacked
by :class:`LazyArrays` when first read, they spare such a process numpy's import
(about 50 ms of its start-up).
"""

from __future__ import annotations

from typing import Any

__all__ = ["LazyArrays", "Packed", "PackedStrings", "pack_arrays"]


class Packed:
    """A numpy array as its dtype string, shape and C-ordered bytes."""

    __slots__ = ("dtype", "shape", "data")

    def __init__(self, dtype: str, shape: tuple[int, ...], data: bytes) -> None:
        self.dtype, self.shape, self.data = dtype, shape, data

    @classmethod
    def of(cls, array: Any) -> Packed:
        import numpy as np

        array = np.ascontiguousarray(array)
        return cls(array.dtype.str, tuple(array.shape), array.tobytes())

    def unpack(self) -> Any:
        """The array again: same dtype, shape and values (writable, as it was)."""
        import numpy as np

        return np.frombuffer(self.data, dtype=np.dtype(self.dtype)).reshape(self.shape).copy()

    def __reduce__(self) -> tuple:
        return (Packed, (self.dtype, self.shape, self.data))


class PackedStrings:
    """A one-dimensional numpy array of str (fixed-width UTF-32, four bytes a character
    of its longest item) as its items' UTF-8 and their lengths: about a tenth of the
    bytes for a vocabulary of short words."""

    __slots__ = ("dtype", "text", "lengths")

    def __init__(self, dtype: str, text: bytes, lengths: bytes) -> None:
        self.dtype, self.text, self.lengths = dtype, text, lengths

    @classmethod
    def of(cls, array: Any) -> PackedStrings:
        from array import array as ints

        items = array.tolist()
        return cls(array.dtype.str, "".join(items).encode("utf-8", "surrogatepass"),
                   ints("q", map(len, items)).tobytes())

    def unpack(self) -> Any:
        """The array again: the same items and dtype."""
        from array import array as ints

        import numpy as np

        text = self.text.decode("utf-8", "surrogatepass")
        items, at = [], 0
        for n in ints("q", self.lengths):
            items.append(text[at:at + n])
            at += n
        return np.array(items, dtype=np.dtype(self.dtype))

    def __reduce__(self) -> tuple:
        return (PackedStrings, (self.dtype, self.text, self.lengths))


def _packed(array: Any) -> Packed | PackedStrings:
    if array.ndim == 1 and array.dtype.kind == "U" and len(array):
        return PackedStrings.of(array)
    return Packed.of(array)


def _is_array(value: Any) -> bool:
    return type(value).__name__ == "ndarray" and type(value).__module__ == "numpy"


def pack_arrays(state: dict[str, Any], names: frozenset[str] | None = None) -> dict[str, Any]:
    """``state`` (an object's pickled ``__dict__``) with its numpy arrays (those of
    ``names`` only, if given) moved into ``state["_packed"]`` as :class:`Packed`."""
    packed = dict(state.get("_packed") or {})
    out = {}
    for key, value in state.items():
        if key != "_packed" and _is_array(value) and (names is None or key in names):
            packed[key] = _packed(value)
        else:
            out[key] = value
    out["_packed"] = packed
    return out


class LazyArrays:
    """A mixin: attributes kept in ``self._packed`` (:func:`pack_arrays`) are unpacked
    into the instance the first time they are read."""

    _packed: dict[str, Packed | PackedStrings]

    def __getattr__(self, name: str) -> Any:
        # only reached when the instance and its class have no such attribute
        packed = self.__dict__.get("_packed")
        if packed and name in packed:
            value = packed.pop(name).unpack()
            setattr(self, name, value)
            return value
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _array_bytes(self, name: str) -> bytes:
        """``np.ascontiguousarray(self.<name>).tobytes()``, without unpacking it (or
        importing numpy) while it is packed."""
        packed = (self.__dict__.get("_packed") or {}).get(name)
        if name not in self.__dict__ and isinstance(packed, Packed):
            return packed.data
        import numpy as np

        return np.ascontiguousarray(getattr(self, name)).tobytes()

    def _has_array(self, name: str) -> bool:
        """Whether ``name`` is set, unpacked or not (without unpacking it)."""
        return name in self.__dict__ or name in (self.__dict__.get("_packed") or ())
