/* Compiled versions of provlint's hottest per-line helpers.
 *
 * Optional: provlint/native.py imports this module when it is built and not
 * stale, and every function here has a pure-Python twin that is the
 * specification (lines.py, checks/patterns.py, checks/prose.py).
 * tests/test_native.py runs both on the same inputs and asserts equal
 * results, so a change to either side must be made to both.
 *
 * Character classes follow Python's own definitions, which is what the pure
 * code uses: str.split()/str.isspace() and re's \s are Py_UNICODE_ISSPACE,
 * re's \d and str.isdecimal() are Py_UNICODE_ISDECIMAL, re's [^\W_] and
 * str.isalnum() are Py_UNICODE_ISALNUM (is_decimal and is_alnum in
 * _speedups.h, with an inline answer for ASCII).
 */
#include "_speedups.h"

/* lines.WS_CHARS, in the same order (native.py checks they are equal). */
static const Py_UCS4 WS_LIST[] = {
    0x09, 0x0b, 0x0c, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000,
    0x200b, 0x200c, 0x200d, 0x2060, 0xfeff,
};

/* ---- split --------------------------------------------------------------- */

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* next_break_ucsN(d, pos, n): the index of the first LF or CR in d[pos:n] (n when there
 * is none) of a str of that width. */
#define NEXT_BREAK(name, T, FAST)                                                    \
    static inline Py_ssize_t                                                        \
    name(const T *d, Py_ssize_t pos, Py_ssize_t n)                                  \
    {                                                                               \
        FAST                                                                        \
        while (pos < n && d[pos] != '\n' && d[pos] != '\r')                         \
            pos++;                                                                  \
        return pos;                                                                 \
    }
NEXT_BREAK(next_break_ucs1, Py_UCS1, )
NEXT_BREAK(next_break_ucs4, Py_UCS4, )
/* Most documents are 2-byte str (one curly quote makes one): eight characters a step
 * where SSE2 is there (every x86-64), then one at a time for the last few. */
#if defined(__SSE2__)
NEXT_BREAK(next_break_ucs2, Py_UCS2,
    const __m128i lf = _mm_set1_epi16('\n');
    const __m128i cr = _mm_set1_epi16('\r');
    for (; pos + 8 <= n; pos += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(d + pos));
        int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi16(x, lf),
                                                  _mm_cmpeq_epi16(x, cr)));
        if (mask)
            return pos + __builtin_ctz((unsigned)mask) / 2;
    })
#else
NEXT_BREAK(next_break_ucs2, Py_UCS2, )
#endif
#undef NEXT_BREAK

/* lines._split: (index, start, end, stop, text, blank) per line, built as
 * instances of the tuple subclass ``line_type`` (lines.Line). */
static PyObject *
split_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *prev = NULL;
    PyTypeObject *line_type;
    Resplit again;
    if (!PyArg_ParseTuple(args, "UO!|O:split_lines", &text, &PyType_Type, &line_type, &prev))
        return NULL;
    if (!PyType_IsSubtype(line_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "line_type must be a tuple subclass");
        return NULL;
    }
    View v = view_of(text);
    if (resplit_start(&again, prev) < 0)
        return NULL;
    /* the lines made so far, moved into the list at the end (no append per line) */
    Py_ssize_t cap = 64;
    PyObject **made = PyMem_Malloc(sizeof(PyObject *) * (size_t)cap), *out = NULL;
    if (made == NULL)
        return PyErr_NoMemory();
    Py_ssize_t pos = 0, index = 0;
    /* A line's stop is the next line's start, and an empty line's end is its start:
     * the same int object serves both (most offsets are above the small-int cache,
     * so this saves an allocation and a release per line). */
    PyObject *start_obj = int_of(0);
    if (start_obj == NULL)
        goto fail;
    while (pos < v.n) {
        Py_ssize_t start = pos;
        int blank = 1;
        Py_UCS4 c = 0;
        /* the white space a blank line holds, then (most lines) on to its end */
#define TO_LINE_END(T, next_break)                                                 \
        {                                                                          \
            const T *d = (const T *)v.data;                                        \
            while (pos < v.n && is_ws(d[pos]))                                     \
                pos++;                                                             \
            if (pos < v.n && d[pos] != '\n' && d[pos] != '\r') {                   \
                blank = 0;                                                         \
                pos = next_break(d, pos, v.n);                                     \
            }                                                                      \
            c = pos < v.n ? d[pos] : 0;                                            \
        }
        if (v.kind == PyUnicode_1BYTE_KIND)
            TO_LINE_END(Py_UCS1, next_break_ucs1)
        else if (v.kind == PyUnicode_2BYTE_KIND)
            TO_LINE_END(Py_UCS2, next_break_ucs2)
        else
            TO_LINE_END(Py_UCS4, next_break_ucs4)
#undef TO_LINE_END
        Py_ssize_t end = pos;
        if (pos < v.n)
            pos += (c == '\r' && pos + 1 < v.n && AT(v, pos + 1) == '\n') ? 2 : 1;
        PyObject *same_text;
        PyObject *ln = resplit_line(&again, v, index, start, end, pos, &same_text);
        if (ln != NULL) {  /* the previous split's line: its stop is the next start */
            Py_SETREF(start_obj, Py_NewRef(PyTuple_GET_ITEM(ln, 3)));
        } else {
            PyObject *end_obj = end == start ? Py_NewRef(start_obj) : int_of(end);
            PyObject *stop_obj = pos == end && end_obj != NULL ? Py_NewRef(end_obj)
                                                               : int_of(pos);
            PyObject *items[6] = {
                int_of(index), start_obj, end_obj, Py_XNewRef(stop_obj),
                same_text != NULL ? same_text : end == start ? PyUnicode_New(0, 0)
                                                             : PyUnicode_Substring(text, start, end),
                PyBool_FromLong(blank),
            };
            start_obj = stop_obj;  /* the record holds (or, failing, has released) the old one */
            ln = record_of(line_type, items, 6);
        }
        if (ln == NULL)
            goto fail;
        if (index == cap) {
            PyObject **more = PyMem_Realloc(made, sizeof(PyObject *) * (size_t)(2 * cap));
            if (more == NULL) {
                Py_DECREF(ln);
                PyErr_NoMemory();
                goto fail;
            }
            made = more;
            cap *= 2;
        }
        made[index++] = ln;
    }
    Py_DECREF(start_obj);
    start_obj = NULL;
    if ((out = PyList_New(index)) == NULL)
        goto fail;
    memcpy(((PyListObject *)out)->ob_item, made, sizeof(PyObject *) * (size_t)index);
    PyMem_Free(made);
    return out;
fail:
    Py_XDECREF(start_obj);
    while (index > 0)
        Py_DECREF(made[--index]);
    PyMem_Free(made);
    return NULL;
}

/* ---- normalise ----------------------------------------------------------- */

static PyObject *nfkc_func = NULL;  /* unicodedata.normalize, imported on first use */

static inline Py_UCS4
quote_of(Py_UCS4 c)
{
    switch (c) {
    case 0x2018: case 0x2019: return '\'';
    case 0x201c: case 0x201d: return '"';
    case 0x2013: case 0x2014: return '-';
    case 0xa0: return ' ';
    default: return c;
    }
}

/* The words of ``v`` (split on white space) joined by single spaces, each
 * character mapped through quote_of, then WS_CHARS stripped from both ends. */
static PyObject *
collapse(View v)
{
    Py_UCS4 *buf = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(v.n ? v.n : 1));
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t len = 0;
    int gap = 0;
    for (Py_ssize_t i = 0; i < v.n; i++) {
        Py_UCS4 c = quote_of(AT(v, i));
        if (ISSPACE(c)) {
            gap = len > 0;
            continue;
        }
        if (gap) {
            buf[len++] = ' ';
            gap = 0;
        }
        buf[len++] = c;
    }
    Py_ssize_t lo = 0, hi = len;
    while (lo < hi && is_ws(buf[lo]))
        lo++;
    while (hi > lo && is_ws(buf[hi - 1]))
        hi--;
    PyObject *res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf + lo, hi - lo);
    PyMem_Free(buf);
    return res;
}

/* Whether every character of ``v`` is ASCII or one quote_of maps to ASCII.
 * NFKC and case folding leave such a str as it is, but for its capitals
 * (lower-cased) and no-break spaces (made spaces, as quote_of does): most
 * non-ASCII lines of web text only have curly quotes and dashes. */
static int
ascii_after_quotes(View v)
{
    for (Py_ssize_t i = 0; i < v.n; i++)
        if (quote_of(AT(v, i)) >= 0x80)
            return 0;
    return 1;
}

/* The same for a str that is ASCII after quote_of (ascii_after_quotes),
 * lower-cased; the ASCII members of WS_CHARS are white space, so nothing is
 * left to strip. The line itself comes back when it is already its own key. */
static PyObject *
collapse_ascii(PyObject *line)
{
    View v = view_of(line);
    Py_ssize_t n = v.n, len = 0;
    char small[512];
    char *buf = n <= (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)n);
    if (buf == NULL)
        return PyErr_NoMemory();
    int gap = 0, same = 1;
    /* one loop per width, MAP taking a character to ASCII: an ASCII str (most lines)
     * needs no quote_of, and none needs the width looked up per character */
#define COLLAPSE(T, MAP)                                                              \
    {                                                                                 \
        const T *d = (const T *)v.data;                                               \
        for (Py_ssize_t i = 0; i < n; i++) {                                          \
            Py_UCS4 raw = d[i], c = MAP(raw);                                         \
            same &= c == raw;                                                         \
            if (Py_UNICODE_ISSPACE(c)) {                                              \
                gap = len > 0;                                                        \
                same &= c == ' ';  /* with len == n at the end: single spaces only */ \
                continue;                                                             \
            }                                                                         \
            if (gap) {                                                                \
                buf[len++] = ' ';                                                     \
                gap = 0;                                                              \
            }                                                                         \
            if (c >= 'A' && c <= 'Z') {                                               \
                c += 'a' - 'A';                                                       \
                same = 0;                                                             \
            }                                                                         \
            buf[len++] = (char)c;                                                     \
        }                                                                             \
    }
#define AS_IS(c) (c)
    if (PyUnicode_IS_ASCII(line))
        COLLAPSE(Py_UCS1, AS_IS)
    else if (v.kind == PyUnicode_1BYTE_KIND)
        COLLAPSE(Py_UCS1, quote_of)
    else if (v.kind == PyUnicode_2BYTE_KIND)
        COLLAPSE(Py_UCS2, quote_of)
    else
        COLLAPSE(Py_UCS4, quote_of)
#undef AS_IS
#undef COLLAPSE
    PyObject *res;
    if (same && len == n) {
        res = Py_NewRef(line);
    }
    else {
        res = PyUnicode_New(len, 127);
        if (res != NULL)
            memcpy(PyUnicode_1BYTE_DATA(res), buf, (size_t)len);
    }
    if (buf != small)
        PyMem_Free(buf);
    return res;
}

/* lines.normalise (without its cache). */
static PyObject *
normalise(PyObject *self, PyObject *line)
{
    if (!need_str(line, "normalise"))
        return NULL;
    if (PyUnicode_IS_ASCII(line) || ascii_after_quotes(view_of(line)))
        return collapse_ascii(line);
    if (nfkc_func == NULL) {
        PyObject *mod = PyImport_ImportModule("unicodedata");
        if (mod == NULL)
            return NULL;
        nfkc_func = PyObject_GetAttrString(mod, "normalize");
        Py_DECREF(mod);
        if (nfkc_func == NULL)
            return NULL;
    }
    PyObject *s = PyObject_CallFunction(nfkc_func, "sO", "NFKC", line);
    if (s == NULL)
        return NULL;
    /* Case folding maps one character at a time and neither makes nor
     * changes the quote characters or their replacements, so folding
     * first and unifying quotes in the same pass as the white space gives
     * what the pure code (quotes first, then casefold) gives. */
    PyObject *folded = PyObject_CallMethod(s, "casefold", NULL);
    Py_DECREF(s);
    if (folded == NULL)
        return NULL;
    PyObject *res = collapse(view_of(folded));
    Py_DECREF(folded);
    return res;
}

/* ---- phrase keys --------------------------------------------------------- */

static const Py_UCS4 TAIL[] = {':', '.', ',', ';', '!', '?', 0x2026, 0xb7, '|', '/',
                               '(', ')', '[', ']', '-'};
static const Py_UCS4 HEAD[] = {'#', '>', '*', '_', '+', 0x2022, 0xb7, 0x25aa, 0xbb,
                               0x203a, '|', '[', '(', '-'};
static const Py_UCS4 KEY_RSTRIP[] = {'*', '_', ']', ')', ' '};

/* checks.patterns.phrase_key after the link removal: the tail (white space,
 * digits, TAIL) dropped, then the head decoration (_HEAD_RE), then
 * rstrip("*_]) "). */
PyObject *
speedups_trim_key(PyObject *self, PyObject *key)
{
    if (!need_str(key, "trim_key"))
        return NULL;
    View v = view_of(key);
    Py_ssize_t end = v.n, head = 0;
    while (end > 0) {
        Py_UCS4 c = AT(v, end - 1);
        if (!(in_set(c, TAIL, COUNT(TAIL)) || ISSPACE(c) || is_decimal(c)))
            break;
        end--;
    }
    while (head < end) {
        Py_UCS4 c = AT(v, head);
        if (!(ISSPACE(c) || in_set(c, HEAD, COUNT(HEAD))))
            break;
        head++;
    }
    while (end > head && in_set(AT(v, end - 1), KEY_RSTRIP, COUNT(KEY_RSTRIP)))
        end--;
    return PyUnicode_Substring(key, head, end);
}

/* ---- substrings ----------------------------------------------------------- */

/* lines.contains_any: any(needle in text for needle in needles), ``needles``
 * a tuple of str. str's own search is fast; a regex alternation of the
 * same words tries each of them at almost every position. */
static PyObject *
contains_any(PyObject *self, PyObject *args)
{
    PyObject *text, *needles;
    if (!PyArg_ParseTuple(args, "UO!:contains_any", &text, &PyTuple_Type, &needles))
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(needles); i++) {
        int found = PyUnicode_Contains(text, PyTuple_GET_ITEM(needles, i));
        if (found != 0)
            return found < 0 ? NULL : Py_NewRef(Py_True);
    }
    return Py_NewRef(Py_False);
}

/* ---- module -------------------------------------------------------------- */

/* _speedups_memo.c: the cache of lines.cached_line_test */
PyObject *speedups_memo(PyObject *self, PyObject *args);
/* _speedups_layout.c: loops of the layout and badge rules */
PyObject *speedups_shape_true(PyObject *self, PyObject *args);
PyObject *speedups_nav_runs(PyObject *self, PyObject *args);
PyObject *speedups_headline_pair(PyObject *self, PyObject *args);
PyObject *speedups_short_lines(PyObject *self, PyObject *args);
/* _speedups_scan.c: the needle scan of checks.scan */
PyObject *speedups_scan_plan(PyObject *self, PyObject *args);
PyObject *speedups_scan_lines(PyObject *self, PyObject *args);
PyObject *speedups_json_bytes(PyObject *self, PyObject *args);  /* _speedups_records.c */
PyObject *speedups_pass_records(PyObject *self, PyObject *args);  /* _speedups_edits.c */
PyObject *speedups_pass_order(PyObject *self, PyObject *applied);  /* _speedups_edits.c */
PyObject *speedups_after_pass(PyObject *self, PyObject *args);  /* _speedups_passtext.c */
PyObject *speedups_fixed_hits(PyObject *self, PyObject *args);  /* _speedups_model.c */
PyObject *speedups_fill(PyObject *self, PyObject *const *args, Py_ssize_t nargs);  /* ditto */
PyObject *speedups_run_rules(PyObject *self, PyObject *const *args,
                             Py_ssize_t nargs);  /* _speedups_rules.c */

static PyMethodDef methods[] = {
    {"split_lines", split_lines, METH_VARARGS,
     "split_lines(text, line_type, prev=None) -> list: lines._split in C, reusing"
     " prev's equal lines and texts (_speedups_resplit.c)."},
    {"normalise", normalise, METH_O, "normalise(line) -> str: lines.normalise in C."},
    {"trim_key", speedups_trim_key, METH_O,
     "trim_key(key) -> str: the end of checks.patterns.phrase_key in C."},
    {"shape_parts", speedups_shape_parts, METH_VARARGS,
     "shape_parts(text, shape_type=tuple) -> (words, terminal, listy, table, symbol, menu):"
     " checks.prose.shape_parts in C, as a shape_type (a tuple subclass)."},
    {"main_block", speedups_main_block, METH_VARARGS,
     "main_block(shapes, penalty) -> (first, last): checks.prose._main_block_py in C."},
    {"prose_span", speedups_prose_span, METH_VARARGS,
     "prose_span(shapes, lo, hi) -> (first, last): checks.metadata._prose_span_py in C."},
    {"map_texts", speedups_map_texts, METH_VARARGS,
     "map_texts(lines, func, blank, *extra) -> list: lines.map_texts in C."},
    {"index_lines", speedups_index_lines, METH_VARARGS,
     "index_lines(lines, entry, key_len, max_len, wanted=None, wanted_firsts=None)"
     " -> (where, firsts):"
     " checks.patterns._index_lines in C."},
    {"labelled", speedups_labelled, METH_VARARGS,
     "labelled(lines, mark, within) -> list: lines.labelled in C."},
    {"credit_quick", speedups_credit_quick, METH_VARARGS,
     "credit_quick(text, hints, agencies, deciding) -> bool | None:"
     " checks.prose._credit_quick_py in C."},
    {"contains_any", contains_any, METH_VARARGS,
     "contains_any(text, needles) -> bool: lines.contains_any in C."},
    {"phrase_entry", (PyCFunction)(void (*)(void))speedups_phrase_entry, METH_FASTCALL,
     "phrase_entry(normalise, line) -> (key, first word) | None:"
     " checks.patterns._entry_py in C."},
    {"shape_of", (PyCFunction)(void (*)(void))speedups_shape_of, METH_FASTCALL,
     "shape_of(shape_type, text) -> shape_type: shape_parts(text, shape_type)."},
    {"credit_like", speedups_credit_like, METH_VARARGS,
     "credit_like(hints, agencies, deciding, fallback, text) -> bool:"
     " checks.prose.credit_like's uncached body in C (fallback(text) when credit_quick cannot tell)."},
    {"shape_true", speedups_shape_true, METH_VARARGS,
     "shape_true(shapes, field) -> list: checks.boilerplate._shape_true_py in C."},
    {"nav_runs", speedups_nav_runs, METH_VARARGS,
     "nav_runs(shapes, lo, hi, max_words) -> list: checks.boilerplate._runs_py in C."},
    {"headline_pair", speedups_headline_pair, METH_VARARGS,
     "headline_pair(shapes, first) -> (last, longest): checks.boilerplate._headline_pair_py"
     " in C."},
    {"short_lines", speedups_short_lines, METH_VARARGS,
     "short_lines(lines, max_len, digit) -> list: checks.counters.short_lines_py in C."},
    {"has_control", speedups_has_control, METH_O,
     "has_control(text) -> bool: checks.encoding.has_control in C."},
    {"trailing_ws", speedups_trailing_ws, METH_O,
     "trailing_ws(text) -> [(start, end)]: checks.whitespace._trailing_py in C."},
    {"repeated_blocks", speedups_repeated_blocks, METH_VARARGS,
     "repeated_blocks(keys, repeated, min_lines, min_chars) -> [(first, last, origin)]:"
     " checks.duplication._blocks_py in C."},
    {"adjacent_repeats", speedups_adjacent_repeats, METH_VARARGS,
     "adjacent_repeats(lines, keys, min_chars) -> [int]: checks.duplication._adjacent_py in C."},
    {"blank_runs", speedups_blank_runs, METH_VARARGS,
     "blank_runs(lines, max_blank) -> [(start, end, count)]: checks.whitespace._blank_runs_py"
     " in C."},
    {"repeated_keys", speedups_repeated_keys, METH_O,
     "repeated_keys(keys) -> frozenset: checks.duplication._repeated_py in C."},
    {"long_lines", speedups_long_lines, METH_VARARGS,
     "long_lines(shapes, min_words) -> [int]: checks.repeats._long_lines_py in C."},
    {"scan_plan", speedups_scan_plan, METH_VARARGS,
     "scan_plan(needles, mark) -> capsule: the needles' table for scan_lines."},
    {"scan_lines", speedups_scan_lines, METH_VARARGS,
     "scan_lines(text, lines, scan_plan(needles, mark)) -> (hold, before) | None:"
     " checks.scan._scan_lines_py in C."},
    {"credit_candidates", speedups_credit_candidates, METH_VARARGS,
     "credit_candidates(hay, lines, hints, agencies) -> [int]: checks.credits._candidates_py"
     " in C."},
    {"select_fixes", speedups_select_fixes, METH_VARARGS,
     "select_fixes(hits, unsafe, unsafe_applicability, writable) -> (fixes, in_order):"
     " engine._select_fixes_py in C."},
    {"collect_hits", (PyCFunction)(void (*)(void))speedups_collect_hits, METH_FASTCALL,
     "collect_hits(out, found, code, ar, size, lifted) -> None: engine._collect_py in C."},
    {"run_rules", (PyCFunction)(void (*)(void))speedups_run_rules, METH_FASTCALL,
     "run_rules(out, doc, active, size, lifted, crashed, passthrough) -> None:"
     " rulerun._run_rules_py in C."},
    {"apply_fixes", (PyCFunction)(void (*)(void))speedups_apply_fixes, METH_FASTCALL,
     "apply_fixes(text, fixes, pass_no, in_order, cls) -> (text, applied):"
     " engine._apply_py in C."},
    {"fix_pass", (PyCFunction)(void (*)(void))speedups_fix_pass, METH_FASTCALL,
     "fix_pass(text, hits, unsafe, unsafe_applicability, writable, pass_no, cls)"
     " -> (text, applied, fixes): engine._fix_pass_py in C."},
    {"json_bytes", speedups_json_bytes, METH_VARARGS,
     "json_bytes(obj, encode) -> bytes: ledger._json_bytes_py in C."},
    {"memo", speedups_memo, METH_VARARGS,
     "memo(func, maxsize) -> Memo: func's results remembered (lines.cached_line_test's cache)."},
    {"pass_records", speedups_pass_records, METH_VARARGS,
     "pass_records(records, applied, todo, text, one_byte, single, base, plain, nbytes, texts)"
     " -> None: provenance._pass_records_py in C."},
    {"pass_order", speedups_pass_order, METH_O,
     "pass_order(applied) -> list[list[int]] | None: provenance._pass_order_py in C."},
    {"after_pass", speedups_after_pass, METH_VARARGS,
     "after_pass(text, applied, todo) -> str: provenance._after_pass_py in C."},
    {"fixed_hits", speedups_fixed_hits, METH_VARARGS,
     "fixed_hits(found, prefix, suffix, title, replacement, applicability, types) -> [Hit]:"
     " checks.hits.fixed_hits_py in C."},
    {"fill", (PyCFunction)(void (*)(void))speedups_fill, METH_FASTCALL,
     "fill(obj, *values): model._fill_py in C."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "Compiled twins of provlint's per-line helpers (see provlint.native).", -1, methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyObject *ws = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, WS_LIST, COUNT(WS_LIST));
    if (ws == NULL || PyModule_AddObject(m, "WS_CHARS", ws) < 0) {
        Py_XDECREF(ws);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
