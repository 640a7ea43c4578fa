"""PL9xx: input problems. The reader and the engine report these themselves;
they are declared here so they have codes, names and documentation."""

from __future__ import annotations

from ..registry import declare

declare(
    code="PL901",
    name="unreadable-file",
    severity="error",
    doc='''The file could not be read (permission denied, a directory, a broken link).

    A path named on the command line that does not exist is PL901 too.

    Why: a corpus run must not stop at one bad file; the problem is a finding
    for that file, nothing is written for it, and the run goes on.
    Fix safety: no fix; make the file readable or exclude it.

    Bad: None
    Good: b"Readable text.\\n"
    ''',
)
declare(
    code="PL902",
    name="binary-file",
    severity="error",
    doc='''The file holds NUL bytes: it is binary, not text.

    Why: binary files (images, archives) in a text corpus are a packaging
    mistake; cleaning them would corrupt them, so they are reported and
    skipped, and nothing is written for them. (UTF-16 text with a byte-order
    mark also holds NUL bytes; it is read as text: see PL903.)
    Fix safety: no fix; remove the file or exclude it.

    Bad: b"GIF89a\\x00\\x01\\x00"
    Good: b"Plain text.\\n"
    ''',
)
declare(
    code="PL903",
    name="not-utf8",
    doc='''The bytes are not valid UTF-8.

    Why: web text arrives in legacy encodings (cp1252, latin-1), as UTF-16
    (saved by Windows tools, with a byte-order mark) or with a few broken
    bytes. provlint decodes it losslessly (as UTF-16 when a UTF-16 BOM starts
    it, as cp1252 when every byte fits, else UTF-8 with the bad bytes kept as
    they are), checks and cleans it, and writes it back in the same encoding
    (BOM included), so every byte not removed by a rule survives unchanged;
    the provenance record names the encoding.
    Fix safety: no fix; re-encode the source as UTF-8 if you can.

    Bad: b"Caf\\xe9 society.\\n"
    Good: b"Caf\\xc3\\xa9 society.\\n"
    ''',
)
declare(
    code="PL904",
    name="rule-crashed",
    severity="error",
    doc='''A rule raised an exception on this document.

    Why: a bug in one rule (or a rule pack) must not stop the run or hide
    the other rules' findings; the document gets this finding naming the
    rule, and ``--debug`` shows the traceback.
    Fix safety: no fix; report the bug with the document.

    Bad: "Text that makes a rule crash.\\n"
    Good: "Text every rule handles.\\n"
    ''',
)
declare(
    code="PL907",
    name="fixes-not-converging",
    severity="error",
    doc='''The fixes kept changing the document after the last fix pass.

    Why: each fix pass re-runs every rule on the fixed text until nothing
    changes; a rule whose fix keeps making work for the next pass (a bug,
    often in a rule pack) would never stop. After the last pass the document
    is left exactly as it was read, this finding names the rules of that
    pass, the rules' findings on the text as read are reported, and the run
    goes on with the next document.
    Fix safety: no fix; report the bug with the document.

    Bad: None
    Good: "Text whose fixes settle.\\n"
    ''',
)
declare(
    code="PL905",
    name="document-too-large",
    severity="error",
    doc='''The document is larger than ``max-document-bytes`` (default 16 MiB).

    Why: one giant file (a log, a dump, a decompression bomb) must not
    exhaust memory and get the whole run killed; provlint checks the size
    before reading, reports the file and goes on. Raise the limit with
    ``--max-document-bytes`` or the ``max-document-bytes`` key if it is
    genuine text.
    Fix safety: no fix; split the document or raise the limit.

    Bad: None
    Good: "A document of ordinary size.\\n"
    ''',
)
declare(
    code="PL906",
    name="symlink-outside-inputs",
    severity="error",
    doc='''The file is a symlink whose target lies outside the paths given.

    Why: a repository or corpus may plant ``notes.txt -> /etc/passwd`` or
    ``-> ../../other-project/file``; reading it would leak another file into
    findings and reports, and fixing it would write outside the inputs. A
    symlink whose target is inside a folder given (or the folder of a file
    given) is read and fixed through its target; this one is skipped.
    Fix safety: no fix; replace the link by the file, or pass the target itself.

    Bad: None
    Good: "A regular file inside the tree.\\n"
    ''',
)
declare(
    code="PL908",
    name="corpus-file",
    severity="error",
    doc='''The file is a JSONL or Parquet corpus, given to ``check`` or ``fix``.

    Why: ``check`` and ``fix`` read each file as one text. A corpus file
    (``.jsonl``, ``.jsonl.gz``, ``.jsonl.zst``, ``.parquet``) keeps each
    document in a string field, so as one text it would pass (its residue
    sits inside escaped strings), and fixing it in place would edit its
    records as if they were prose lines. The file is reported, not read and
    not written; ``provlint report`` reads its records as documents and
    writes a cleaned corpus of the same format. To check such a file as
    plain text anyway, pipe it in: ``provlint check - < FILE``.
    Fix safety: no fix; run ``provlint report FILE``.

    Bad: None
    Good: "A text file, one document.\\n"
    ''',
)
