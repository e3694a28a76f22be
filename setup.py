"""Build the optional compiled kernels (Cython) of voc.

The metadata lives in pyproject.toml; this file only adds the extension modules. They
are optional: without a C compiler (or Cython) the build goes on and voc runs its
pure-Python reference code, with the same results, only slower. ``voc.analysis.compiled``
says which one runs; ``VOC_PURE_PYTHON=1`` forces the Python code.
"""

from __future__ import annotations

import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

KERNELS = ["voc/analysis/_aspects_fast.pyx", "voc/analysis/_gate_fast.pyx", "voc/analysis/_segment_fast.pyx", "voc/analysis/_sentiment_fast.pyx"]


class OptionalBuildExt(build_ext):
    """build_ext that warns instead of failing when a kernel cannot be compiled."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - no compiler: fall back to Python
            _warn(exc)

    def build_extension(self, ext) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # noqa: BLE001
            _warn(exc, ext.name)


def _warn(exc: Exception, name: str = "the compiled kernels") -> None:
    sys.stderr.write(f"warning: could not build {name} ({exc}); voc will use its pure-Python code\n")


def _extensions():
    try:
        from Cython.Build import cythonize
    except ImportError:
        _warn(ImportError("Cython is not installed"))
        return []
    return cythonize(KERNELS, language_level=3, quiet=True)


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
