"""Loading a ledger fast and safely: the garbage collector tuned for the load, and a cache
that can only give back what a fresh load of the same books would give.

Every entry point of jlis-ledger (the CLI commands, :func:`jlis_ledger.books.load`, the
Fava reload behind ``jlis-ledger serve``) loads through :func:`load_ledger`, which
returns exactly what Beancount's plain load returns: ``(entries, errors, options_map)``.

The collector. A load allocates millions of long-lived objects; CPython's cyclic
collector keeps traversing them while they are built (about 30 % of a load) and again
after it. During the load the collector is disabled; afterwards the loaded objects are
moved to the permanent generation (:func:`gc.freeze`, meant for exactly such data, which
reference counting still frees), and the collector's previous state is restored, also
when the load raises.

The cache. A pickle of the result (its entries in chunks, :func:`jlis_ledger.core.stored.write_result`), in the user's cache directory
(``$JLIS_LEDGER_CACHE_DIR``, else ``$XDG_CACHE_HOME/jlis-ledger``, else
``~/.cache/jlis-ledger``), one file per ledger. It is used only if all of these are
unchanged since it was written, else the ledger is loaded afresh and the cache replaced:

- the bytes (SHA-256) of every file the ledger includes, found again by following the
  ``include`` lines from the main file (so a new include, a file that a glob now matches
  or a file that appeared or vanished changes the key), and checked against Beancount's
  own list of the files it parsed before anything is written;
- the plugin lines and their configuration, and the bytes of every file of the code the plugins
  run: each plugin's module and every module it imports, transitively, in its own package or
  another (:func:`jlis_ledger.imports.closure`), and every module first imported during the
  load (an import by a computed name); the standard library by Python's version and Beancount
  by its own;
- the versions of Python, Beancount and jlis-ledger, and Beancount's built-in plugin lists;
- the ``documents`` folders' listings as Beancount walks them (following symbolic links to
  folders) and the existence of the files that ``document`` entries name (Beancount reads
  those from the disk too).

The parse of every file is kept too, keyed on its bytes (:mod:`jlis_ledger.incremental`): a
load that misses the cache re-parses only the files that changed. A load that re-parsed some
files but not all (a re-check after an edit) does not write the cache (a pickle of the whole
result costs about what the re-parse saved); the next load of the same files does.

A cache file is written only if the sources did not change during the load, to a
temporary file in the cache directory renamed over the old one (:func:`os.replace`), with
a digest of its contents: a truncated, corrupted or unreadable cache file, or a cache
directory that cannot be written, means a fresh load, silently. Nothing outside the
cache directory is ever written or deleted. Beancount's own pickle cache (next to the
ledger, deleted when a load runs with caching off) is never used.

A plugin whose result depends on anything else than the ledger's files (the network,
the clock, environment variables) should be loaded with ``cache=False``. Reading a cache
file unpickles it: the cache directory must be the user's own (it is created ``0700``).
Its files are never cleaned up (one per main ledger file); deleting them is always safe.

    >>> from jlis_ledger.loading import load_ledger
    >>> entries, errors, options_map = load_ledger("ledger/main.beancount")        # doctest: +SKIP
    >>> entries, errors, options_map = load_ledger("main.beancount", cache=False)  # doctest: +SKIP
"""

from __future__ import annotations

import gc
import glob
import hashlib
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from beancount import loader
from beancount.core import data
from beancount.utils import encryption

from jlis_ledger import imports, incremental, load_errors
from jlis_ledger.core import stored

#: The environment variable naming the cache directory (tests and users point it elsewhere).
CACHE_DIR_ENV = "JLIS_LEDGER_CACHE_DIR"

#: The layout of a cache file; a file of another format is ignored.
FORMAT = 3

_MAGIC = b"jlis-ledger load cache\n"

LoadResult = tuple[list, list, dict]

#: While a list (:mod:`jlis_ledger.memo` sets one around a command), the key (cache header) of every load, in
#: order: None for a load that is not in the cache (``cache=False``, an encrypted ledger, a re-check after an
#: edit, a ledger that cannot be cached). None otherwise (a long-running server keeps nothing).
loads: list[dict | None] | None = None


def _record(key: dict | None) -> None:
    if loads is not None:
        loads.append(key)


# -- where ------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """``$JLIS_LEDGER_CACHE_DIR``, else ``$XDG_CACHE_HOME/jlis-ledger``, else ``~/.cache/jlis-ledger``."""
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "jlis-ledger"


def cache_file(filename: str, cache_dir: Path) -> Path:
    """The cache file of a ledger: one per main file (its absolute path)."""
    return cache_dir / (hashlib.sha256(filename.encode("utf-8", "surrogateescape")).hexdigest()[:32] + ".pickle")


def _absolute(path: str | os.PathLike) -> str:
    """The main file's name as Beancount's ``load_file`` makes it (entries' ``filename`` metadata)."""
    filename = os.path.expandvars(os.path.expanduser(os.fspath(path)))
    if not os.path.isabs(filename):
        filename = os.path.normpath(os.path.join(os.getcwd(), filename))
    return filename


# -- the collector ----------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside; on success, everything alive is frozen
    (:func:`gc.freeze`) so that later collections skip the loaded ledger. The
    collector's enabled state is restored in every case."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if enabled:
            gc.enable()


# -- loading --------------------------------------------------------------------------------


def load_ledger(
    path: str | os.PathLike,
    *,
    cache: bool = True,
    cache_dir: str | os.PathLike | None = None,
) -> LoadResult:
    """Load a Beancount ledger with its plugins: ``(entries, errors, options_map)``, the same
    as ``beancount.loader.load_file`` gives.

    ``cache=False`` neither reads nor writes the cache (and touches nothing on disk);
    ``cache_dir`` overrides :func:`default_cache_dir`.
    """
    filename = _absolute(path)
    if encryption.is_encrypted_file(filename):
        # Decrypted books are never written to disk by us.
        _record(None)
        with collector_paused():
            return loader.load_encrypted_file(filename)
    if not cache:
        _record(None)
        with collector_paused():
            return _fresh(filename)

    directory = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target = cache_file(filename, directory)
    with collector_paused():
        before = _sources(filename)  # the key's sources, read once: before the load, as _write needs them
        hit = _read(target, filename, before)
        if hit is not None:
            return hit
        modules = set(sys.modules)
        store = incremental.ParseStore(directory / "parse")
        result = _fresh(filename, store)
        # A re-check after an edit (some files' parses stored, some parsed) does not pay for writing the
        # whole result: the next load of the same files (every parse stored) writes it.
        header = None
        if before is not None and not (store.hits and store.misses):
            header = _write(target, filename, before, result, imports.loaded_since(modules))
        _record(header)
        return result


def _fresh(filename: str, store: incremental.ParseStore | None = None) -> LoadResult:
    """Beancount's plain load of a file, without Beancount's own pickle cache (which
    ``load_file`` reads, writes and, when disabled, deletes next to the ledger): the result of the
    call that ``load_file`` makes when its cache is off, and that Fava makes — its errors one line each at
    their place (:mod:`jlis_ledger.load_errors`), also when Beancount's own validation crashes. The load is
    :func:`jlis_ledger.incremental.load` (Beancount's steps, the plain transactions booked and checked by
    :mod:`jlis_ledger.plain_booking`); with a ``store``, the parse of every unchanged file comes from it, without
    one nothing is read or written."""
    try:
        result = incremental.load(filename, store or incremental.ParseStore(None))
    except Exception as crash:  # re-raised unless booking left an entry incomplete (see load_errors.after_crash)
        return load_errors.after_crash(filename, crash)
    return load_errors.refine(result)


# -- the key ----------------------------------------------------------------------------


def _includes(text: bytes) -> list[str] | None:
    """The file names of the ``include`` lines of a file (None: a form this reader does not
    follow; the cache is then not used). Lines that Beancount would not read as includes
    may be listed too; :func:`_write` then finds Beancount's list different and does not
    cache."""
    names = []
    start = text.find(b"include")
    while start != -1:
        line_start = text.rfind(b"\n", 0, start) + 1
        end = text.find(b"\n", start)
        end = len(text) if end == -1 else end
        if not text[line_start:start].strip(b" \t"):
            rest = text[start + len(b"include"):end]
            stripped = rest.lstrip(b" \t")
            if stripped.startswith(b'"') and (rest[:1] in (b" ", b"\t", b'"')):
                closing = stripped.find(b'"', 1)
                if closing == -1:
                    return None
                raw = stripped[1:closing]
                if b"\\" in raw:
                    return None
                try:
                    names.append(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    return None
        start = text.find(b"include", end)
    return names


def _sources(filename: str) -> list[tuple[str, str | None]] | None:
    """Every file reached from the main file by its includes, with the SHA-256 of its bytes
    (None for a missing file), sorted; None if the ledger cannot be cached (an encrypted or
    unreadable file, an include this reader does not follow)."""
    seen: dict[str, str | None] = {}
    queue = [filename]
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        try:
            with open(name, "rb") as file:
                text = file.read()
        except FileNotFoundError:
            seen[name] = None
            continue
        except OSError:
            return None
        if name.endswith((".gpg", ".asc")) or encryption.is_encrypted_file(name):
            return None
        seen[name] = hashlib.sha256(text).hexdigest()
        if b"include" not in text:
            continue
        patterns = _includes(text)
        if patterns is None:
            return None
        directory = os.path.dirname(name)
        for pattern in patterns:
            search = pattern if os.path.isabs(pattern) else os.path.join(directory, pattern)
            queue.extend(os.path.normpath(match if os.path.isabs(match) else os.path.join(directory, match))
                         for match in sorted(glob.glob(search, recursive=True)))
    return sorted(seen.items())


def _environment() -> tuple:
    """Versions of everything that turns the same files into different entries."""
    import beancount

    import jlis_ledger

    return (
        FORMAT,
        sys.version,
        beancount.__version__,
        jlis_ledger.__version__,
        repr(loader.PLUGINS_PRE),
        repr(loader.PLUGINS_AUTO),
        repr(loader.PLUGINS_POST),
    )


def code_digest(module: str, name: str | None) -> str | None:
    """The SHA-256 of a module's file; "moved" when this process runs the module from another file."""
    running = getattr(sys.modules.get(module), "__file__", None)
    if running is not None and name is not None and os.path.abspath(running) != os.path.abspath(name):
        return "moved"
    if name is None:
        return None
    try:
        return hashlib.sha256(Path(name).read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def _listing(folder: str) -> list[str] | None:
    if not os.path.isdir(folder):
        return None
    # as Beancount's documents plugin walks it (beancount.core.account.walk): following links to folders
    return sorted(os.path.join(root, name) for root, _, names in os.walk(folder, followlinks=True) for name in names)


def _key(filename: str, sources: list, options_map: dict, entries: list, loaded: list[str]) -> dict:
    """Everything a fresh load of ``filename`` depends on, as it is now (``loaded``: the modules first imported
    during the load)."""
    pythonpath = list(options_map.get("pythonpath") or [])
    plugins = [(name, config) for name, config in options_map.get("plugin") or []]
    code = imports.closure([*(name for name, _ in plugins), *loaded], pythonpath)
    folders = []
    for folder in options_map.get("documents") or []:
        if not os.path.isabs(folder):  # as Beancount's documents plugin resolves it
            folder = os.path.abspath(os.path.normpath(os.path.join(os.path.dirname(filename), folder)))
        folders.append(folder)
    documents = sorted({e.filename for e in entries if isinstance(e, data.Document)})
    return _check(
        {
            "filename": filename,
            "environment": None,
            "sources": sources,
            "pythonpath": pythonpath,
            "plugins": plugins,
            "code": [(module, origin, None) for module, origin in sorted(code.items())],
            "document_folders": [(folder, None) for folder in folders],
            "document_files": [(name, None) for name in documents],
        }
    )


def _check(header: dict) -> dict:
    """The key of a cache file's header with every dependency read again from the disk and
    the interpreter: equal to the header's if and only if nothing changed."""
    pythonpath = header["pythonpath"]
    return {
        "filename": header["filename"],
        "environment": _environment(),
        "sources": header["sources"],
        "pythonpath": pythonpath,
        "plugins": header["plugins"],
        "code": [(module, origin, code_digest(module, origin)) for module, origin, _ in header["code"]],
        "document_folders": [(folder, _listing(folder)) for folder, _ in header["document_folders"]],
        "document_files": [(name, os.path.exists(name)) for name, _ in header["document_files"]],
    }


# -- the cache file ---------------------------------------------------------------------


def _write(target: Path, filename: str, before: list, result: LoadResult, loaded: list[str]) -> dict | None:
    """Write the cache if the sources are the ones Beancount parsed and did not change
    during the load, and give its key; any failure leaves no file behind, is not reported and gives None."""
    entries, _errors, options_map = result
    try:
        parsed = sorted(options_map.get("include") or [])
        if sorted(name for name, digest in before if digest is not None) != parsed:
            return None  # the include lines were not read as Beancount reads them
        after = _sources(filename)
        if after != before:
            return None  # a file changed while it was loaded
        header = _key(filename, before, options_map, entries, loaded)
    except Exception:  # a key that cannot be computed: no cache for this ledger
        return None
    return header if stored.write_result(target, _MAGIC, header, result) else None


def current(header: dict) -> bool:
    """True if a load with this key (a cache header) would give the same result now."""
    filename = header.get("filename")
    return isinstance(filename, str) and _holds(header, _sources(filename))


def _holds(header: dict, sources: list | None) -> bool:
    """True if a load whose files are ``sources`` (:func:`_sources`) would give the result stored under ``header``."""
    return sources is not None and header.get("sources") == sources and _check(header) == header


def _read(target: Path, filename: str, sources: list | None) -> LoadResult | None:
    """The cached result if its key still holds (``sources``: :func:`_sources` now) and its contents are
    intact, else None."""
    accepted: list[dict] = []

    def accept(header: dict) -> bool:
        if header.get("filename") == filename and _holds(header, sources):
            accepted.append(header)
            return True
        return False

    hit = stored.read_result(target, _MAGIC, accept)
    if hit is None:
        return None
    _record(accepted[0])
    entries, errors, options_map = hit
    # Beancount's own cache key (file times and sizes), as a fresh load would compute it now.
    options_map["input_hash"] = loader.compute_input_hash(options_map["include"])
    return entries, errors, options_map


__all__ = ["CACHE_DIR_ENV", "code_digest", "collector_paused", "current", "default_cache_dir", "load_ledger", "loads"]
