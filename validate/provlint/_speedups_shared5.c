/* The phrase index's per-line entry (checks.patterns._entry_py), for provlint._speedups. */
#include "_speedups.h"

/* Where a Markdown link target starting at ``i`` ends (just past its ")"), or -1 when
 * none starts there: "](" and then characters other than ")" and white space up to a
 * ")" (checks.patterns._LINK_RE, ``\]\([^)\s]*\)``). */
static Py_ssize_t
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
speedups_phrase_entry(PyObject *self, PyObject *args)
{
    PyObject *normalise, *line;
    if (!PyArg_ParseTuple(args, "OU:phrase_entry", &normalise, &line))
        return NULL;
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
    if (word == NULL) {
        Py_DECREF(key);
        return NULL;
    }
    return Py_BuildValue("(NN)", key, word);
}
