/* Per-line helpers called straight from their caches, for provlint._speedups: the
 * phrase index's entry (checks.patterns._entry_py), prose.shape and credit_like. A
 * cache calling C directly spares a Python frame per line it has not seen yet. */
#include "_speedups.h"

/* Where a Markdown link target starting at ``i`` ends (just past its ")"), or -1 when
 * none starts there: "](" and then characters other than ")" and white space up to a
 * ")" (checks.patterns._LINK_RE, ``\]\([^)\s]*\)``). */
static inline Py_ssize_t
link_end(View v, Py_ssize_t i)
{
    if (i + 1 >= v.n || AT(v, i) != ']' || AT(v, i + 1) != '(')
        return -1;
    for (Py_ssize_t j = i + 2; j < v.n; j++) {
        Py_UCS4 c = AT(v, j);
        if (c == ')')
            return j + 1;
        if (ISSPACE(c))
            return -1;
    }
    return -1;
}

/* ``_LINK_RE.sub("", key)``: a new reference (``key`` itself when it has no link). */
static PyObject *
drop_links(PyObject *key)
{
    View v = view_of(key);
    Py_ssize_t first = 0;
    while (first < v.n && link_end(v, first) < 0)
        first++;
    if (first == v.n)
        return Py_NewRef(key);
    Py_UCS4 *buf = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)v.n);
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t len = 0, i = 0;
    while (i < v.n) {
        Py_ssize_t end = i >= first ? link_end(v, i) : -1;
        if (end >= 0) {
            i = end;  /* matches do not overlap: the search goes on after this one */
            continue;
        }
        buf[len++] = AT(v, i++);
    }
    PyObject *res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, len);
    PyMem_Free(buf);
    return res;
}

/* checks.patterns._entry_py with ``normalise`` (lines.normalise, cached) for its first
 * step: (key, the key's first word) or None for an empty key. One call instead of a
 * Python frame for the entry and another for the key, per line the index has not
 * seen yet. */
PyObject *
speedups_phrase_entry(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    /* fast-call: a memo's miss calls it through a partial, for each new line */
    if (nargs != 2 || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "phrase_entry(normalise, line: str)");
        return NULL;
    }
    PyObject *normalise = args[0], *line = args[1];
    PyObject *norm = PyObject_CallOneArg(normalise, line);
    if (norm == NULL || !need_str(norm, "phrase_entry: normalise")) {
        Py_XDECREF(norm);
        return NULL;
    }
    PyObject *bare = drop_links(norm);
    Py_DECREF(norm);
    if (bare == NULL)
        return NULL;
    PyObject *key = speedups_trim_key(NULL, bare);
    Py_DECREF(bare);
    if (key == NULL)
        return NULL;
    View v = view_of(key);
    if (v.n == 0) {
        Py_DECREF(key);
        Py_RETURN_NONE;
    }
    Py_ssize_t lo = 0;  /* the key's first \S+ word (trimming left no space in front) */
    while (lo < v.n && ISSPACE(AT(v, lo)))
        lo++;
    Py_ssize_t hi = lo;
    while (hi < v.n && !ISSPACE(AT(v, hi)))
        hi++;
    PyObject *word = PyUnicode_Substring(key, lo, hi);
    PyObject *pair = word == NULL ? NULL : PyTuple_New(2);  /* not Py_BuildValue: it */
    if (pair == NULL) {                                     /* parses its format per line */
        Py_DECREF(key);
        Py_XDECREF(word);
        return NULL;
    }
    PyTuple_SET_ITEM(pair, 0, key);  /* both references move into the pair */
    PyTuple_SET_ITEM(pair, 1, word);
    return pair;
}

/* ---- per-line tests called straight from their caches ---------------------- */

/* prose.shape's miss: shape_parts(text, shape_type), with the type first so that
 * functools.partial can bind it and the cache call C without a Python frame. */
PyObject *
speedups_shape_of(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    /* fast-call, without packing the arguments again for shape_parts: a memo's miss
     * calls it through a partial, for each new line */
    if (nargs != 2 || !PyType_Check(args[0]) ||
            !PyType_IsSubtype((PyTypeObject *)args[0], &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "shape_of(shape_type: a tuple subclass, text)");
        return NULL;
    }
    return shape_record(args[1], (PyTypeObject *)args[0]);
}

/* prose.credit_like's miss: credit_quick's answer as a bool, or fallback(text) when
 * credit_quick cannot tell (prose._credit_like_py). */
PyObject *
speedups_credit_like(PyObject *self, PyObject *args)
{
    PyObject *hints, *agencies, *deciding, *fallback, *text;
    if (!PyArg_ParseTuple(args, "OOOOO:credit_like", &hints, &agencies, &deciding, &fallback,
                          &text))
        return NULL;
    PyObject *quick_args = PyTuple_Pack(4, text, hints, agencies, deciding);
    if (quick_args == NULL)
        return NULL;
    PyObject *quick = speedups_credit_quick(self, quick_args);
    Py_DECREF(quick_args);
    if (quick == NULL || quick != Py_None)
        return quick;  /* NULL, True or False */
    Py_DECREF(quick);
    return PyObject_CallOneArg(fallback, text);
}
