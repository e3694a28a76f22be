# Shared by the compiled kernels (cimported, inlined: no module of its own).
from libc.stdlib cimport malloc
from libc.string cimport memcpy


cdef inline void* copied(bytes data, Py_ssize_t want, str what) except NULL:
    """A malloc'ed copy of ``data``, which must hold ``want`` bytes (a kernel's table read
    back from its pickled state; ``what`` names the kernel in the error)."""
    if len(data) != want:
        raise ValueError(f"a damaged {what} kernel state")
    cdef void* out = malloc(max(1, want))
    if out == NULL:
        raise MemoryError()
    if want:
        memcpy(out, <const char*> data, want)
    return out
