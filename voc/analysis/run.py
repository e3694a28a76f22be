"""`voc analyze` over the store: stream what is new or stale through an :class:`Analyzer`.

:func:`analyze_store` asks the store for the records that are new or stale (analysed
by another model or lexicon version) and runs them through the analyzer in chunks,
optionally in worker processes, each chunk written in its own transaction.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from voc.analysis.analyzer import Analyzer
from voc.lexicon import Lexicons
from voc.store import Store, open_store

CHUNK = 10_000

#: Automatic worker processes: one per this many pending records (forked workers
#: inherit the built analyzer; below about 3,000 short reviews a second process costs
#: more than it saves), at most :data:`MAX_AUTO_WORKERS`. Spawned workers (macOS,
#: Windows) build their own analyzer, about half a second each, so they need more.
PER_FORKED_WORKER = 2_000
PER_SPAWNED_WORKER = 50_000
MAX_AUTO_WORKERS = 4


#: A list the analyzer is kept in once :func:`analyze_store` is done with it, set by a
#: process that ends right after and leaves its memory to the operating system (the
#: command line: :func:`voc.entry.main`): freeing the analyzer's objects one by one is
#: about 5 ms. None (the default): the analyzer is freed as usual.
RETAIN: list | None = None


@dataclass(frozen=True)
class AnalyzeResult:
    analyzed: int
    skipped: int
    seconds: float
    workers: int
    model_version: str
    lexicon_version: str
    sentiment: dict | None = None  # the adaptation's evidence (voc.analysis.adapt), None with --no-adapt or --model
    sentiment_note: str = ""  # that evidence in one line

    @property
    def per_second(self) -> float:
        return self.analyzed / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        return {
            "analyzed": self.analyzed, "skipped": self.skipped, "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1), "workers": self.workers,
            "model_version": self.model_version, "lexicon_version": self.lexicon_version,
            "sentiment_adaptation": self.sentiment,
        }


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: building an analyzer or a chunk's rows makes
    hundreds of thousands of objects and no cycles to collect, and each automatic
    collection of the oldest generation walks every object the analyzer holds (about 40 ms
    of a worker's 20,000 short reviews). Reference counting still frees what is dropped;
    the collector runs again afterwards as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _analyze_chunk(analyzer: Analyzer, chunk: list[tuple[str, str, str]],
                   versions: tuple[str, str]) -> tuple[list[tuple], list[tuple]]:
    """The analysis and topic rows to write for a fetched chunk of ``(id, text, kind)``."""
    now = datetime.now().isoformat(timespec="seconds")
    with _no_collection():
        return analyzer.rows([c[1] for c in chunk], [c[0] for c in chunk], (*versions, now), [c[2] for c in chunk])


# -- worker processes -----------------------------------------------------------------
# With N workers the parent analyses too, beside N - 1 worker processes: it has the
# analyzer built and warm (a forked worker's first chunk costs about a third more, its
# pages copied as it touches them), and one process fewer is started. Each process
# (the parent and its workers) takes the next chunk from a shared counter until none is
# left, reads it, analyses it and writes the results itself (the store lets one writer
# in at a time), so the analysis runs in parallel.
#
# They take turns to write through a lock of their own: waiting on it wakes a process
# as soon as the other has committed, where the store's own busy wait (SQLite's busy
# handler) sleeps in growing steps and wakes up to several milliseconds late. The store
# still locks as it always does (other processes write through it).
#
# Where processes fork (POSIX), the workers are forked with os.fork and the lock and the
# counters are a pipe and an anonymous shared memory map (:class:`_PipeLock`,
# :class:`_MapCounter`); elsewhere multiprocessing spawns them.
_WORKER: Analyzer | None = None
_WORKER_STORE: Store | None = None
_WORKER_WRITES = None
_WORKER_TURN = None  # the write lock
_WORKER_NEXT = None  # the shared counter: the next chunk to take
_WORKER_DONE = None  # the shared counter: records analysed by the workers so far


def _init_worker(target: str, lexicons: Lexicons, model, topic_model, turn=None, next_chunk=None,
                 done=None) -> None:
    global _WORKER, _WORKER_STORE, _WORKER_WRITES, _WORKER_TURN, _WORKER_NEXT, _WORKER_DONE
    # Ctrl-C reaches the whole process group: the parent stops its workers (their
    # open transactions roll back), and a worker prints no traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if _WORKER is None:  # spawn: nothing inherited (fork: the parent's analyzer is here)
        _WORKER = Analyzer.from_lexicons(lexicons, model, topic_model)
    _WORKER_STORE = open_store(target)
    _WORKER_WRITES = _WORKER_STORE.analysis_writer()
    _WORKER_WRITES.__enter__()
    _WORKER_TURN, _WORKER_NEXT, _WORKER_DONE = turn, next_chunk, done


def _take(counter) -> int:
    """The next chunk's number from a shared counter."""
    return counter.add(1)


class _ValueCounter:
    """A shared counter in a multiprocessing ``Value`` (spawned workers)."""

    def __init__(self, ctx):
        self._value = ctx.Value("q", 0)

    def add(self, n: int) -> int:
        """Add ``n``; the value before."""
        with self._value.get_lock():
            before = self._value.value
            self._value.value = before + n
        return before

    @property
    def value(self) -> int:
        return self._value.value


# Forked workers are started with os.fork and share a lock and counters made of a pipe and
# an anonymous shared memory map: multiprocessing and what it imports (subprocess, socket,
# tempfile, ctypes) were about 12 ms of a short run's start-up.
class _PipeLock:
    """A lock forked processes share: a pipe that holds one byte while the lock is free
    (a process waiting for it wakes as soon as it is written back)."""

    def __init__(self) -> None:
        self._r, self._w = os.pipe()
        os.write(self._w, b"\0")

    def acquire(self) -> bool:
        if not os.read(self._r, 1):
            raise RuntimeError("the workers' lock was closed")
        return True

    def release(self) -> None:
        os.write(self._w, b"\0")

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()

    def close(self) -> None:
        os.close(self._r)
        os.close(self._w)


class _MapCounter:
    """A counter forked processes share: eight bytes of an anonymous shared memory map,
    changed under a :class:`_PipeLock`."""

    def __init__(self) -> None:
        import mmap

        self._map = mmap.mmap(-1, 8)  # (shared: MAP_SHARED | MAP_ANONYMOUS)
        self._lock = _PipeLock()

    def add(self, n: int) -> int:
        """Add ``n``; the value before."""
        with self._lock:
            before = int.from_bytes(self._map[:8], "little", signed=True)
            self._map[:8] = (before + n).to_bytes(8, "little", signed=True)
        return before

    @property
    def value(self) -> int:
        return int.from_bytes(self._map[:8], "little", signed=True)

    def close(self) -> None:
        self._lock.close()
        self._map.close()


def _analyze_part(analyzer: Analyzer, store: Store, keys: list[int], versions: tuple[str, str], turn) -> int:
    """Read, analyse and write one chunk (writing in ``turn``); how many records."""
    # the collector stays paused until the chunk's rows are written and dropped: the first
    # collection after a chunk would otherwise walk its tens of thousands of tuples
    with _no_collection():
        rows, topic_rows = _analyze_chunk(analyzer, store.texts(keys), versions)
        with turn:
            store.write_analysis(rows, topic_rows)
        n = len(rows)
        del rows, topic_rows
    return n


def _work_shared(chunks: list[list[int]], versions: tuple[str, str]) -> int:
    """In a worker: take chunks from the shared counter until none is left; returns how
    many records it analysed."""
    assert _WORKER is not None and _WORKER_STORE is not None
    done = 0
    while (i := _take(_WORKER_NEXT)) < len(chunks):
        n = _analyze_part(_WORKER, _WORKER_STORE, chunks[i], versions, _WORKER_TURN)
        done += n
        _WORKER_DONE.add(n)
    return done


def _shared(store: Store, analyzer: Analyzer, fork: bool, workers: int, initargs: tuple, chunks: list[list[int]],
            versions: tuple[str, str], progress: Callable[[int, int], None] | None, total: int) -> int:
    """Analyse ``chunks`` in this process and ``workers - 1`` worker processes (forked:
    :func:`_forked`; else spawned by multiprocessing), each taking the next chunk from a
    shared counter; returns how many were analysed.

    Each worker sends its count (or its exception) back through a pipe when it is done; a
    worker that dies without a word is an error."""
    if fork:
        turn, next_chunk, done_by_workers = _PipeLock(), _MapCounter(), _MapCounter()
        start, closing = _forked, (turn, next_chunk, done_by_workers)
    else:
        import multiprocessing as mp

        ctx = mp.get_context("spawn")
        turn, next_chunk, done_by_workers = ctx.Lock(), _ValueCounter(ctx), _ValueCounter(ctx)
        start, closing = partial(_spawned, ctx), ()
    args = (*initargs, turn, next_chunk, done_by_workers)
    running: list[tuple[Callable[[], None], Callable[[float], bool], Callable[[], tuple]]] = []
    mine = theirs = 0
    finished = False
    try:
        for _ in range(workers - 1):
            running.append(start(args, chunks, versions))
        with store.analysis_writer():
            while (i := _take(next_chunk)) < len(chunks):
                mine += _analyze_part(analyzer, store, chunks[i], versions, turn)
                if progress:
                    progress(mine + done_by_workers.value, total)
        for _stop, ready, result in running:
            while progress and not ready(0.2):
                progress(mine + done_by_workers.value, total)
            ok, value = result()
            if not ok:
                raise value
            theirs += value
        finished = True
    finally:
        for stop, _ready, _result in running:
            stop(not finished)  # an error or Ctrl-C: the worker's open transaction rolls back
        for thing in closing:
            thing.close()
    if progress:
        progress(mine + theirs, total)
    return mine + theirs


def _worker_message(work: Callable[[], int]) -> tuple:
    """In a worker: ``(True, work())``, or ``(False, the exception)``."""
    try:
        return (True, work())
    except BaseException as e:  # noqa: BLE001 - the parent raises it
        return (False, e)


def _pickled(message: tuple) -> bytes:
    import pickle

    try:
        return pickle.dumps(message)
    except Exception as e:  # noqa: BLE001 - an exception that will not pickle: its text
        return pickle.dumps((False, RuntimeError(f"{type(message[1]).__name__}: {message[1]} ({e})")))


def _forked(args: tuple, chunks: list[list[int]], versions: tuple[str, str]) -> tuple:
    """A worker forked from this process (it has the analyzer: :data:`_WORKER`): its
    ``(stop, ready, result)`` functions."""
    for stream in (sys.stdout, sys.stderr):  # (nothing written before the fork is written twice)
        stream.flush()
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: it never returns from here
        code = 1
        try:
            os.close(receive)
            message = _worker_message(lambda: (_init_worker(*args), _work_shared(chunks, versions))[1])
            data = _pickled(message)
            with open(send, "wb") as out:
                out.write(data)
            code = 0 if message[0] else 1
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        finally:
            os._exit(code)
    os.close(send)
    status: list[int] = []

    def reap() -> int:
        if not status:
            status.append(os.waitpid(pid, 0)[1])
        return os.waitstatus_to_exitcode(status[0])

    def stop(kill: bool) -> None:
        if kill and not status:
            os.kill(pid, signal.SIGTERM)
        reap()
        os.close(receive)

    def ready(timeout: float) -> bool:
        import select

        return bool(select.select([receive], [], [], timeout)[0])

    def result() -> tuple:
        import pickle

        with open(receive, "rb", closefd=False) as f:
            data = f.read()
        if not data:
            raise RuntimeError(f"a worker process ended without its results (exit code {reap()})")
        return pickle.loads(data)

    return stop, ready, result


def _spawned(ctx, args: tuple, chunks: list[list[int]], versions: tuple[str, str]) -> tuple:
    """A worker spawned by multiprocessing (it builds its own analyzer): its ``(stop,
    ready, result)`` functions."""
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_spawned_main, args=(send, args, chunks, versions), daemon=True)
    proc.start()
    send.close()  # (only the worker's end is open: its death is an end of file here)

    def stop(kill: bool) -> None:
        if kill:
            proc.terminate()
        proc.join()
        receive.close()

    def result() -> tuple:
        try:
            return receive.recv()
        except EOFError:
            proc.join()
            raise RuntimeError(f"a worker process ended without its results (exit code {proc.exitcode})") from None

    return stop, receive.poll, result


def _spawned_main(conn, args: tuple, chunks: list[list[int]], versions: tuple[str, str]) -> None:
    """A spawned worker: set up, take chunks until none is left, send the message."""
    message = _worker_message(lambda: (_init_worker(*args), _work_shared(chunks, versions))[1])
    conn.send_bytes(_pickled(message))
    conn.close()


def _claim_chunk(versions: tuple[str, str], size: int) -> int | None:
    """In a worker: claim a chunk from the store, analyse it and write it (one
    transaction); the number analysed, or None when nothing is left to claim."""
    assert _WORKER is not None and _WORKER_STORE is not None
    return _analyze_claimed(_WORKER, _WORKER_STORE, versions, size)


def _analyze_claimed(analyzer: Analyzer, store: Store, versions: tuple[str, str], size: int) -> int | None:
    with store.claim_pending(*versions, size) as chunk:
        if not chunk:
            return None if chunk is None else 0
        rows, topic_rows = _analyze_chunk(analyzer, chunk, versions)
        store.write_analysis(rows, topic_rows)
        return len(rows)


def _claimed(store: Store, analyzer: Analyzer, ctx, workers: int, initargs: tuple, versions: tuple[str, str],
             size: int, progress: Callable[[int, int], None] | None, total: int) -> int:
    """Analyse by claiming chunks from the store (a server store: other processes, on
    this machine or others, claim theirs at the same time); returns how many this
    process analysed."""
    done = 0
    if workers <= 1:
        with store.analysis_writer():
            while (n := _analyze_claimed(analyzer, store, versions, size)) is not None:
                done += n
                if progress:
                    progress(done, total)
        return done
    with ctx.Pool(workers, initializer=_init_worker, initargs=initargs) as pool:
        running = [pool.apply_async(_claim_chunk, (versions, size)) for _ in range(workers)]
        while running:
            n = running.pop(0).get()
            if n is None:  # that worker found nothing left
                continue
            done += n
            if progress:
                progress(done, total)
            running.append(pool.apply_async(_claim_chunk, (versions, size)))
    return done


def can_fork() -> bool:
    """Whether worker processes are forked from this one (every POSIX system, as
    multiprocessing's "fork"), rather than spawned (Windows)."""
    return hasattr(os, "fork")


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_workers(pending: int, fork: bool, cores: int | None = None) -> int:
    """The worker processes for ``pending`` records when the user did not say: one per
    :data:`PER_FORKED_WORKER` (:data:`PER_SPAWNED_WORKER` without ``fork``) pending
    records, at most one per core and :data:`MAX_AUTO_WORKERS`, at least one."""
    per = PER_FORKED_WORKER if fork else PER_SPAWNED_WORKER
    cores = usable_cores() if cores is None else cores
    return max(1, min(cores, MAX_AUTO_WORKERS, pending // per))


def _split(keys: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(keys), size):
        yield keys[i : i + size]


def _guided(keys: list[int], size: int, workers: int, smallest: int = 1000) -> Iterator[list[int]]:
    """Chunks of ``size`` while there is plenty left, then smaller ones (a share of
    what remains, down to ``smallest``), so the workers run out of work together
    instead of one finishing a full chunk alone."""
    i, n = 0, len(keys)
    while i < n:
        step = max(smallest, min(size, (n - i) // (2 * workers)))
        if n - i - step < smallest:  # no crumbs at the end
            step = n - i
        yield keys[i : i + step]
        i += step


def analyze_store(
    store: Store,
    *,
    lexicons: Lexicons | None = None,
    workers: int | None = None,
    reanalyze: bool = False,
    model: str | Path | None = None,
    topic_model: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    adapting: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK,
    analyzer: Analyzer | None = None,
    adapt: bool = True,
) -> AnalyzeResult:
    """Analyse what is new or stale; returns counts and throughput.

    ``workers``: worker processes; ``None`` picks them from the pending records and the
    cores (:func:`auto_workers`; one with an injected ``analyzer``).

    ``analyzer`` replaces the one built from ``lexicons``, ``model`` and ``topic_model``
    (one process only: workers build theirs from those). With ``adapt`` (and no
    ``model`` of the user's), the default sentiment model is adapted to the store's star
    ratings when that is more accurate (:mod:`voc.analysis.adapt`); ``adapting`` is told
    the number of rated reviews before a candidate model is trained.
    """
    global _WORKER
    t0 = time.perf_counter()
    lexicons = lexicons if lexicons is not None else Lexicons.packaged()
    evidence: dict | None = None
    note = ""
    adapted = None
    frozen = False
    try:
        if analyzer is None:
            with _no_collection():
                analyzer = Analyzer.from_lexicons(lexicons, model, topic_model)
                # kept out of every collection while it is used (each would walk all its objects,
                # and in a forked worker touching their headers copies their pages)
                gc.freeze()
                frozen = True
            if adapt and model is None:
                from voc.analysis.adapt import adapted_sentiment

                adaptation = adapted_sentiment(store, analyzer.sentiment, adapting)
                evidence, note = adaptation.evidence, adaptation.describe()
                if adaptation.model is not analyzer.sentiment:
                    analyzer = analyzer.with_sentiment(adaptation.model)
                    adapted = adaptation.model
        elif workers is not None and workers > 1:
            raise ValueError("an injected analyzer runs in one process (workers=1)")
        else:
            workers = 1
        versions = (analyzer.model_version, analyzer.lexicon_version)
        total = store.count_records()
        keys = store.pending_analysis(*versions, reanalyze=reanalyze)
        fork = can_fork()  # forked workers inherit the analyzer, ready
        if workers is None:
            workers = auto_workers(len(keys), fork)
        if workers > 1 and adapted is not None and not fork:
            from voc.analysis.adapt import model_file

            model = model_file(adapted)  # what spawned worker processes load
        if keys:
            store.bump_generation()
        claims = bool(keys) and store.claims_analysis and not reanalyze
        done = 0
        if workers <= 1 and not claims:
            with store.analysis_writer():
                for part in _split(keys, chunk_size):
                    done += _analyze_part(analyzer, store, part, versions, nullcontext())
                    if progress:
                        progress(done, len(keys))
        elif keys:
            size = chunk_size if workers <= 1 else min(chunk_size, max(1000, len(keys) // (workers * 4)))
            initargs = (store.target(), lexicons, model, topic_model)
            _WORKER = analyzer if fork else None
            if fork and not frozen:  # (an analyzer given: what the workers inherit, as above)
                gc.freeze()
                frozen = True
            try:
                if claims:
                    # a server store: chunks are claimed from it, so that several `voc analyze`
                    # processes on several machines split the pending records between them
                    import multiprocessing as mp

                    ctx = mp.get_context("fork" if fork else "spawn")
                    done = _claimed(store, analyzer, ctx, workers, initargs, versions, size, progress, len(keys))
                else:
                    chunks = list(_guided(keys, size, workers, min(400, size)))
                    done = _shared(store, analyzer, fork, workers, initargs, chunks, versions, progress, len(keys))
            finally:
                _WORKER = None
    finally:
        if frozen:
            gc.unfreeze()
    if RETAIN is not None:
        RETAIN.append(analyzer)
    return AnalyzeResult(
        analyzed=done, skipped=total - done, seconds=time.perf_counter() - t0, workers=workers,
        model_version=versions[0], lexicon_version=versions[1], sentiment=evidence, sentiment_note=note,
    )
