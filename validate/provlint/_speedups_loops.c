/* Loops over lines.Line tuples for provlint._speedups. */
#include "_speedups.h"

/* ---- per-line loops over lines.Line tuples --------------------------------- */

#define LINE_INDEX 0
#define LINE_TEXT 4
#define LINE_BLANK 5

/* A Line's field, checked to be a tuple of at least six items. */
static PyObject *
line_field(PyObject *ln, Py_ssize_t k)
{
    if (!PyTuple_Check(ln) || PyTuple_GET_SIZE(ln) < 6) {
        PyErr_SetString(PyExc_TypeError, "expected lines.Line values");
        return NULL;
    }
    return PyTuple_GET_ITEM(ln, k);
}

/* lines.map_texts: [blank if ln.blank else func(ln.text, *extra) for ln in lines] */
PyObject *
speedups_map_texts(PyObject *self, PyObject *args)
{
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs < 3) {
        PyErr_SetString(PyExc_TypeError, "map_texts(lines, func, blank, *extra)");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(PyTuple_GET_ITEM(args, 0), "lines must be a sequence");
    if (seq == NULL)
        return NULL;
    PyObject *func = PyTuple_GET_ITEM(args, 1), *blank = PyTuple_GET_ITEM(args, 2);
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), nextra = nargs - 3;
    PyObject *out = PyList_New(n);
    PyObject *call[8];
    if (out == NULL || nextra > 7) {
        if (out != NULL)
            PyErr_SetString(PyExc_TypeError, "map_texts: too many extra arguments");
        Py_XDECREF(out);
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < nextra; k++)
        call[k + 1] = PyTuple_GET_ITEM(args, 3 + k);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *ln = PySequence_Fast_GET_ITEM(seq, i), *item;
        PyObject *text = line_field(ln, LINE_TEXT);
        if (text == NULL)
            goto fail;
        int is_blank = PyObject_IsTrue(PyTuple_GET_ITEM(ln, LINE_BLANK));
        if (is_blank < 0)
            goto fail;
        if (is_blank) {
            item = Py_NewRef(blank);
        }
        else {
            call[0] = text;
            item = PyObject_Vectorcall(func, call, (size_t)(1 + nextra), NULL);
            if (item == NULL)
                goto fail;
        }
        PyList_SET_ITEM(out, i, item);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(out);
    Py_DECREF(seq);
    return NULL;
}

/* lines.labelled: [i for i, ln in enumerate(lines) if ln.text.find(mark, 0, within) > 0] */
PyObject *
speedups_labelled(PyObject *self, PyObject *args)
{
    PyObject *lines;
    Py_UCS4 mark;
    Py_ssize_t within;
    if (!PyArg_ParseTuple(args, "OCn:labelled", &lines, &mark, &within))
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "lines must be a sequence");
    if (seq == NULL)
        return NULL;
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *text = line_field(PySequence_Fast_GET_ITEM(seq, i), LINE_TEXT);
        if (text == NULL || !need_str(text, "labelled"))
            goto fail;
        Py_ssize_t at = PyUnicode_FindChar(text, mark, 0, within, 1);  /* end clipped */
        if (at == -2)
            goto fail;
        if (at <= 0)
            continue;
        PyObject *index = PyLong_FromSsize_t(i);
        int bad = index == NULL || PyList_Append(out, index) < 0;
        Py_XDECREF(index);
        if (bad)
            goto fail;
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(seq);
    return NULL;
}

static int
append_to(PyObject *dict, PyObject *key, PyObject *value)
{
    PyObject *list = PyDict_GetItemWithError(dict, key);  /* borrowed */
    if (list == NULL) {
        if (PyErr_Occurred() || (list = PyList_New(0)) == NULL)
            return -1;
        int bad = PyDict_SetItem(dict, key, list);
        Py_DECREF(list);
        if (bad < 0)
            return -1;
    }
    return PyList_Append(list, value);
}

/* Whether ``wanted`` (None: everything) holds ``word``: 1, 0, or -1 on error. */
static int
is_wanted(PyObject *wanted, PyObject *word)
{
    return wanted == Py_None ? 1 : PySequence_Contains(wanted, word);
}

/* checks.patterns._index_lines: where each phrase key (lines of at most
 * ``key_len`` characters) in ``wanted`` and each key's first word in
 * ``wanted_firsts`` (lines of at most ``max_len``) occurs; ``entry(text)``
 * gives (key, first word) or None. */
PyObject *
speedups_index_lines(PyObject *self, PyObject *args)
{
    PyObject *lines, *entry, *wanted = Py_None, *wanted_firsts = Py_None;
    Py_ssize_t key_len, max_len;
    if (!PyArg_ParseTuple(args, "OOnn|OO:index_lines", &lines, &entry, &key_len, &max_len,
                          &wanted, &wanted_firsts))
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "lines must be a sequence");
    if (seq == NULL)
        return NULL;
    PyObject *where = PyDict_New(), *firsts = PyDict_New();
    if (where == NULL || firsts == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *ln = PySequence_Fast_GET_ITEM(seq, i);
        PyObject *text = line_field(ln, LINE_TEXT);
        if (text == NULL || !need_str(text, "index_lines"))
            goto fail;
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        int is_blank = PyObject_IsTrue(PyTuple_GET_ITEM(ln, LINE_BLANK));
        if (is_blank < 0)
            goto fail;
        if (is_blank || n > max_len)
            continue;
        PyObject *e = PyObject_CallOneArg(entry, text);
        if (e == NULL)
            goto fail;
        if (e == Py_None) {
            Py_DECREF(e);
            continue;
        }
        PyObject *index = PyTuple_GET_ITEM(ln, LINE_INDEX);
        int bad = !PyTuple_Check(e) || PyTuple_GET_SIZE(e) != 2;
        if (bad) {
            PyErr_SetString(PyExc_TypeError, "entry() must give (key, first word) or None");
        }
        else {
            PyObject *key = PyTuple_GET_ITEM(e, 0), *first = PyTuple_GET_ITEM(e, 1);
            int want = n <= key_len ? is_wanted(wanted, key) : 0;
            bad = want < 0 || (want && append_to(where, key, index) < 0);
            if (!bad) {
                want = is_wanted(wanted_firsts, first);
                bad = want < 0 || (want && append_to(firsts, first, index) < 0);
            }
        }
        Py_DECREF(e);
        if (bad)
            goto fail;
    }
    Py_DECREF(seq);
    return Py_BuildValue("(NN)", where, firsts);
fail:
    Py_XDECREF(where);
    Py_XDECREF(firsts);
    Py_DECREF(seq);
    return NULL;
}
